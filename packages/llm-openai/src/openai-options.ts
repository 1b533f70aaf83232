import { ConfigError, type ProviderTransportOptions, parseOptions, providerTransportEntries } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** Options of {@link createOpenAIProvider}. Nothing is read from the environment. */
export interface OpenAIProviderOptions extends ProviderTransportOptions {
  /**
   * The API key (an app reads it from `OPENAI_API_KEY`), sent as `Authorization: Bearer`. Required
   * for OpenAI itself; optional with a `baseURL`, since local servers (Ollama, LM Studio, vLLM)
   * often need none — then no Authorization header is sent.
   */
  apiKey?: string;
  /**
   * An OpenAI-compatible endpoint (an app reads it from `OPENAI_BASE_URL`), such as
   * `http://localhost:11434/v1` (Ollama), `http://localhost:1234/v1` (LM Studio),
   * `http://localhost:8000/v1` (vLLM) or `https://api.deepseek.com/v1`.
   * @default 'https://api.openai.com/v1'
   */
  baseURL?: string;
  /** The model id used when a request names none, such as `gpt-6.1-terra` or `llama3.1`. */
  model: string;
  /** Generated tokens at most, when a request sets none. @default none (the server's limit) */
  maxTokens?: number;
  /**
   * Which body field carries the token limit. OpenAI wants `max_completion_tokens`; many compatible
   * servers only know `max_tokens`.
   * @default 'max_completion_tokens' for api.openai.com, else 'max_tokens'
   */
  maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  /** Sampling temperature when a request sets none. @default the server's */
  temperature?: number;
  /** System prompt when a request has none. */
  system?: string;
}

const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));
const text = v.pipe(v.string(), v.minLength(1));

/** The schema {@link OpenAIProviderOptions} are parsed with. */
export const openAIProviderOptionsSchema = v.object({
  apiKey: v.optional(text),
  baseURL: v.optional(v.pipe(v.string(), v.url())),
  model: text,
  maxTokens: v.optional(positiveInteger),
  maxTokensField: v.optional(v.picklist(['max_completion_tokens', 'max_tokens'])),
  temperature: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(2))),
  system: v.optional(v.string()),
  ...providerTransportEntries,
});

/** Options after defaults. */
export type ResolvedOpenAIProviderOptions = Omit<
  v.InferOutput<typeof openAIProviderOptionsSchema>,
  'baseURL' | 'maxTokensField'
> & {
  baseURL: string;
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
};

const openAIBaseURL = 'https://api.openai.com/v1';

/** Validates the options once, naming the key at fault. */
export function parseOpenAIProviderOptions(options: OpenAIProviderOptions): ResolvedOpenAIProviderOptions {
  const parsed = parseOptions(openAIProviderOptionsSchema, options, '[@ngb/llm-openai]');
  if (parsed.apiKey === undefined && parsed.baseURL === undefined) {
    throw new ConfigError(
      '[@ngb/llm-openai] missing `apiKey`: pass `apiKey` (apps read it from OPENAI_API_KEY), or a `baseURL` ' +
        '(OPENAI_BASE_URL) pointing at a local OpenAI-compatible server that needs no key, such as http://localhost:11434/v1',
      { key: 'apiKey' },
    );
  }
  const baseURL = parsed.baseURL ?? openAIBaseURL;
  const isOpenAI = new URL(baseURL).hostname === 'api.openai.com';
  return { ...parsed, baseURL, maxTokensField: parsed.maxTokensField ?? (isOpenAI ? 'max_completion_tokens' : 'max_tokens') };
}
