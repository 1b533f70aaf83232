import { LlmApiError, type LlmStopReason, type LlmStreamPart, type LlmUsagePart } from '@ngb/plugin-sdk';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';

const label = '[@ngb/llm-openai]';

const finishReasons: Record<string, LlmStopReason> = {
  stop: 'end',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  length: 'max-tokens',
};

/** Maps a Chat Completions `finish_reason` to the contract's. */
function mapOpenAIFinishReason(reason: string | null | undefined): LlmStopReason {
  return (reason !== null && reason !== undefined ? finishReasons[reason] : undefined) ?? 'other';
}

/** Turns Chat Completions chunks into contract parts, assembling tool calls by index. */
export interface OpenAIPartAssembler {
  /** The parts one chunk completes. */
  push(chunk: ChatCompletionChunk): LlmStreamPart[];
  /** The closing parts (usage, end) once the stream is over; throws when no `finish_reason` arrived. */
  end(): LlmStreamPart[];
}

interface PendingCall {
  id: string;
  name: string;
  json: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readUsage(chunk: ChatCompletionChunk): LlmUsagePart | undefined {
  const { usage } = chunk;
  if (usage === null || usage === undefined) return undefined;
  // DeepSeek reports its cache hits in its own field.
  const deepSeekHits = (usage as { prompt_cache_hit_tokens?: unknown }).prompt_cache_hit_tokens;
  const cached = usage.prompt_tokens_details?.cached_tokens ?? (typeof deepSeekHits === 'number' ? deepSeekHits : undefined);
  const written = usage.prompt_tokens_details?.cache_write_tokens;
  const part: LlmUsagePart = { type: 'usage', inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens };
  if (cached !== undefined && cached !== null) part.cacheReadTokens = cached;
  if (written !== undefined && written !== null) part.cacheWriteTokens = written;
  if (typeof chunk.model === 'string' && chunk.model !== '') part.model = chunk.model;
  return part;
}

/** Starts assembling one completion's stream. */
export function createOpenAIPartAssembler(): OpenAIPartAssembler {
  const calls = new Map<number, PendingCall>();
  let stopReason: LlmStopReason | undefined;
  let usage: LlmUsagePart | undefined;

  const completeCalls = (): LlmStreamPart[] => {
    const parts: LlmStreamPart[] = [];
    for (const call of [...calls.values()]) {
      let input: unknown = {};
      let cause: unknown;
      if (call.json.trim() !== '') {
        try {
          input = JSON.parse(call.json);
        } catch (error) {
          cause = error;
        }
      }
      if (cause === undefined && isObject(input)) {
        parts.push({ type: 'tool-call', id: call.id, name: call.name, input });
      } else if (stopReason !== 'max-tokens') {
        // A call cut by the token limit is dropped: the end part says why the turn stopped.
        throw new LlmApiError(
          'openai',
          `${label} tool call "${call.name}" (${call.id}) has arguments that are not a JSON object`,
          {
            retryable: false,
            cause,
          },
        );
      }
    }
    calls.clear();
    return parts;
  };

  return {
    push(chunk) {
      usage = readUsage(chunk) ?? usage;
      const choice = chunk.choices[0];
      if (choice === undefined) return [];
      const parts: LlmStreamPart[] = [];
      const { delta } = choice;
      if (typeof delta?.content === 'string' && delta.content !== '') parts.push({ type: 'text-delta', text: delta.content });
      if (typeof delta?.refusal === 'string' && delta.refusal !== '') parts.push({ type: 'text-delta', text: delta.refusal });
      for (const [position, toolCall] of (delta?.tool_calls ?? []).entries()) {
        const index = toolCall.index ?? position;
        const existing = calls.get(index);
        if (existing === undefined) {
          calls.set(index, {
            id: toolCall.id ?? `call_${index}`,
            name: toolCall.function?.name ?? '',
            json: toolCall.function?.arguments ?? '',
          });
        } else {
          if (existing.name === '' && toolCall.function?.name) existing.name = toolCall.function.name;
          existing.json += toolCall.function?.arguments ?? '';
        }
      }
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
        stopReason = mapOpenAIFinishReason(choice.finish_reason);
        const callParts = completeCalls();
        // Some compatible servers say `stop` after tool calls.
        if (callParts.length > 0 && stopReason === 'end') stopReason = 'tool-calls';
        parts.push(...callParts);
      }
      return parts;
    },
    end() {
      if (stopReason === undefined) {
        throw new LlmApiError('openai', `${label} the stream ended before a finish_reason`, { retryable: true });
      }
      return usage === undefined ? [{ type: 'end', stopReason }] : [usage, { type: 'end', stopReason }];
    },
  };
}
