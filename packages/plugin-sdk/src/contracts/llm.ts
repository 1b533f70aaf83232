/**
 * The contract between the agent loop and a model provider (Anthropic, OpenAI, any compatible server).
 *
 * A provider turns one {@link LlmRequest} into a stream of {@link LlmStreamPart}s. It holds no
 * conversation state: every request carries the whole transcript the model should see.
 */

/** Why the model stopped generating. */
export type LlmStopReason =
  /** The model finished its answer. */
  | 'end'
  /** The model asked for one or more tool calls and waits for their results. */
  | 'tool-calls'
  /** The answer was cut at `maxTokens`. */
  | 'max-tokens'
  /** A stop sequence was produced. */
  | 'stop-sequence'
  /** Anything else the API reported (refusal, content filter, a reason this version does not know). */
  | 'other';

/** A tool call the model made, as it appears in a stream part and in an assistant message. */
export interface LlmToolCall {
  /** The id the API gave the call; the matching {@link LlmToolResultMessage.toolCallId} repeats it. */
  id: string;
  /** The tool's name, one of {@link LlmRequest.tools}. */
  name: string;
  /** The arguments, parsed from the model's JSON into an object. */
  input: Record<string, unknown>;
}

/** Text the user (or the gateway on the user's behalf) sent. */
export interface LlmUserMessage {
  role: 'user';
  /** The text; the core formats chat messages into it. */
  content: string;
}

/** A previous answer of the model, replayed so the model sees its own turn. */
export interface LlmAssistantMessage {
  role: 'assistant';
  /** The text of the answer; empty when the turn was only tool calls. */
  content: string;
  /**
   * The tool calls the model made in that turn, in order.
   * @default []
   */
  toolCalls?: LlmToolCall[];
}

/** The outcome of one tool call; it follows the assistant message that made the call. */
export interface LlmToolResultMessage {
  role: 'tool';
  /** The {@link LlmToolCall.id} this answers. */
  toolCallId: string;
  /** What the tool returned, as text. */
  content: string;
  /**
   * True when the tool failed and `content` describes the failure. Providers whose API has no such
   * flag mark the text instead.
   * @default false
   */
  isError?: boolean;
}

/** One entry of the transcript handed to the model. */
export type LlmMessage = LlmUserMessage | LlmAssistantMessage | LlmToolResultMessage;

/** A tool the model may call. */
export interface LlmToolDefinition {
  /** Unique among the request's tools; letters, digits, `_` and `-`. */
  name: string;
  /** Tells the model what the tool does and when to use it. */
  description: string;
  /** A JSON Schema (draft 2020-12 subset the APIs accept) of type `object` describing the input. */
  inputSchema: Record<string, unknown>;
}

/** One call to the model. */
export interface LlmRequest {
  /**
   * The model id as the API names it. Omitted: the provider's configured model.
   * @default the provider's `model` option
   */
  model?: string;
  /** The system prompt (instructions, memory, skills summary). Omitted: the provider's configured one, if any. */
  system?: string;
  /** The transcript, oldest first. Must not be empty. */
  messages: LlmMessage[];
  /**
   * Tools the model may call.
   * @default []
   */
  tools?: LlmToolDefinition[];
  /**
   * Upper bound on generated tokens.
   * @default the provider's `maxTokens` option
   */
  maxTokens?: number;
  /**
   * Sampling temperature.
   * @default the provider's `temperature` option, else the API's default
   */
  temperature?: number;
  /**
   * Cancels the call. Once it aborts, the stream ends promptly by throwing `signal.reason` (a
   * `DOMException` named `AbortError` unless the caller gave a reason), the HTTP request is
   * cancelled, and no further part is yielded.
   */
  signal?: AbortSignal;
}

/** A piece of the answer's text, in order. Concatenating every `text` gives the whole answer. */
export interface LlmTextDeltaPart {
  type: 'text-delta';
  /** Never empty. */
  text: string;
}

/** A complete tool call: its arguments were assembled from the stream and parsed once. */
export interface LlmToolCallPart extends LlmToolCall {
  type: 'tool-call';
}

/** Token counts of the call, as the API reported them. */
export interface LlmUsagePart {
  type: 'usage';
  /** Every prompt token the call processed, including the cached ones counted below. */
  inputTokens: number;
  /** Tokens the model generated. */
  outputTokens: number;
  /** Prompt tokens served from the provider's cache (part of `inputTokens`), when reported. */
  cacheReadTokens?: number;
  /** Prompt tokens written into the provider's cache (part of `inputTokens`), when reported. */
  cacheWriteTokens?: number;
  /**
   * The model that answered, as the API reported it (often a dated snapshot of the requested id, such
   * as `claude-haiku-4-5-20251001`); what the call is priced by. Absent when the API does not say.
   */
  model?: string;
}

/** The last part of every successful stream. */
export interface LlmEndPart {
  type: 'end';
  /** Why the model stopped. */
  stopReason: LlmStopReason;
}

/**
 * What {@link LlmProvider.doStream} yields, a union on `type`. Order: `text-delta` and `tool-call`
 * parts as the model produced them; then at most one `usage` (absent only when the API reported
 * none); then exactly one `end`, last.
 */
export type LlmStreamPart = LlmTextDeltaPart | LlmToolCallPart | LlmUsagePart | LlmEndPart;

/**
 * A model provider. Implementations are stateless between calls and safe to call concurrently.
 *
 * @example
 * for await (const part of provider.doStream({ messages: [{ role: 'user', content: 'hi' }] })) {
 *   if (part.type === 'text-delta') write(part.text);
 * }
 */
export interface LlmProvider {
  /** The version of this contract the provider implements. */
  readonly specificationVersion: 1;
  /** A short name for logs and errors, such as `anthropic` or `openai`. */
  readonly name: string;
  /**
   * Sends one request and streams the answer.
   *
   * Retryable failures before the first part (429, 5xx, a dropped connection) are retried by the
   * provider with backoff, honouring `retry-after`. Nothing is retried once a part has been yielded.
   * Breaking out of the loop cancels the HTTP request.
   *
   * @param request the transcript, tools and settings of this call
   * @returns an iterable that starts the HTTP request when iteration begins
   * @throws {LlmApiError} when the API refuses the call (its `status`, `retryable`, `retryAfterMs`
   *   set; a 404 for an unknown model names the model), after the retries ran out, or when the stream
   *   is malformed, truncated or silent past the provider's timeout
   * @throws the abort reason when `request.signal` aborts
   */
  doStream(request: LlmRequest): AsyncIterable<LlmStreamPart>;
}
