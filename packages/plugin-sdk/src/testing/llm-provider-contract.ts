import { describe, expect, it } from 'vitest';
import type { LlmStopReason, LlmStreamPart, LlmToolCallPart } from '../contracts/llm';
import { LlmApiError } from '../errors';
import {
  bashTool,
  collect,
  collectFailure,
  type LlmContractContext,
  textOf,
  useLlmContractContext,
  user,
} from './llm-contract-support';
import { describeLlmProviderFailures } from './llm-provider-contract-failures';
import type { LlmProviderHarness } from './llm-script';

/**
 * The shared test suite every {@link LlmProvider} runs, against a scripted model server over real HTTP:
 * streaming text, tool calls across two requests, usage, stop reasons, retries of 429 (after
 * `retry-after`) and 5xx, aborts, and malformed, truncated or stalled streams (each bounded in time,
 * never an unhandled rejection).
 *
 * @param name the provider's name in the test titles
 * @param setup starts the scripted server and creates the provider pointed at it (see {@link LlmProviderHarness})
 *
 * @example
 * describeLlmProviderContract('openai', async () => {
 *   const server = await createFakeLlmServer();
 *   const provider = createOpenAIProvider({ apiKey: 'test', baseURL: `${server.url}/v1`, model: 'fake-model', timeoutMs: 1000, maxRetries: 2, retryDelayMs: 10 });
 *   return { provider, script: server.script, requests: server.requests, close: server.close };
 * });
 */
export function describeLlmProviderContract(name: string, setup: () => Promise<LlmProviderHarness>): void {
  describe(`${name} satisfies the LlmProvider contract`, () => {
    const context = useLlmContractContext(setup);
    describeLlmProviderStreaming(context);
    describeLlmProviderToolUse(context);
    describeLlmProviderFailures(context);
  });
}

function describeLlmProviderStreaming(context: LlmContractContext): void {
  describe('streaming', () => {
    it('declares specification version 1 and a name', () => {
      const { provider } = context.harness();
      expect(provider.specificationVersion).toBe(1);
      expect(provider.name.length).toBeGreaterThan(0);
    });

    it('streams text in several deltas, then one usage part, then one end part', async () => {
      const harness = context.harness();
      harness.script([{ type: 'reply', text: ['Hel', 'lo, ', 'world'], usage: { inputTokens: 12, outputTokens: 3 } }]);
      const parts = await collect(harness.provider.doStream({ messages: [user('hi')] }));
      expect(textOf(parts)).toBe('Hello, world');
      expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(1);
      expect(parts.every((part) => part.type !== 'text-delta' || part.text.length > 0)).toBe(true);
      expect(parts.filter((part) => part.type === 'end')).toEqual([{ type: 'end', stopReason: 'end' }]);
      expect(parts.at(-1)?.type).toBe('end');
      expect(parts.at(-2)).toMatchObject({ type: 'usage', inputTokens: 12, outputTokens: 3 });
      expect(parts.filter((part) => part.type === 'usage')).toHaveLength(1);
    });

    it('yields each delta as it arrives, not all at the end', async () => {
      const harness = context.harness();
      harness.script([{ type: 'reply', text: ['one ', 'two ', 'three'], chunkDelayMs: 150 }]);
      const started = Date.now();
      let firstDeltaAt = 0;
      for await (const part of harness.provider.doStream({ messages: [user('count')] })) {
        if (part.type === 'text-delta' && firstDeltaAt === 0) firstDeltaAt = Date.now();
      }
      const total = Date.now() - started;
      expect(firstDeltaAt).toBeGreaterThan(0);
      expect(total - (firstDeltaAt - started)).toBeGreaterThanOrEqual(250);
    });

    it('sends the system prompt, the transcript, the tools and the token limit', async () => {
      const harness = context.harness();
      harness.script([{ type: 'reply', text: 'ok' }]);
      const messages = [user('first'), { role: 'assistant' as const, content: 'answer' }, user('second')];
      await collect(harness.provider.doStream({ system: 'Be brief.', messages, tools: [bashTool], maxTokens: 77 }));
      const [request, ...rest] = harness.requests();
      expect(rest).toHaveLength(0);
      expect(request).toMatchObject({ system: 'Be brief.', maxTokens: 77, stream: true });
      expect(request?.messages).toEqual(messages);
      expect(request?.tools).toEqual([bashTool]);
    });

    it('reports usage with cached prompt tokens', async () => {
      const harness = context.harness();
      const usage = { inputTokens: 1200, outputTokens: 40, cacheReadTokens: 1000, cacheWriteTokens: 100 };
      harness.script([{ type: 'reply', text: 'cached', usage }]);
      const parts = await collect(harness.provider.doStream({ messages: [user('again')] }));
      const reported = parts.find((part) => part.type === 'usage');
      expect(reported).toMatchObject({ type: 'usage', inputTokens: 1200, outputTokens: 40, cacheReadTokens: 1000 });
      expect([100, undefined]).toContain(reported?.type === 'usage' ? reported.cacheWriteTokens : null);
    });

    it.each<LlmStopReason>(['end', 'tool-calls', 'max-tokens'])('maps the stop reason %s', async (stopReason) => {
      const harness = context.harness();
      const toolCalls = stopReason === 'tool-calls' ? [{ name: 'bash', input: { command: 'true' } }] : undefined;
      harness.script([{ type: 'reply', text: 'stopping', toolCalls, stopReason }]);
      const parts = await collect(harness.provider.doStream({ messages: [user('go')], tools: [bashTool] }));
      expect(parts.at(-1)).toEqual({ type: 'end', stopReason });
    });

    it('waits for a slow first byte', async () => {
      const harness = context.harness();
      harness.script([{ type: 'reply', text: 'late', firstByteDelayMs: 300 }]);
      const parts = await collect(harness.provider.doStream({ messages: [user('hello?')] }));
      expect(textOf(parts)).toBe('late');
    });
  });
}

