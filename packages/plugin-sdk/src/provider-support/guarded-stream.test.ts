import { describe, expect, it } from 'vitest';
import type { LlmStreamPart } from '../contracts/llm';
import { LlmApiError } from '../errors';
import { type GuardedAttempt, type PartAssembler, streamGuardedAttempt } from './guarded-stream';

/** A stream of `chunks`, then `end`: `hang` never settles after the chunks; records whether it was let go. */
function chunkStream(chunks: string[], end: 'done' | 'hang' | Error = 'done') {
  const state = { returned: false, read: 0 };
  const iterable: AsyncIterable<string> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        if (state.read < chunks.length) return { done: false, value: chunks[state.read++] as string };
        if (end === 'hang') return new Promise<never>(() => {});
        if (end instanceof Error) throw end;
        return { done: true, value: undefined };
      },
      return: async () => {
        state.returned = true;
        return { done: true, value: undefined };
      },
    }),
  };
  return { iterable, state };
}

/** Text deltas of each chunk; `stop` ends the message (finished); a stream that ends without it is truncated. */
function textAssembler(): PartAssembler<string> {
  let finished = false;
  return {
    get finished() {
      return finished;
    },
    push(chunk) {
      if (chunk !== 'stop') return [{ type: 'text-delta', text: chunk }];
      finished = true;
      return [{ type: 'end', stopReason: 'end' }];
    },
    end() {
      throw new Error('the stream ended before stop');
    },
  };
}

const mapped = (error: unknown) => new LlmApiError('fake', `[fake] ${(error as Error).message}`, { retryable: true });

function attempt(
  stream: AsyncIterable<string>,
  extra: Partial<GuardedAttempt<string, string>> = {},
): GuardedAttempt<string, string> {
  return {
    signal: undefined,
    timeoutMs: 1000,
    provider: 'fake',
    label: '[fake]',
    load: async () => 'client',
    open: async () => stream,
    assembler: textAssembler(),
    mapError: mapped,
    ...extra,
  };
}

async function collect(parts: AsyncIterable<LlmStreamPart>): Promise<{ parts: LlmStreamPart[]; error?: unknown }> {
  const seen: LlmStreamPart[] = [];
  try {
    for await (const part of parts) seen.push(part);
    return { parts: seen };
  } catch (error) {
    return { parts: seen, error };
  }
}

describe('streamGuardedAttempt', () => {
  it('yields the parts of each chunk and stops reading once the message is finished, letting the stream go', async () => {
    const { iterable, state } = chunkStream(['Hel', 'lo', 'stop', 'never read']);
    const result = await collect(streamGuardedAttempt(attempt(iterable)));
    expect(result).toEqual({
      parts: [
        { type: 'text-delta', text: 'Hel' },
        { type: 'text-delta', text: 'lo' },
        { type: 'end', stopReason: 'end' },
      ],
    });
    expect(state.read).toBe(3);
    expect(state.returned).toBe(true);
  });

  it("yields the assembler's closing parts when the stream ends, and maps its refusal of a truncated one", async () => {
    const closing: PartAssembler<string> = {
      push: (chunk) => [{ type: 'text-delta', text: chunk }],
      end: () => [{ type: 'end', stopReason: 'other' }],
    };
    const whole = await collect(streamGuardedAttempt(attempt(chunkStream(['a']).iterable, { assembler: closing })));
    expect(whole.parts).toEqual([
      { type: 'text-delta', text: 'a' },
      { type: 'end', stopReason: 'other' },
    ]);
    const truncated = await collect(streamGuardedAttempt(attempt(chunkStream(['a']).iterable)));
    expect(truncated.parts).toEqual([{ type: 'text-delta', text: 'a' }]);
    expect(truncated.error).toBeInstanceOf(LlmApiError);
    expect((truncated.error as Error).message).toBe('[fake] the stream ended before stop');
  });

  it('maps what the SDK throws once loaded, with the client; a failed load passes through as it is', async () => {
    const clients: string[] = [];
    const broken = await collect(
      streamGuardedAttempt(
        attempt(chunkStream(['a'], new Error('socket hang up')).iterable, {
          mapError: (error, client) => {
            clients.push(client);
            return mapped(error);
          },
        }),
      ),
    );
    expect((broken.error as Error).message).toBe('[fake] socket hang up');
    expect(clients).toEqual(['client']);
    const refused = new Error('the SDK is not installed');
    const unloaded = await collect(
      streamGuardedAttempt(attempt(chunkStream([]).iterable, { load: () => Promise.reject(refused) })),
    );
    expect(unloaded.error).toBe(refused);
  });

  it("stops at once with the caller's reason when the caller aborts, though the stream never answers again", async () => {
    const controller = new AbortController();
    const { iterable, state } = chunkStream(['a'], 'hang');
    let openedWith: AbortSignal | undefined;
    const parts = streamGuardedAttempt(
      attempt(iterable, {
        signal: controller.signal,
        open: async (_client, signal) => {
          openedWith = signal;
          return iterable;
        },
      }),
    );
    const first = await parts.next();
    expect(first.value).toEqual({ type: 'text-delta', text: 'a' });
    const reason = new Error('the user stopped the turn');
    const waiting = parts.next();
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(openedWith?.aborted).toBe(true);
    expect(state.returned).toBe(true);
  });

  it('fails a silent API after timeoutMs with a retryable error naming the option', async () => {
    const result = await collect(streamGuardedAttempt(attempt(chunkStream(['a'], 'hang').iterable, { timeoutMs: 30 })));
    expect(result.parts).toEqual([{ type: 'text-delta', text: 'a' }]);
    expect(result.error).toBeInstanceOf(LlmApiError);
    expect((result.error as LlmApiError).retryable).toBe(true);
    expect((result.error as Error).message).toBe('[fake] no data from the API for 30 ms (timeoutMs)');
  });
});
