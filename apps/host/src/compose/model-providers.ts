import { ConfigError, type LlmProvider, type Logger } from '@ngb/plugin-sdk';
import type { ModelConfig } from '../config/config-schema';
import type { Env } from '../config/load-config';

/** Model settings given on the command line for one run. */
export interface ModelOverrides {
  model?: string;
  maxTokens?: number;
  temperature?: number;
}

/** The model the gateway will call by default, and why. */
export interface ModelChoice {
  provider: 'openai' | 'anthropic';
  model: string;
  baseURL?: string;
  /** The variable holding the credential, when one is used (its value is never shown). */
  credentialVariable?: string;
}

// Checked 2026-12-01 against the providers' model and deprecation pages. Anthropic retired
// claude-sonnet-4-5 on 2026-11-30 and names claude-sonnet-5-5 its replacement (the current Sonnet).
// OpenAI shuts gpt-4.1-mini down on 2027-01-14; gpt-6.1-terra (released 2026-10-26, no retirement
// before 2027-10-26) is its balanced current model and calls tools through Chat Completions, which
// this provider speaks (gpt-6-luna, the cheaper one, does so only with reasoning switched off).
const defaultModels = { anthropic: 'claude-sonnet-5-5', openai: 'gpt-6.1-terra' } as const;

/** What to tell a user who has no model configured at all. */
const noModelMessage =
  'no model is configured: set ANTHROPIC_API_KEY (Anthropic) or OPENAI_API_KEY (OpenAI), ' +
  'or set OPENAI_BASE_URL to a local OpenAI-compatible server (for example http://localhost:11434/v1 for Ollama; no key needed); ' +
  'pick the model with `model` in ngb.config.json or --model';

/**
 * Chooses the default provider: the config's `model.provider`, else Anthropic when
 * `ANTHROPIC_API_KEY` is set, else OpenAI when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set.
 * `OPENAI_BASE_URL` wins over `model.baseURL`, and `--model` over `model.model`.
 * @throws ConfigError naming exactly which variable or option to set
 */
export function chooseModel(config: ModelConfig | undefined, env: Env, overrides: ModelOverrides = {}): ModelChoice {
  const provider =
    config?.provider ?? (env.ANTHROPIC_API_KEY ? 'anthropic' : env.OPENAI_API_KEY || env.OPENAI_BASE_URL ? 'openai' : undefined);
  if (provider === undefined) throw new ConfigError(noModelMessage, { key: 'model' });
  const model = overrides.model ?? config?.model ?? defaultModels[provider];
  if (provider === 'anthropic') {
    const baseURL = env.ANTHROPIC_BASE_URL || config?.baseURL;
    const credentialVariable = env.ANTHROPIC_API_KEY
      ? 'ANTHROPIC_API_KEY'
      : env.ANTHROPIC_AUTH_TOKEN
        ? 'ANTHROPIC_AUTH_TOKEN'
        : undefined;
    if (credentialVariable === undefined) {
      throw new ConfigError(
        'the model provider is "anthropic" (ngb.config.json `model.provider`) but ANTHROPIC_API_KEY is not set: export ANTHROPIC_API_KEY=..., ' +
          'or switch `model.provider` to "openai" and set OPENAI_API_KEY, or OPENAI_BASE_URL for a local OpenAI-compatible server',
        { key: 'model.provider' },
      );
    }
    return { provider, model, baseURL, credentialVariable };
  }
  const baseURL = env.OPENAI_BASE_URL || config?.baseURL;
  if (!env.OPENAI_API_KEY && baseURL === undefined) {
    throw new ConfigError(
      'the model provider is "openai" but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set: export OPENAI_API_KEY=..., ' +
        'or point OPENAI_BASE_URL (or `model.baseURL`) at a local OpenAI-compatible server such as http://localhost:11434/v1',
      { key: 'model.provider' },
    );
  }
  return { provider, model, baseURL, credentialVariable: env.OPENAI_API_KEY ? 'OPENAI_API_KEY' : undefined };
}

/**
 * Builds the providers the gateway gets: `default` (the chosen one) and, under its own name,
 * every provider whose credentials are present (agents may pick one with `model.provider`).
 */
export async function createProviders(
  choice: ModelChoice,
  config: ModelConfig | undefined,
  env: Env,
  logger: Logger,
  overrides: ModelOverrides = {},
): Promise<Record<string, LlmProvider>> {
  const settings = {
    maxTokens: overrides.maxTokens ?? config?.maxTokens,
    temperature: overrides.temperature ?? config?.temperature,
    // The gateway's agent loop retries a failed model call; the provider must not retry it too.
    maxRetries: 0,
  };
  const providers: Record<string, LlmProvider> = {};
  const build = async (name: 'openai' | 'anthropic', model: string, baseURL: string | undefined): Promise<LlmProvider> => {
    const variable = name === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY';
    const keys = apiKeysOf(env[variable]);
    if (keys.length < 2) return buildWithKey(name, model, baseURL, keys[0]);
    const { createKeyRotatingProvider } = await import('@ngb/core');
    return createKeyRotatingProvider({
      name,
      logger: logger.child(name),
      keys: await Promise.all(
        keys.map(async (key, index) => ({
          label: `${variable} #${index + 1}`,
          provider: await buildWithKey(name, model, baseURL, key),
        })),
      ),
    });
  };
  const buildWithKey = async (
    name: 'openai' | 'anthropic',
    model: string,
    baseURL: string | undefined,
    apiKey: string | undefined,
  ): Promise<LlmProvider> => {
    if (name === 'anthropic') {
      const { createAnthropicProvider } = await import('@ngb/llm-anthropic');
      return createAnthropicProvider({
        apiKey,
        authToken: env.ANTHROPIC_API_KEY ? undefined : env.ANTHROPIC_AUTH_TOKEN || undefined,
        baseURL,
        model,
        ...settings,
        logger: logger.child('anthropic'),
      });
    }
    const { createOpenAIProvider } = await import('@ngb/llm-openai');
    return createOpenAIProvider({
      apiKey,
      baseURL,
      model,
      ...settings,
      logger: logger.child('openai'),
    });
  };
  const chosen = withOverrides(await build(choice.provider, choice.model, choice.baseURL), overrides);
  providers.default = chosen;
  providers[choice.provider] = chosen;
  const other = choice.provider === 'openai' ? 'anthropic' : 'openai';
  const otherConfigured =
    other === 'anthropic' ? Boolean(env.ANTHROPIC_API_KEY) : Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
  if (otherConfigured) {
    const otherBase = other === 'openai' ? env.OPENAI_BASE_URL || undefined : env.ANTHROPIC_BASE_URL || undefined;
    providers[other] = withOverrides(await build(other, defaultModels[other], otherBase), overrides);
  }
  return providers;
}

/**
 * The keys in an API key variable: several, separated by commas, rotate on 429 (see
 * `createKeyRotatingProvider`); empty entries are ignored.
 */
export function apiKeysOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
}

/** A provider whose requests take this run's `--model`, `--max-tokens` and `--temperature`. */
function withOverrides(provider: LlmProvider, overrides: ModelOverrides): LlmProvider {
  if (overrides.model === undefined && overrides.maxTokens === undefined && overrides.temperature === undefined) return provider;
  return {
    specificationVersion: 1,
    name: provider.name,
    doStream: (request) =>
      provider.doStream({
        ...request,
        model: overrides.model ?? request.model,
        maxTokens: overrides.maxTokens ?? request.maxTokens,
        temperature: overrides.temperature ?? request.temperature,
      }),
  };
}