function toolCallsOf(parts: LlmStreamPart[]): LlmToolCallPart[] {
  return parts.filter((part): part is LlmToolCallPart => part.type === 'tool-call');
}

function describeLlmProviderToolUse(context: LlmContractContext): void {
  describe('tool use', () => {
    it('runs a two-step tool-use conversation', async () => {
      const harness = context.harness();
      harness.script([
        { type: 'reply', text: 'Let me look.', toolCalls: [{ name: 'bash', input: { command: 'ls -la /tmp' } }] },
        { type: 'reply', text: 'There are two files.' },
      ]);
      const first = await collect(harness.provider.doStream({ messages: [user('what is in /tmp?')], tools: [bashTool] }));
      expect(textOf(first)).toBe('Let me look.');
      const [call, ...others] = toolCallsOf(first);
      expect(others).toHaveLength(0);
      expect(call).toMatchObject({ type: 'tool-call', name: 'bash', input: { command: 'ls -la /tmp' } });
      expect(call?.id.length).toBeGreaterThan(0);
      expect(first.at(-1)).toEqual({ type: 'end', stopReason: 'tool-calls' });
      if (call === undefined) return;

      const transcript = [
        user('what is in /tmp?'),
        { role: 'assistant' as const, content: 'Let me look.', toolCalls: [{ id: call.id, name: call.name, input: call.input }] },
        { role: 'tool' as const, toolCallId: call.id, content: 'a.txt\nb.txt' },
      ];
      const second = await collect(harness.provider.doStream({ messages: transcript, tools: [bashTool] }));
      expect(textOf(second)).toBe('There are two files.');
      expect(second.at(-1)).toEqual({ type: 'end', stopReason: 'end' });

      const recorded = harness.requests()[1];
      expect(recorded?.messages[1]).toEqual(transcript[1]);
      expect(recorded?.messages[2]).toMatchObject({ role: 'tool', toolCallId: call.id });
      expect(recorded?.messages[2]?.content).toContain('a.txt\nb.txt');
    });

    it('returns several tool calls of one turn in order, with distinct ids', async () => {
      const harness = context.harness();
      const inputs = [{ command: 'pwd' }, { command: 'echo "quoted \\"text\\" ünïcode"' }, { command: 'date' }];
      harness.script([{ type: 'reply', toolCalls: inputs.map((input) => ({ name: 'bash', input })) }]);
      const parts = await collect(harness.provider.doStream({ messages: [user('three things')], tools: [bashTool] }));
      const calls = toolCallsOf(parts);
      expect(calls.map((call) => call.input)).toEqual(inputs);
      expect(new Set(calls.map((call) => call.id)).size).toBe(3);
      expect(textOf(parts)).toBe('');
    });

    it('sends a failed tool result', async () => {
      const harness = context.harness();
      harness.script([{ type: 'reply', text: 'It failed.' }]);
      const transcript = [
        user('run it'),
        { role: 'assistant' as const, content: '', toolCalls: [{ id: 'call_1', name: 'bash', input: { command: 'false' } }] },
        { role: 'tool' as const, toolCallId: 'call_1', content: 'exit code 1', isError: true },
      ];
      await collect(harness.provider.doStream({ messages: transcript, tools: [bashTool] }));
      const recorded = harness.requests()[0];
      expect(recorded?.messages[2]).toMatchObject({ role: 'tool', toolCallId: 'call_1' });
      expect(recorded?.messages[2]?.content).toContain('exit code 1');
    });

    it('reports tool-call arguments that are not valid JSON as an LlmApiError', async () => {
      const harness = context.harness();
      harness.script([{ type: 'reply', toolCalls: [{ name: 'bash', input: {}, inputJson: '{"command": "ls' }] }]);
      const { error, parts } = await collectFailure(harness.provider.doStream({ messages: [user('x')], tools: [bashTool] }));
      expect(LlmApiError.isInstance(error)).toBe(true);
      expect(toolCallsOf(parts)).toHaveLength(0);
    });
  });
}
