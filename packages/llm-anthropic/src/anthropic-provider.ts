import type Anthropic from '@anthropic-ai/sdk';
import type { Stream } from '@anthropic-ai/sdk/core/streaming';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { LlmProvider, LlmRequest, LlmStreamPart, Logger } from '@ngb/plugin-sdk';
import { loadOnce, retryPolicyOf, sdkLogger, streamGuardedAttempt, streamWithRetries } from '@ngb/plugin-sdk';
import { createRetirementWarner } from './anthropic-model-retirements';
import {
  type AnthropicProviderOptions,
  parseAnthropicProviderOptions,
  type ResolvedAnthropicProviderOptions,
} from './anthropic-options';
import { createAnthropicPartAssembler } from './anthropic-stream-parts';
import { convertToAnthropicRequest } from './convert-to-anthropic-request';
import { type AnthropicErrorClasses, mapAnthropicError } from './map-anthropic-error';

const label = '[@ngb/llm-anthropic]';

function createClient(Client: typeof Anthropic, options: ResolvedAnthropicProviderOptions, logger: Logger): Anthropic {
  // Every setting is explicit so the SDK falls back on none of its environment variables.
  return new Client({
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : { authToken: options.authToken }),
    baseURL: options.baseURL,
    defaultHeaders: options.headers,
    fetch: options.fetch,
    maxRetries: 0,
    timeout: options.timeoutMs,
    logLevel: 'warn',
    logger: sdkLogger(logger.child('sdk')),
  });
}

/** The SDK and a client of it, loaded on the first model call: a gateway starts without paying for it. */
interface LoadedClient {
  sdk: AnthropicErrorClasses;
  client: Anthropic;
}

function streamOnce(
  load: () => Promise<LoadedClient>,
  request: LlmRequest,
  options: ResolvedAnthropicProviderOptions,
): AsyncGenerator<LlmStreamPart, void, undefined> {
  const body = convertToAnthropicRequest(request, options);
  return streamGuardedAttempt({
    signal: request.signal,
    timeoutMs: options.timeoutMs,
    provider: 'anthropic',
    label,
    load,
    // Not `client.messages.create`: for a deprecated model it writes a notice to `console.warn`,
    // past the logger; the provider warns through the logger itself (`createRetirementWarner`).
    open: ({ client }, signal) => client.post<Stream<RawMessageStreamEvent>>('/v1/messages', { body, stream: true, signal }),
    assembler: createAnthropicPartAssembler(),
    mapError: (error, { sdk }) => mapAnthropicError(error, body.model, sdk),
  });
}

/**
 * An LlmProvider over the Anthropic Messages API (`@anthropic-ai/sdk`), streaming.
 * @throws ConfigError when an option is invalid or neither `apiKey` nor `authToken` is given
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): LlmProvider {
  const resolved = parseAnthropicProviderOptions(options);
  const logger = resolved.logger.child('anthropic');
  const load = loadOnce(async (): Promise<LoadedClient> => {
    const sdk = await import('@anthropic-ai/sdk');
    return { sdk, client: createClient(sdk.default, resolved, logger) };
  });
  const policy = retryPolicyOf(resolved, logger);
  const warnIfRetiring = createRetirementWarner(logger, label);
  let warnedTemperature = false;
  return {
    specificationVersion: 1,
    name: 'anthropic',
    doStream(request) {
      if (!warnedTemperature && (request.temperature ?? resolved.temperature) !== undefined) {
        warnedTemperature = true;
        logger.warn(`${label} temperature is not part of the Messages API version the SDK speaks; it is not sent`);
      }
      warnIfRetiring(request.model ?? resolved.model);
      return streamWithRetries(() => streamOnce(load, request, resolved), request.signal, policy);
    },
  };
}
