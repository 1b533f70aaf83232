import type { LlmStopReason } from '@ngb/plugin-sdk';
import type { LlmRecordedRequest, LlmScriptFault, LlmScriptReply } from '@ngb/plugin-sdk/testing';

/** A tool call of a reply, ready to be written in any wire format. */
interface PlannedToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
  /** The arguments as sent: `inputJson` or the JSON of `input`. */
  argumentsJson: string;
  /** `argumentsJson` split into the stream's deltas. */
  argumentChunks: string[];
}

/** Usage of a reply with every count present. */
interface PlannedUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** A reply with every default settled, independent of the wire format. */
export interface ReplyPlan {
  textChunks: string[];
  toolCalls: PlannedToolCall[];
  stopReason: LlmStopReason;
  usage: PlannedUsage;
  firstByteDelayMs: number;
  chunkDelayMs: number;
  fault: Required<LlmScriptFault> | undefined;
}

/** Splits text into word-sized stream chunks (each keeps its trailing whitespace). */
function chunkText(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === '' ? [] : [text]);
}

/** Splits a JSON text into up to three pieces, as APIs stream tool arguments. */
function chunkArguments(json: string): string[] {
  const characters = Array.from(json);
  if (characters.length < 6) return [json];
  const size = Math.ceil(characters.length / 3);
  const chunks: string[] = [];
  for (let start = 0; start < characters.length; start += size) chunks.push(characters.slice(start, start + size).join(''));
  return chunks;
}

/** A rough token count: a quarter of the characters, at least 1. */
function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function requestText(request: LlmRecordedRequest): string {
  const parts = [request.system ?? ''];
  for (const message of request.messages) parts.push(message.content);
  for (const tool of request.tools) parts.push(tool.name, tool.description, JSON.stringify(tool.inputSchema));
  return parts.join('\n');
}

/**
 * Settles the defaults of a scripted reply for one request.
 * @param nextToolCallId makes an id in the wire format's style for calls the script left without one
 */
export function planReply(reply: LlmScriptReply, request: LlmRecordedRequest, nextToolCallId: () => string): ReplyPlan {
  const textChunks = (typeof reply.text === 'string' ? chunkText(reply.text) : (reply.text ?? [])).filter(
    (chunk) => chunk !== '',
  );
  const toolCalls = (reply.toolCalls ?? []).map((call): PlannedToolCall => {
    const argumentsJson = call.inputJson ?? JSON.stringify(call.input);
    return {
      id: call.id ?? nextToolCallId(),
      name: call.name,
      input: call.input,
      argumentsJson,
      argumentChunks: chunkArguments(argumentsJson),
    };
  });
  const outputText = textChunks.join('') + toolCalls.map((call) => call.argumentsJson).join('');
  return {
    textChunks,
    toolCalls,
    stopReason: reply.stopReason ?? (toolCalls.length > 0 ? 'tool-calls' : 'end'),
    usage: {
      inputTokens: reply.usage?.inputTokens ?? estimateTokens(requestText(request)),
      outputTokens: reply.usage?.outputTokens ?? estimateTokens(outputText),
      cacheReadTokens: reply.usage?.cacheReadTokens ?? 0,
      cacheWriteTokens: reply.usage?.cacheWriteTokens ?? 0,
    },
    firstByteDelayMs: reply.firstByteDelayMs ?? 0,
    chunkDelayMs: reply.chunkDelayMs ?? 0,
    fault: reply.fault === undefined ? undefined : { kind: reply.fault.kind, afterDeltas: reply.fault.afterDeltas ?? 1 },
  };
}

/** One piece of a response body. `delta` marks content deltas (what faults and delays count). */
export interface WireFrame {
  data: string;
  delta: boolean;
}
