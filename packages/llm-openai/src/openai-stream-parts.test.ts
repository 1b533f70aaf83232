import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { createOpenAIPartAssembler } from './openai-stream-parts';

type Delta = ChatCompletionChunk.Choice.Delta;

function chunk(
  delta: Delta,
  finishReason: ChatCompletionChunk.Choice['finish_reason'] = null,
  usage?: object,
): ChatCompletionChunk {
  return {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    ...(usage === undefined ? {} : { usage }),
  } as ChatCompletionChunk;
}

describe('OpenAI chunk assembly for compatible servers', () => {
  it('takes a whole tool call in one chunk (Ollama style)', () => {
    const assembler = createOpenAIPartAssembler();
    const parts = [
      ...assembler.push(
        chunk({
          tool_calls: [{ index: 0, id: 'call_x', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } }],
        }),
      ),
      ...assembler.push(chunk({}, 'tool_calls')),
      ...assembler.end(),
    ];
    expect(parts).toEqual([
      { type: 'tool-call', id: 'call_x', name: 'bash', input: { command: 'ls' } },
      { type: 'end', stopReason: 'tool-calls' },
    ]);
  });

  it('reads usage sent with the finishing chunk, and DeepSeek cache hits', () => {
    const assembler = createOpenAIPartAssembler();
    assembler.push(chunk({ content: 'hi' }));
    assembler.push(chunk({}, 'stop', { prompt_tokens: 90, completion_tokens: 3, total_tokens: 93, prompt_cache_hit_tokens: 64 }));
    expect(assembler.end()).toEqual([
      { type: 'usage', inputTokens: 90, outputTokens: 3, cacheReadTokens: 64, model: 'm' },
      { type: 'end', stopReason: 'end' },
    ]);
  });

  it('reads cache writes and the model that answered, which prices the call', () => {
    const assembler = createOpenAIPartAssembler();
    assembler.push(chunk({ content: 'hi' }, 'stop'));
    assembler.push({
      ...chunk({}),
      model: 'gpt-6.1-terra-2026-10-26',
      choices: [],
      usage: {
        prompt_tokens: 5000,
        completion_tokens: 20,
        total_tokens: 5020,
        prompt_tokens_details: { cached_tokens: 3000, cache_write_tokens: 1500 },
      },
    });
    expect(assembler.end()[0]).toEqual({
      type: 'usage',
      inputTokens: 5000,
      outputTokens: 20,
      cacheReadTokens: 3000,
      cacheWriteTokens: 1500,
      model: 'gpt-6.1-terra-2026-10-26',
    });
  });

  it('maps content_filter to other and refuses a stream without finish_reason', () => {
    const filtered = createOpenAIPartAssembler();
    filtered.push(chunk({}, 'content_filter'));
    expect(filtered.end()).toEqual([{ type: 'end', stopReason: 'other' }]);
    const cut = createOpenAIPartAssembler();
    cut.push(chunk({ content: 'partial' }));
    expect(() => cut.end()).toThrow(/before a finish_reason/);
  });
});
