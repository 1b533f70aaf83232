import type { LlmMessage, LlmStopReason, LlmToolCall, LlmToolDefinition } from '@ngb/plugin-sdk';
import type { LlmRecordedRequest } from '@ngb/plugin-sdk/testing';
import { arrayOf, isRecord, type JsonRecord, optionalNumber, optionalString, textOfContent } from './json-values';
import type { ReplyPlan, WireFrame } from './llm-reply-plan';

/** A parsed request, or why it is invalid. */
export type ParsedWireRequest = { request: Omit<LlmRecordedRequest, 'receivedAt'> } | { invalid: string };

function parseMessage(message: unknown): LlmMessage[] {
  if (!isRecord(message)) return [];
  const { role, content } = message;
  if (typeof content === 'string') return [role === 'assistant' ? { role, content } : { role: 'user', content }];
  const blocks = arrayOf(content).filter(isRecord);
  if (role === 'assistant') {
    const toolCalls: LlmToolCall[] = blocks
      .filter((block) => block.type === 'tool_use')
      .map((block) => ({
        id: optionalString(block.id) ?? '',
        name: optionalString(block.name) ?? '',
        input: isRecord(block.input) ? block.input : {},
      }));
    const text = textOfContent(blocks.filter((block) => block.type === 'text'));
    return [toolCalls.length > 0 ? { role, content: text, toolCalls } : { role, content: text }];
  }
  const parsed: LlmMessage[] = [];
  for (const block of blocks) {
    if (block.type === 'tool_result') {
      const result: LlmMessage = {
        role: 'tool',
        toolCallId: optionalString(block.tool_use_id) ?? '',
        content: textOfContent(block.content),
      };
      parsed.push(block.is_error === true ? { ...result, isError: true } : result);
    }
  }
  const text = blocks.filter((block) => block.type === 'text');
  if (text.length > 0) parsed.push({ role: 'user', content: textOfContent(text) });
  return parsed;
}

function parseTool(tool: unknown): LlmToolDefinition[] {
  if (!isRecord(tool) || typeof tool.name !== 'string' || !isRecord(tool.input_schema)) return [];
  return [{ name: tool.name, description: optionalString(tool.description) ?? '', inputSchema: tool.input_schema }];
}

/** Reads a Messages API request body into the contract's terms. */
export function parseAnthropicRequest(body: unknown): ParsedWireRequest {
  if (!isRecord(body)) return { invalid: 'request body must be a JSON object' };
  if (typeof body.model !== 'string') return { invalid: 'model: Field required' };
  if (!Array.isArray(body.messages)) return { invalid: 'messages: Field required' };
  const maxTokens = optionalNumber(body.max_tokens);
  if (maxTokens === undefined) return { invalid: 'max_tokens: Field required' };
  const system = body.system === undefined ? undefined : textOfContent(body.system);
  const request: Omit<LlmRecordedRequest, 'receivedAt'> = {
    model: body.model,
    messages: body.messages.flatMap(parseMessage),
    tools: arrayOf(body.tools).flatMap(parseTool),
    maxTokens,
    stream: body.stream === true,
  };
  if (system !== undefined) request.system = system;
  const temperature = optionalNumber(body.temperature);
  if (temperature !== undefined) request.temperature = temperature;
  return { request };
}

const stopReasons: Record<LlmStopReason, string> = {
  end: 'end_turn',
  'tool-calls': 'tool_use',
  'max-tokens': 'max_tokens',
  'stop-sequence': 'stop_sequence',
  other: 'refusal',
};

function wireUsage(plan: ReplyPlan): JsonRecord {
  const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = plan.usage;
  return {
    input_tokens: Math.max(0, inputTokens - cacheReadTokens - cacheWriteTokens),
    output_tokens: outputTokens,
    cache_creation_input_tokens: cacheWriteTokens,
    cache_read_input_tokens: cacheReadTokens,
  };
}

function messageShell(id: string, model: string): JsonRecord {
  return { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null };
}

/** The non-streaming Messages API response body. */
export function renderAnthropicMessage(plan: ReplyPlan, id: string, model: string): JsonRecord {
  const content: JsonRecord[] = [];
  if (plan.textChunks.length > 0) content.push({ type: 'text', text: plan.textChunks.join(''), citations: null });
  for (const call of plan.toolCalls) content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input });
  return {
    ...messageShell(id, model),
    content,
    stop_reason: stopReasons[plan.stopReason],
    stop_sequence: plan.stopReason === 'stop-sequence' ? 'STOP' : null,
    usage: wireUsage(plan),
  };
}

function frame(type: string, payload: JsonRecord, delta = false): WireFrame {
  return { data: `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`, delta };
}

/** The SSE frames of a streamed Messages API response, and how many of them end it (message_delta, message_stop). */
export function renderAnthropicStream(plan: ReplyPlan, id: string, model: string): { frames: WireFrame[]; finalFrames: number } {
  const usage = wireUsage(plan);
  const frames: WireFrame[] = [
    frame('message_start', { message: { ...messageShell(id, model), usage: { ...usage, output_tokens: 1 } } }),
    frame('ping', {}),
  ];
  let index = 0;
  if (plan.textChunks.length > 0) {
    frames.push(frame('content_block_start', { index, content_block: { type: 'text', text: '' } }));
    for (const text of plan.textChunks) {
      frames.push(frame('content_block_delta', { index, delta: { type: 'text_delta', text } }, true));
    }
    frames.push(frame('content_block_stop', { index }));
    index++;
  }
  for (const call of plan.toolCalls) {
    frames.push(
      frame('content_block_start', { index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } }),
    );
    for (const partial_json of call.argumentChunks) {
      frames.push(frame('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } }, true));
    }
    frames.push(frame('content_block_stop', { index }));
    index++;
  }
  frames.push(
    frame('message_delta', {
      delta: { stop_reason: stopReasons[plan.stopReason], stop_sequence: plan.stopReason === 'stop-sequence' ? 'STOP' : null },
      usage: { output_tokens: plan.usage.outputTokens },
    }),
    frame('message_stop', {}),
  );
  return { frames, finalFrames: 2 };
}

/** An SSE frame whose data is not JSON. */
export const anthropicMalformedFrame =
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_\n\n';

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** The body of a Messages API error. */
export function anthropicErrorBody(status: number, message: string): JsonRecord {
  const type = errorTypes[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return { type: 'error', error: { type, message } };
}
