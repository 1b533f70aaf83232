import type { LlmMessage, LlmStopReason, LlmToolCall, LlmToolDefinition } from '@ngb/plugin-sdk';
import type { LlmRecordedRequest } from '@ngb/plugin-sdk/testing';
import type { ParsedWireRequest } from './anthropic-wire';
import { arrayOf, isRecord, type JsonRecord, optionalNumber, optionalString, parseJson, textOfContent } from './json-values';
import type { ReplyPlan, WireFrame } from './llm-reply-plan';

function parseToolCall(call: unknown): LlmToolCall[] {
  if (!isRecord(call) || !isRecord(call.function)) return [];
  const parsed = parseJson(optionalString(call.function.arguments) ?? '');
  return [
    {
      id: optionalString(call.id) ?? '',
      name: optionalString(call.function.name) ?? '',
      input: parsed !== undefined && isRecord(parsed.value) ? parsed.value : {},
    },
  ];
}

function parseMessage(message: unknown): LlmMessage[] {
  if (!isRecord(message)) return [];
  const content = message.content === null || message.content === undefined ? '' : textOfContent(message.content);
  switch (message.role) {
    case 'user':
      return [{ role: 'user', content }];
    case 'assistant': {
      const toolCalls = arrayOf(message.tool_calls).flatMap(parseToolCall);
      return [toolCalls.length > 0 ? { role: 'assistant', content, toolCalls } : { role: 'assistant', content }];
    }
    case 'tool':
      return [{ role: 'tool', toolCallId: optionalString(message.tool_call_id) ?? '', content }];
    default:
      return [];
  }
}

function parseTool(tool: unknown): LlmToolDefinition[] {
  if (!isRecord(tool) || !isRecord(tool.function) || typeof tool.function.name !== 'string') return [];
  const { name, description, parameters } = tool.function;
  return [{ name, description: optionalString(description) ?? '', inputSchema: isRecord(parameters) ? parameters : {} }];
}

/** Reads a Chat Completions request body into the contract's terms (system and developer messages become `system`). */
export function parseOpenAIRequest(body: unknown): ParsedWireRequest {
  if (!isRecord(body)) return { invalid: 'request body must be a JSON object' };
  if (typeof body.model !== 'string') return { invalid: 'you must provide a model parameter' };
  if (!Array.isArray(body.messages)) return { invalid: "Missing required parameter: 'messages'." };
  const systemTexts = body.messages
    .filter((message) => isRecord(message) && (message.role === 'system' || message.role === 'developer'))
    .map((message) => textOfContent((message as JsonRecord).content));
  const request: Omit<LlmRecordedRequest, 'receivedAt'> = {
    model: body.model,
    messages: body.messages.flatMap(parseMessage),
    tools: arrayOf(body.tools).flatMap(parseTool),
    stream: body.stream === true,
  };
  if (systemTexts.length > 0) request.system = systemTexts.join('\n\n');
  const maxTokens = optionalNumber(body.max_completion_tokens) ?? optionalNumber(body.max_tokens);
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  const temperature = optionalNumber(body.temperature);
  if (temperature !== undefined) request.temperature = temperature;
  return { request };
}

/** Whether the request asked for the final usage chunk (`stream_options.include_usage`). */
export function wantsOpenAIUsage(body: unknown): boolean {
  return isRecord(body) && isRecord(body.stream_options) && body.stream_options.include_usage === true;
}

const finishReasons: Record<LlmStopReason, string> = {
  end: 'stop',
  'tool-calls': 'tool_calls',
  'max-tokens': 'length',
  'stop-sequence': 'stop',
  other: 'content_filter',
};

function wireUsage(plan: ReplyPlan): JsonRecord {
  const { inputTokens, outputTokens, cacheReadTokens } = plan.usage;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
    prompt_tokens_details: { cached_tokens: cacheReadTokens, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

/** The non-streaming Chat Completions response body. */
export function renderOpenAICompletion(plan: ReplyPlan, id: string, model: string, created: number): JsonRecord {
  const message: JsonRecord = {
    role: 'assistant',
    content: plan.textChunks.length > 0 ? plan.textChunks.join('') : null,
    refusal: null,
  };
  if (plan.toolCalls.length > 0) {
    message.tool_calls = plan.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.argumentsJson },
    }));
  }
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    system_fingerprint: null,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasons[plan.stopReason] }],
    usage: wireUsage(plan),
  };
}

/**
 * The SSE frames of a streamed Chat Completions response, and how many of them end it (the chunk
 * with `finish_reason`, the usage chunk when asked for, `[DONE]`).
 */
export function renderOpenAIStream(
  plan: ReplyPlan,
  id: string,
  model: string,
  created: number,
  includeUsage: boolean,
): { frames: WireFrame[]; finalFrames: number } {
  const chunk = (delta: JsonRecord, finishReason: string | null = null, isDelta = false): WireFrame => {
    const payload = {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
    return { data: `data: ${JSON.stringify(payload)}\n\n`, delta: isDelta };
  };
  const frames: WireFrame[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const content of plan.textChunks) frames.push(chunk({ content }, null, true));
  plan.toolCalls.forEach((call, index) => {
    frames.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of call.argumentChunks) {
      frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null, true));
    }
  });
  frames.push(chunk({}, finishReasons[plan.stopReason]));
  if (includeUsage) {
    const usage = {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: null,
      choices: [],
      usage: wireUsage(plan),
    };
    frames.push({ data: `data: ${JSON.stringify(usage)}\n\n`, delta: false });
  }
  frames.push({ data: 'data: [DONE]\n\n', delta: false });
  return { frames, finalFrames: includeUsage ? 3 : 2 };
}

/** An SSE frame whose data is not JSON. */
export const openAIMalformedFrame = 'data: {"id":"chatcmpl-broken","object":"chat.completion.chunk","choices":[{"index":0,\n\n';

/** The body of a Chat Completions error. */
export function openAIErrorBody(status: number, message: string, code: string | null = null): JsonRecord {
  const type =
    status === 401
      ? 'invalid_request_error'
      : status === 429
        ? 'rate_limit_exceeded'
        : status >= 500
          ? 'server_error'
          : 'invalid_request_error';
  return { error: { message, type, param: null, code } };
}
