import type { LlmProvider, LlmRequest, LlmStreamPart, Logger } from '@ngb/plugin-sdk';
import { loadOnce, retryPolicyOf, sdkLogger, streamGuardedAttempt, streamWithRetries } from '@ngb/plugin-sdk';
import type OpenAI from 'openai';
import { convertToOpenAIRequest } from './convert-to-openai-request';
import { mapOpenAIError, type OpenAIErrorClasses } from './map-openai-error';
import { type OpenAIProviderOptions, parseOpenAIProviderOptions, type ResolvedOpenAIProviderOptions } from './openai-options';
import { createOpenAIPartAssembler } from './openai-stream-parts';

const label = '[@ngb/llm-openai]';

function createClient(Client: typeof OpenAI, options: ResolvedOpenAIProviderOptions, logger: Logger): OpenAI {
  // Every setting is explicit so the SDK falls back on none of its environment variables. Without
  // a key (a local server), the SDK still wants one, so a placeholder is given and its header removed.
  return new Client({
    apiKey: options.apiKey ?? 'no-key',
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    baseURL: options.baseURL,
    defaultHeaders: options.apiKey === undefined ? { ...options.headers, Authorization: null } : options.headers,
    fetch: options.fetch,
    maxRetries: 0,
    timeout: options.timeoutMs,
    logLevel: 'warn',
    logger: sdkLogger(logger.child('sdk')),
  });
}

/** The SDK and a client of it, loaded on the first model call: a gateway starts without paying for it. */
interface LoadedClient {
  sdk: OpenAIErrorClasses;
  client: OpenAI;
}

function streamOnce(
  load: () => Promise<LoadedClient>,
  request: LlmRequest,
  options: ResolvedOpenAIProviderOptions,
): AsyncGenerator<LlmStreamPart, void, undefined> {
  const body = convertToOpenAIRequest(request, options);
  return streamGuardedAttempt({
    signal: request.signal,
    timeoutMs: options.timeoutMs,
    provider: 'openai',
    label,
    load,
    open: ({ client }, signal) => client.chat.completions.create(body, { signal }),
    assembler: createOpenAIPartAssembler(),
    mapError: (error, { sdk }) => mapOpenAIError(error, body.model, sdk),
  });
}

/**
 * An LlmProvider over the OpenAI Chat Completions API (`openai`), streaming; with `baseURL`, any
 * compatible server (Ollama, vLLM, LM Studio, DeepSeek, ...).
 * @throws ConfigError when an option is invalid, or when neither `apiKey` nor `baseURL` is given
 */
export function createOpenAIProvider(options: OpenAIProviderOptions): LlmProvider {
  const resolved = parseOpenAIProviderOptions(options);
  const logger = resolved.logger.child('openai');
  const load = loadOnce(async (): Promise<LoadedClient> => {
    const sdk = await import('openai');
    return { sdk, client: createClient(sdk.default, resolved, logger) };
  });
  const policy = retryPolicyOf(resolved, logger);
  return {
    specificationVersion: 1,
    name: 'openai',
    doStream: (request) => streamWithRetries(() => streamOnce(load, request, resolved), request.signal, policy),
  };
}
