import type { Sleep } from '@ngb/plugin-sdk';
import { ConfigError, type Logger, silentLogger } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** Options of {@link createAnthropicProvider}. Nothing is read from the environment. */
export interface AnthropicProviderOptions {
  /** The API key (an app reads it from `ANTHROPIC_API_KEY`); sent as `Authorization: Bearer`. Give this or `authToken`. */
  apiKey?: string;
  /** An OAuth bearer token (an app reads it from `ANTHROPIC_AUTH_TOKEN`). Give this or `apiKey`. */
  authToken?: string;
  /** @default 'https://api.anthropic.com' */
  baseURL?: string;
  /** The model id used when a request names none, such as `claude-sonnet-4-5`. */
  model: string;
  /** Generated tokens at most, when a request sets none. @default 4096 */
  maxTokens?: number;
  /**
   * Accepted for symmetry with other providers, but the Messages API version the SDK speaks
   * (2026-10-21) has no sampling parameters: a temperature here or in a request is not sent and is
   * logged once as a warning.
   */
  temperature?: number;
  /** System prompt when a request has none. */
  system?: string;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** The fetch used for HTTP. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Retries of a failed call (429, 5xx, a dropped connection) before the first part. @default 2 */
  maxRetries?: number;
  /** The first retry's backoff when the API gives no `retry-after`; doubled each retry. @default 500 */
  retryDelayMs?: number;
  /** A `retry-after` longer than this is not waited for; the error is thrown with `retryAfterMs`. @default 60000 */
  maxRetryDelayMs?: number;
  /** The longest wait for the response to start and between two stream events. @default 300000 */
  timeoutMs?: number;
  /** Where retries and SDK warnings are logged. @default silentLogger */
  logger?: Logger;
  /** The wait between retries (a seam for tests). @default a timer on the real clock */
  sleep?: Sleep;
}

const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));
const nonNegativeInteger = v.pipe(v.number(), v.integer(), v.minValue(0));
const text = v.pipe(v.string(), v.minLength(1));

/** The schema {@link AnthropicProviderOptions} are parsed with. */
export const anthropicProviderOptionsSchema = v.object({
  apiKey: v.optional(text),
  authToken: v.optional(text),
  baseURL: v.optional(v.pipe(v.string(), v.url()), 'https://api.anthropic.com'),
  model: text,
  maxTokens: v.optional(positiveInteger, 4096),
  temperature: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(2))),
  system: v.optional(v.string()),
  headers: v.optional(v.record(v.string(), v.string()), {}),
  fetch: v.optional(v.custom<typeof globalThis.fetch>((value) => typeof value === 'function', 'must be a function')),
  maxRetries: v.optional(nonNegativeInteger, 2),
  retryDelayMs: v.optional(nonNegativeInteger, 500),
  maxRetryDelayMs: v.optional(nonNegativeInteger, 60_000),
  timeoutMs: v.optional(positiveInteger, 300_000),
  logger: v.optional(
    v.custom<Logger>((value) => typeof value === 'object' && value !== null && 'warn' in value, 'must be a Logger'),
    silentLogger,
  ),
  sleep: v.optional(v.custom<Sleep>((value) => typeof value === 'function', 'must be a function')),
});

/** Options after defaults. */
export type ResolvedAnthropicProviderOptions = v.InferOutput<typeof anthropicProviderOptionsSchema>;

/** Validates the options once, naming the key at fault. */
export function parseAnthropicProviderOptions(options: AnthropicProviderOptions): ResolvedAnthropicProviderOptions {
  const result = v.safeParse(anthropicProviderOptionsSchema, options);
  if (!result.success) {
    const issue = result.issues[0];
    const key = v.getDotPath(issue) ?? 'options';
    throw new ConfigError(`[@ngb/llm-anthropic] option \`${key}\`: ${issue.message}`, { key });
  }
  const parsed = result.output;
  if (parsed.apiKey === undefined && parsed.authToken === undefined) {
    throw new ConfigError(
      '[@ngb/llm-anthropic] missing `apiKey`: pass `apiKey` (apps read it from ANTHROPIC_API_KEY) or `authToken` (ANTHROPIC_AUTH_TOKEN)',
      { key: 'apiKey' },
    );
  }
  if (parsed.apiKey !== undefined && parsed.authToken !== undefined) {
    throw new ConfigError('[@ngb/llm-anthropic] pass either `apiKey` or `authToken`, not both', { key: 'authToken' });
  }
  return parsed;
}
