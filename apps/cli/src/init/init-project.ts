import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkedProjectPaths, configFileName, type Env, type NgbConfig, type ProjectPaths, parseConfig } from '@ngb/host';
import { existingEntry } from './existing-entry';
import { handToSandboxUser } from './sandbox-owner';
import { starterGlobalInstructions, starterMainInstructions } from './starter-files';

/** What `ngb init` did, path by path. */
export interface InitReport {
  paths: ProjectPaths;
  created: string[];
  kept: string[];
  warnings: string[];
  config: NgbConfig;
}

/** The config `ngb init` writes: every default spelled out, so it documents itself. */
function defaultConfigText(): string {
  const config = {
    dataDir: '.ngb',
    agentsDir: 'agents',
    runtime: { driver: 'docker', image: 'ngb-agent:latest', maxSandboxes: 5, idleTimeoutMinutes: 30 },
    allowLocalRuntime: false,
    channels: {},
    agents: { main: { name: 'main' } },
    log: { level: 'info' },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Creates what is missing of a project in `directory` and keeps what exists (an existing config
 * is validated, never rewritten; instruction files are never overwritten).
 * @throws ConfigError when an existing config is invalid
 */
export function initProject(directory: string, _env: Env): InitReport {
  const root = resolve(directory);
  const created: string[] = [];
  const kept: string[] = [];
  const note = (path: string, wasCreated: boolean) => (wasCreated ? created : kept).push(path);
  // Links are the user's business outside the agents folder; inside it the gateway refuses them.
  const ensureDirectory = (path: string, linksAllowed: boolean) => {
    const existed = existingEntry(path, 'folder', { linksAllowed });
    if (!existed) mkdirSync(path, { recursive: true });
    note(path, !existed);
    return !existed;
  };
  const ensureFile = (path: string, text: string, linksAllowed: boolean) => {
    const existed = existingEntry(path, 'file', { linksAllowed });
    if (!existed) writeFileSync(path, text, { flag: 'wx' });
    note(path, !existed);
  };
  if (!existingEntry(root, 'folder', { linksAllowed: true })) mkdirSync(root, { recursive: true });
  const configFile = join(root, configFileName);
  const hadConfig = existingEntry(configFile, 'file', { linksAllowed: true });
  if (!hadConfig) writeFileSync(configFile, defaultConfigText(), { flag: 'wx' });
  note(configFile, !hadConfig);
  const { config, warnings } = parseConfig(readFileSync(configFile, 'utf8'), configFile);
  const paths = checkedProjectPaths(configFile, config);

  ensureDirectory(paths.dataDir, true);
  ensureDirectory(join(paths.dataDir, 'logs'), true);
  ensureFile(join(paths.dataDir, '.gitignore'), '# ngb keeps its database, logs and shell history here.\n*\n', true);
  existingEntry(paths.agentsDir, 'folder', { linksAllowed: true });
  const mainFolder = join(paths.agentsDir, 'main');
  const mainCreated = ensureDirectory(mainFolder, false);
  ensureFile(join(mainFolder, 'AGENTS.md'), starterMainInstructions, false);
  if (mainCreated) handToSandboxUser([mainFolder, join(mainFolder, 'AGENTS.md')]);
  ensureDirectory(join(paths.agentsDir, 'global'), false);
  ensureFile(join(paths.agentsDir, 'global', 'AGENTS.md'), starterGlobalInstructions, false);
  return { paths, created, kept, warnings, config };
}
