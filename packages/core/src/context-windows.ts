import type { Agent, Logger } from '@ngb/plugin-sdk';

/**
 * Context windows (tokens) of the model families the provider packages know, by id prefix, longest
 * prefix first. A family is listed only where its window is published; any other model takes
 * {@link unknownModelContextWindow} unless the agent sets `model.contextWindow`.
 */
const knownContextWindows: ReadonlyArray<readonly [prefix: string, tokens: number]> = [
  ['gpt-4.1', 1_047_576],
  ['gpt-4o', 128_000],
  ['claude-', 200_000],
];

/** The window assumed for a model the table does not know: small, so compaction comes early rather than too late. */
const unknownModelContextWindow = 32_000;

/** The share of the window a prompt may fill before older turns are compacted. */
export const defaultCompactAt = 0.7;

/** Looks up context windows, saying once per model in the log when a model is unknown. */
export type ContextWindowOf = (agent: Agent, model: string | undefined) => number;

/** Creates the lookup of a gateway: the agent's `model.contextWindow`, else the table, else the conservative default. */
export function createContextWindows(logger: Logger): ContextWindowOf {
  const warned = new Set<string>();
  return (agent, model) => {
    if (agent.model.contextWindow !== undefined) return agent.model.contextWindow;
    const name = model ?? '';
    const known = knownContextWindows.find(([prefix]) => name.startsWith(prefix));
    if (known) return known[1];
    if (!warned.has(name)) {
      warned.add(name);
      logger.warn(
        `context window of ${name === '' ? 'the provider default model' : `model "${name}"`} unknown; assuming ${unknownModelContextWindow} tokens (set agents.${agent.folder}.model.contextWindow)`,
        { agentId: agent.id, model: name },
      );
    }
    return unknownModelContextWindow;
  };
}
