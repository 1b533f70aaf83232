import { type Dirent, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { agentFolderProblem, displayPath } from '@ngb/host';
import type { CheckResult } from './doctor-checks';

const name = 'agent files';

function entriesOf(agentsDir: string): Dirent[] {
  try {
    return readdirSync(agentsDir, { withFileTypes: true }).sort((left, right) => left.name.localeCompare(right.name));
  } catch {
    return [];
  }
}

/**
 * The files the gateway reads from the agent folders (each `AGENTS.md` and the global one), read
 * as the gateway reads them: a link, FIFO or device there is skipped by the gateway, and named
 * here; so is a file past the size cap.
 */
export async function agentFileChecks(agentsDir: string, maxBytes: number | undefined): Promise<CheckResult[]> {
  const { defaultAgentFileMaxBytes, readAgentFile } = await import('@ngb/core');
  const cap = maxBytes ?? defaultAgentFileMaxBytes;
  const results: CheckResult[] = [];
  const checked: string[] = [];
  for (const entry of entriesOf(agentsDir)) {
    const isAgentOrGlobal = entry.name === 'global' || agentFolderProblem(entry.name) === undefined;
    if (!isAgentOrGlobal) continue;
    const path = displayPath(join(agentsDir, entry.name));
    if (entry.isSymbolicLink()) {
      results.push({
        name,
        status: 'warn',
        detail: `${path} is a symbolic link; the gateway reads nothing through links in the agents folder`,
        fix: `replace the link with a real folder (rm ${path} && mkdir ${path})`,
      });
      continue;
    }
    if (!entry.isDirectory()) continue;
    const file = `${entry.name}/AGENTS.md`;
    const shown = displayPath(join(agentsDir, file));
    const found = await readAgentFile(agentsDir, file, { maxBytes: cap });
    if (found.status === 'refused') {
      results.push({
        name,
        status: 'warn',
        detail: `${shown} is skipped: ${found.detail.replace(file, 'it')}; the gateway reads only regular files there and follows no links`,
        fix: `rm ${shown}, then write the instructions in a regular file`,
      });
    } else if (found.status === 'read' && found.truncated) {
      results.push({
        name,
        status: 'warn',
        detail: `${shown} is larger than ${cap} bytes; the agent sees only the first ${cap}`,
        fix: 'shorten it, or raise "gateway.agentFileMaxBytes" in ngb.config.json',
      });
    } else if (found.status === 'read') checked.push(entry.name);
  }
  if (results.length === 0 && checked.length > 0)
    results.push({ name, status: 'ok', detail: `AGENTS.md of ${checked.join(', ')}: regular files within ${cap} bytes` });
  return results;
}
