import { readdirSync } from 'node:fs';
import type { Agent, AgentPatch, NewAgent, Store } from '@ngb/plugin-sdk';
import { type AgentConfig, agentFolderPattern, type NgbConfig } from '../config/config-schema';

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

function fromConfig(settings: AgentConfig | undefined): Partial<NewAgent> {
  if (settings === undefined) return {};
  return {
    ...(settings.name !== undefined ? { name: settings.name } : {}),
    ...(settings.assistantName !== undefined ? { assistantName: settings.assistantName } : {}),
    ...(settings.timezone !== undefined ? { timezone: settings.timezone } : {}),
    ...(settings.model !== undefined ? { model: settings.model } : {}),
    sandbox: {
      network: settings.network ?? 'none',
      memoryMb: settings.memoryMb,
      cpus: settings.cpus,
      pids: settings.pids,
      diskMb: settings.diskLimitMb,
    },
  };
}

function changedFields(agent: Agent, wanted: Partial<NewAgent>): AgentPatch | undefined {
  const patch: AgentPatch = {};
  if (wanted.name !== undefined && wanted.name !== agent.name) patch.name = wanted.name;
  if (wanted.assistantName !== undefined && wanted.assistantName !== agent.assistantName)
    patch.assistantName = wanted.assistantName;
  if (wanted.timezone !== undefined && wanted.timezone !== agent.timezone) patch.timezone = wanted.timezone;
  if (wanted.model !== undefined && JSON.stringify(wanted.model) !== JSON.stringify(agent.model)) patch.model = wanted.model;
  if (wanted.sandbox !== undefined) {
    const next = { ...agent.sandbox, ...wanted.sandbox };
    if (JSON.stringify(next) !== JSON.stringify(agent.sandbox)) patch.sandbox = next;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/**
 * Makes the store's agents match the agent folders: a folder without a record gets one (`main` is
 * the main agent), and settings under `agents.<folder>` in the config are applied. Records whose
 * folder is gone are left alone (their history stays).
 * @returns the agents of the folders, `main` first
 */
export async function syncAgents(store: Store, agentsDir: string, config: NgbConfig): Promise<Agent[]> {
  const { folders } = listAgentFolders(agentsDir);
  const existing = await store.agents.list();
  let hasMain = existing.some((agent) => agent.isMain);
  const result: Agent[] = [];
  for (const folder of folders) {
    const wanted = fromConfig(config.agents[folder]);
    const agent = existing.find((candidate) => candidate.folder === folder);
    if (agent === undefined) {
      const isMain = folder === 'main' && !hasMain;
      hasMain ||= isMain;
      result.push(await store.agents.create({ folder, name: folder, isMain, ...wanted }));
      continue;
    }
    const patch = changedFields(agent, wanted);
    result.push(patch === undefined ? agent : await store.agents.update(agent.id, patch));
  }
  return result;
}
