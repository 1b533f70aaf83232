import { ConfigError, type ProviderTransportOptions, parseOptions, providerTransportEntries } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** Options of {@link createAnthropicProvider}. Nothing is read from the environment. */
export interface AnthropicProviderOptions extends ProviderTransportOptions {
  /** The API key (an app reads it from `ANTHROPIC_API_KEY`); sent as `Authorization: Bearer`. Give this or `authToken`. */
  apiKey?: string;
  /** An OAuth bearer token (an app reads it from `ANTHROPIC_AUTH_TOKEN`). Give this or `apiKey`. */
  authToken?: string;
  /** Where the Messages API is (a proxy, or a fake in tests). @default 'https://api.anthropic.com' */
  baseURL?: string;
  /** The model id used when a request names none, such as `claude-sonnet-5-5`. */
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
}

const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));
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
  ...providerTransportEntries,
});

/** Options after defaults. */
export type ResolvedAnthropicProviderOptions = v.InferOutput<typeof anthropicProviderOptionsSchema>;

/** Validates the options once, naming the key at fault. */
export function parseAnthropicProviderOptions(options: AnthropicProviderOptions): ResolvedAnthropicProviderOptions {
  const parsed = parseOptions(anthropicProviderOptionsSchema, options, '[@ngb/llm-anthropic]');
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
