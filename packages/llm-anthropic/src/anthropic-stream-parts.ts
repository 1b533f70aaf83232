import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { LlmApiError, type LlmStopReason, type LlmStreamPart } from '@ngb/plugin-sdk';

const stopReasons: Record<string, LlmStopReason> = {
  end_turn: 'end',
  tool_use: 'tool-calls',
  max_tokens: 'max-tokens',
  model_context_window_exceeded: 'max-tokens',
  stop_sequence: 'stop-sequence',
};

/** Maps a Messages API `stop_reason` to the contract's. */
function mapAnthropicStopReason(reason: string | null | undefined): LlmStopReason {
  return (reason !== null && reason !== undefined ? stopReasons[reason] : undefined) ?? 'other';
}

/** Turns Messages API stream events into contract parts, assembling tool calls. */
export interface AnthropicPartAssembler {
  /** The parts one event completes (often none). */
  push(event: RawMessageStreamEvent): LlmStreamPart[];
  /** Whether `message_stop` arrived: nothing after it is read. */
  readonly finished: boolean;
  /** The stream ended: always before `message_stop` (once it arrived nothing more is read), so it throws. */
  end(): never;
}

interface ToolBlock {
  id: string;
  name: string;
  json: string;
  initialInput: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const label = '[@ngb/llm-anthropic]';

/** Starts assembling one message's stream. */
export function createAnthropicPartAssembler(): AnthropicPartAssembler {
  const toolBlocks = new Map<number, ToolBlock>();
  let brokenCall: LlmApiError | undefined;
  let stopReason: LlmStopReason = 'other';
  let usage: { input: number; output: number; cacheRead: number; cacheWrite: number } | undefined;
  let model: string | undefined;
  let finished = false;

  const parseToolBlock = (block: ToolBlock): LlmStreamPart[] => {
    let input: unknown = block.initialInput ?? {};
    let cause: unknown;
    if (block.json.trim() !== '') {
      try {
        input = JSON.parse(block.json);
      } catch (error) {
        cause = error;
      }
    }
    if (cause === undefined && isObject(input)) return [{ type: 'tool-call', id: block.id, name: block.name, input }];
    brokenCall ??= new LlmApiError(
      'anthropic',
      `${label} tool call "${block.name}" (${block.id}) has arguments that are not a JSON object`,
      {
        retryable: false,
        cause,
      },
    );
    return [];
  };

  return {
    get finished() {
      return finished;
    },
    end() {
      throw new Error('the stream ended before message_stop');
    },
    push(event) {
      switch (event.type) {
        case 'message_start': {
          if (typeof event.message.model === 'string' && event.message.model !== '') model = event.message.model;
          const start = event.message.usage;
          const cacheRead = start.cache_read_input_tokens ?? 0;
          const cacheWrite = start.cache_creation_input_tokens ?? 0;
          usage = { input: start.input_tokens + cacheRead + cacheWrite, output: start.output_tokens, cacheRead, cacheWrite };
          return [];
        }
        case 'content_block_start': {
          const block = event.content_block;
          if (block.type === 'tool_use') {
            toolBlocks.set(event.index, { id: block.id, name: block.name, json: '', initialInput: block.input });
          } else if (block.type === 'text' && block.text !== '') {
            return [{ type: 'text-delta', text: block.text }];
          }
          return [];
        }
        case 'content_block_delta': {
          const { delta } = event;
          if (delta.type === 'text_delta') return delta.text === '' ? [] : [{ type: 'text-delta', text: delta.text }];
          if (delta.type === 'input_json_delta') {
            const block = toolBlocks.get(event.index);
            if (block !== undefined) block.json += delta.partial_json;
          }
          return [];
        }
        case 'content_block_stop': {
          const block = toolBlocks.get(event.index);
          if (block === undefined) return [];
          toolBlocks.delete(event.index);
          return parseToolBlock(block);
        }
        case 'message_delta': {
          stopReason = mapAnthropicStopReason(event.delta.stop_reason);
          // A call cut by the token limit is dropped: the end part says why the turn stopped.
          if (brokenCall !== undefined && stopReason !== 'max-tokens') throw brokenCall;
          const delta = event.usage;
          if (usage !== undefined) {
            usage.output = delta.output_tokens;
            if (delta.input_tokens !== null && delta.input_tokens !== undefined) {
              usage.cacheRead = delta.cache_read_input_tokens ?? usage.cacheRead;
              usage.cacheWrite = delta.cache_creation_input_tokens ?? usage.cacheWrite;
              usage.input = delta.input_tokens + usage.cacheRead + usage.cacheWrite;
            }
          }
          return [];
        }
        case 'message_stop': {
          finished = true;
          const parts: LlmStreamPart[] = [];
          if (usage !== undefined) {
            parts.push({
              type: 'usage',
              inputTokens: usage.input,
              outputTokens: usage.output,
              cacheReadTokens: usage.cacheRead,
              cacheWriteTokens: usage.cacheWrite,
              ...(model !== undefined ? { model } : {}),
            });
          }
          parts.push({ type: 'end', stopReason });
          return parts;
        }
        default:
          return [];
      }
    },
  };
}
