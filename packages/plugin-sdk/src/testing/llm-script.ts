import type { LlmMessage, LlmProvider, LlmStopReason, LlmToolDefinition } from '../contracts/llm';

/** A tool call a scripted reply makes. */
export interface LlmScriptToolCall {
  /** The call's id. Omitted: the server makes one in its API's style (`toolu_…`, `call_…`). */
  id?: string;
  /** The tool's name. */
  name: string;
  /** The arguments, sent as JSON split over several stream deltas. */
  input: Record<string, unknown>;
  /** Raw text sent as the arguments instead of `input` (to test malformed tool-call JSON). */
  inputJson?: string;
}

/** Token counts a scripted reply reports, with the meaning of the contract's `LlmUsagePart`. */
export interface LlmScriptUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  /** Dropped by wire formats that cannot carry it (OpenAI Chat Completions). */
  cacheWriteTokens?: number;
}

/** A failure injected into a scripted reply's response. */
export interface LlmScriptFault {
  /**
   * - `cut`: the connection is destroyed mid-response;
   * - `truncate`: the response ends cleanly but without its final events (`message_stop`, `finish_reason`, `[DONE]`);
   * - `malformed`: an event whose data is not JSON is sent;
   * - `stall`: the server stops sending and keeps the connection open until the client gives up.
   */
  kind: 'cut' | 'truncate' | 'malformed' | 'stall';
  /**
   * How many content deltas (text chunks and tool-argument chunks) are sent before the fault.
   * @default 1
   */
  afterDeltas?: number;
}

/** A scripted successful answer (which a fault may spoil). */
export interface LlmScriptReply {
  type: 'reply';
  /** The answer's text; an array gives the exact stream chunks. */
  text?: string | string[];
  /** Tool calls made after the text. */
  toolCalls?: LlmScriptToolCall[];
  /** @default 'tool-calls' when `toolCalls` is not empty, else 'end' */
  stopReason?: LlmStopReason;
  /** @default estimated from the request and reply lengths */
  usage?: LlmScriptUsage;
  /** Wait this long before sending the response status (slow first byte). */
  firstByteDelayMs?: number;
  /** Wait this long before each content delta. */
  chunkDelayMs?: number;
  fault?: LlmScriptFault;
}

/** A scripted HTTP error, with the body in the requested API's error format. */
export interface LlmScriptError {
  type: 'error';
  /** Such as 400, 404, 429, 500, 529. */
  status: number;
  /** @default a message in the API's style for the status */
  message?: string;
  /** Sent as `retry-after-ms` and as `retry-after` in whole seconds, rounded up. */
  retryAfterMs?: number;
  /** Extra response headers, such as `{ 'retry-after': '2' }`. */
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  firstByteDelayMs?: number;
}

/** One answer of a scripted model server; each model request consumes the next step. */
export type LlmScriptStep = LlmScriptReply | LlmScriptError;

/** A model request as a scripted server received it, translated back into the contract's terms. */
export interface LlmRecordedRequest {
  model: string;
  system?: string;
  messages: LlmMessage[];
  tools: LlmToolDefinition[];
  maxTokens?: number;
  temperature?: number;
  /** Whether a streamed answer was asked for. */
  stream: boolean;
  /** When the request arrived (milliseconds since the epoch). */
  receivedAt: number;
}

/**
 * What the setup of {@link describeLlmProviderContract} returns: a provider pointed at a scripted
 * model server (the `@ngb/testing` fake LLM server satisfies everything but `provider`).
 *
 * The server must know the provider's default model and answer 404 for the model `no-such-model`.
 * The provider must be configured with a short timeout (≤ 2 s), retries on (`maxRetries: 2`) and a short retry backoff (≤ 50 ms).
 */
export interface LlmProviderHarness {
  /** The provider under test. */
  provider: LlmProvider;
  /** Replaces the server's pending script with `steps` and forgets the recorded requests. */
  script(steps: LlmScriptStep[]): void;
  /** Every model request received since the last {@link script} call, oldest first. */
  requests(): LlmRecordedRequest[];
  /** Stops the server and frees what the setup created. */
  close(): Promise<void>;
}
