import { describe, expect, it } from 'vitest';
import { LlmApiError } from '../errors';
import { collect, collectFailure, delay, type LlmContractContext, textOf, user, within } from './llm-contract-support';
import type { LlmScriptFault } from './llm-script';

function expectLlmApiError(error: unknown): LlmApiError {
  expect(LlmApiError.isInstance(error), `expected an LlmApiError, got ${String(error)}`).toBe(true);
  return error as LlmApiError;
}

/** Retries, refusals, aborts and broken streams; part of {@link describeLlmProviderContract}. */
export function describeLlmProviderFailures(context: LlmContractContext): void {
  describe('retries and refusals', () => {
    it('retries a 429 after the time retry-after asks for', async () => {
      const harness = context.harness();
      harness.script([
        { type: 'error', status: 429, retryAfterMs: 400 },
        { type: 'reply', text: 'finally' },
      ]);
      const parts = await collect(harness.provider.doStream({ messages: [user('busy?')] }));
      expect(textOf(parts)).toBe('finally');
      const [first, second, ...rest] = harness.requests();
      expect(rest).toHaveLength(0);
      expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(380);
    });

    it.each([500, 529])('retries a %i', async (status) => {
      const harness = context.harness();
      harness.script([
        { type: 'error', status },
        { type: 'reply', text: 'recovered' },
      ]);
      const parts = await collect(harness.provider.doStream({ messages: [user('again')] }));
      expect(textOf(parts)).toBe('recovered');
      expect(harness.requests()).toHaveLength(2);
    });

    it('retries a connection cut before the first part', async () => {
      const harness = context.harness();
      harness.script([
        { type: 'reply', text: 'lost', fault: { kind: 'cut', afterDeltas: 0 } },
        { type: 'reply', text: 'second try' },
      ]);
      const parts = await collect(harness.provider.doStream({ messages: [user('hello')] }));
      expect(textOf(parts)).toBe('second try');
      expect(harness.requests()).toHaveLength(2);
    });

    it('gives up after its retries with a retryable LlmApiError', async () => {
      const harness = context.harness();
      harness.script(Array.from({ length: 12 }, () => ({ type: 'error' as const, status: 503 })));
      const { error } = await collectFailure(harness.provider.doStream({ messages: [user('down?')] }), 15_000);
      const failure = expectLlmApiError(error);
      expect(failure).toMatchObject({ status: 503, retryable: true });
      expect(harness.requests().length).toBeGreaterThan(1);
      expect(harness.requests().length).toBeLessThan(12);
    });

    it.each([400, 401])('does not retry a %i', async (status) => {
      const harness = context.harness();
      harness.script([
        { type: 'error', status, message: 'refused by the script' },
        { type: 'reply', text: 'never' },
      ]);
      const { error } = await collectFailure(harness.provider.doStream({ messages: [user('bad')] }));
      expect(expectLlmApiError(error)).toMatchObject({ status, retryable: false });
      expect(harness.requests()).toHaveLength(1);
    });

    it('names the model in the error for an unknown model', async () => {
      const harness = context.harness();
      harness.script([]);
      const { error } = await collectFailure(harness.provider.doStream({ model: 'no-such-model', messages: [user('hi')] }));
      const failure = expectLlmApiError(error);
      expect(failure).toMatchObject({ status: 404, retryable: false });
      expect(failure.message).toContain('no-such-model');
    });
  });

  describe('aborts', () => {
    it('stops promptly with the abort reason when the signal aborts mid-stream', async () => {
      const harness = context.harness();
      const chunks = Array.from({ length: 20 }, (_, index) => `chunk ${index} `);
      harness.script([{ type: 'reply', text: chunks, chunkDelayMs: 100 }]);
      const controller = new AbortController();
      const reason = new Error('user pressed stop');
      const seen: string[] = [];
      let abortedAt = 0;
      const run = async () => {
        for await (const part of harness.provider.doStream({ messages: [user('long')], signal: controller.signal })) {
          seen.push(part.type);
          if (part.type === 'text-delta' && abortedAt === 0) {
            abortedAt = Date.now();
            controller.abort(reason);
          }
        }
      };
      const error = await within(run(), 5_000, 'the aborted stream').then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBe(reason);
      expect(Date.now() - abortedAt).toBeLessThan(500);
      expect(seen).toEqual(['text-delta']);
    });

    it('stops with the abort reason even when the whole answer had already arrived', async () => {
      const harness = context.harness();
      harness.script([{ type: 'reply', text: ['a ', 'b ', 'c ', 'd'] }]);
      const controller = new AbortController();
      const reason = new Error('too late, but still stop');
      const seen: string[] = [];
      const run = async () => {
        for await (const part of harness.provider.doStream({ messages: [user('short')], signal: controller.signal })) {
          seen.push(part.type);
          if (seen.length === 1) {
            await delay(200);
            controller.abort(reason);
          }
        }
      };
      const error = await within(run(), 3_000, 'the stream aborted after its answer arrived').then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBe(reason);
      expect(seen).toEqual(['text-delta']);
    });

    it('throws an AbortError without a request when the signal is already aborted', async () => {
      const harness = context.harness();
      harness.script([{ type: 'reply', text: 'unused' }]);
      const controller = new AbortController();
      controller.abort();
      const { error } = await collectFailure(harness.provider.doStream({ messages: [user('x')], signal: controller.signal }));
      expect((error as Error).name).toBe('AbortError');
      await delay(50);
      expect(harness.requests()).toHaveLength(0);
    });

    it('can be left early with break, and then serves the next call', async () => {
      const harness = context.harness();
      harness.script([
        { type: 'reply', text: ['a', 'b', 'c', 'd'], chunkDelayMs: 50 },
        { type: 'reply', text: 'next' },
      ]);
      for await (const part of harness.provider.doStream({ messages: [user('x')] })) {
        if (part.type === 'text-delta') break;
      }
      const parts = await collect(harness.provider.doStream({ messages: [user('y')] }));
      expect(textOf(parts)).toBe('next');
    });
  });

  describe('broken streams', () => {
    const faults: Array<[string, LlmScriptFault]> = [
      ['a connection cut mid-stream', { kind: 'cut', afterDeltas: 2 }],
      ['a stream that ends without its final events', { kind: 'truncate', afterDeltas: 2 }],
      ['an event that is not JSON', { kind: 'malformed', afterDeltas: 2 }],
      ['a stream that stalls', { kind: 'stall', afterDeltas: 2 }],
    ];
    it.each(faults)('turns %s into an LlmApiError, keeping the parts already yielded', async (_, fault) => {
      const harness = context.harness();
      harness.script([
        { type: 'reply', text: ['one ', 'two ', 'three ', 'four'], fault },
        { type: 'reply', text: 'unused' },
      ]);
      const { error, parts } = await collectFailure(harness.provider.doStream({ messages: [user('x')] }), 6_000);
      expectLlmApiError(error);
      expect(textOf(parts)).toBe('one two ');
      expect(parts.some((part) => part.type === 'end')).toBe(false);
      expect(harness.requests()).toHaveLength(1);
    });
  });
}
