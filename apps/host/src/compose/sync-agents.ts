import { readdirSync } from 'node:fs';
import type { Agent, AgentPatch, Store } from '@ngb/plugin-sdk';
import { type ConfiguredAgentSettings, configuredAgentSettings } from '../config/agent-defaults';
import { agentFolderPattern, type NgbConfig } from '../config/config-schema';

/** Why a folder name cannot be an agent, or undefined when it can. */
export function agentFolderProblem(folder: string): string | undefined {
  if (folder.toLowerCase() === 'global') return '"global" is reserved for the instructions every agent shares';
  if (!agentFolderPattern.test(folder)) {
    return 'an agent folder name is 1 to 64 letters, digits, "_" or "-", starting with a letter or digit';
  }
  return undefined;
}

/** The agent folders found in the agents directory (valid names only) and the names skipped. */
export function listAgentFolders(agentsDir: string): { folders: string[]; skipped: string[] } {
  let entries: Array<{ name: string; isDirectory(): boolean }>;
  try {
    entries = readdirSync(agentsDir, { withFileTypes: true });
  } catch {
    return { folders: [], skipped: [] };
  }
  const folders: string[] = [];
  const skipped: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name.toLowerCase() === 'global') continue;
    if (agentFolderProblem(entry.name) === undefined) folders.push(entry.name);
    else skipped.push(entry.name);
  }
  return {
    folders: folders.sort((left, right) => (left === 'main' ? -1 : right === 'main' ? 1 : left.localeCompare(right))),
    skipped,
  };
}

/**
 * JSON with keys sorted and undefined values left out, to compare settings whatever their key order.
 * Keys sort by code unit: `localeCompare` would load ICU's collation data (milliseconds) at every start.
 */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)))
      : item,
  );
}

function changedFields(agent: Agent, wanted: ConfiguredAgentSettings): AgentPatch | undefined {
  const patch: AgentPatch = {};
  if (wanted.name !== undefined && wanted.name !== agent.name) patch.name = wanted.name;
  if (wanted.assistantName !== (agent.assistantName ?? null)) patch.assistantName = wanted.assistantName;
  if (wanted.timezone !== agent.timezone) patch.timezone = wanted.timezone;
  if (canonical(wanted.model) !== canonical(agent.model)) patch.model = wanted.model;
  if (canonical(wanted.sandbox) !== canonical(agent.sandbox)) patch.sandbox = wanted.sandbox;
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/**
 * Makes the store's agents match the agent folders: a folder without a record gets one (`main` is
 * the main agent), and the settings under `agents.<folder>` in the config are applied, removals
 * too: a key the config no longer sets returns to its default (see `agentDefaults`). Records whose
 * folder is gone are left alone (their history stays).
 * @returns the agents of the folders, `main` first
 */
export async function syncAgents(store: Store, agentsDir: string, config: NgbConfig): Promise<Agent[]> {
  const { folders } = listAgentFolders(agentsDir);
  const existing = await store.agents.list();
  let hasMain = existing.some((agent) => agent.isMain);
  const result: Agent[] = [];
  for (const folder of folders) {
    const wanted = configuredAgentSettings(config.agents[folder]);
    const agent = existing.find((candidate) => candidate.folder === folder);
    if (agent === undefined) {
      const isMain = folder === 'main' && !hasMain;
      hasMain ||= isMain;
      const { assistantName, ...settings } = wanted;
      result.push(
        await store.agents.create({
          folder,
          name: folder,
          isMain,
          ...settings,
          ...(assistantName !== null ? { assistantName } : {}),
        }),
      );
      continue;
    }
    const patch = changedFields(agent, wanted);
    result.push(patch === undefined ? agent : await store.agents.update(agent.id, patch));
  }
  return result;
}
