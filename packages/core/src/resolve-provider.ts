import { type Agent, ConfigError, type LlmProvider } from '@ngb/plugin-sdk';
import type { ModelRoute } from './model-chain';

/** The model provider of an agent. */
export type ResolveProvider = (agent: Pick<Agent, 'folder' | 'model'>) => LlmProvider;

/**
 * Creates the one rule that picks an agent's model provider: the provider named by the agent's
 * `model.provider`, else the one named `default`, else the only one. `current` is read at each
 * call, so providers plugins register (and unregister) are found.
 * @throws ConfigError naming `agents.<folder>.model.provider` when the agent names a provider
 *   that is not configured (never another vendor instead), or names none while several are
 *   configured and none is called `default`
 */
export function createResolveProvider(current: () => ReadonlyMap<string, LlmProvider>): ResolveProvider {
  return (agent) => {
    const providers = current();
    const key = `agents.${agent.folder}.model.provider`;
    const named = agent.model.provider;
    if (named !== undefined) {
      const provider = providers.get(named);
      if (provider) return provider;
      throw new ConfigError(
        `[@ngb/core] ${key}: no model provider "${named}" is configured (configured: ${[...providers.keys()].join(', ') || 'none'}); configure it or name one of these`,
        { key },
      );
    }
    const fallback = providers.get('default') ?? (providers.size === 1 ? [...providers.values()][0] : undefined);
    if (fallback) return fallback;
    throw new ConfigError(
      `[@ngb/core] ${key}: the agent names no model provider and none is called "default" among ${[...providers.keys()].join(', ') || 'none'}; name one`,
      { key },
    );
  };
}

/**
 * The routes of an agent's `model.fallbacks`, in order, each on the provider it names (else the
 * agent's own).
 * @throws ConfigError naming `agents.<folder>.model.fallbacks.<index>.provider` for a provider that
 *   is not configured
 */
export function fallbackRoutes(resolve: ResolveProvider, agent: Pick<Agent, 'folder' | 'model'>): ModelRoute[] {
  return (agent.model.fallbacks ?? []).map((fallback, index) => {
    try {
      return {
        provider: resolve({ folder: agent.folder, model: { provider: fallback.provider ?? agent.model.provider } }),
        model: fallback.model,
      };
    } catch (error) {
      if (!ConfigError.isInstance(error)) throw error;
      const key = `agents.${agent.folder}.model.fallbacks.${index}.provider`;
      throw new ConfigError(error.message.replace(`agents.${agent.folder}.model.provider`, key), { key });
    }
  });
}
