import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NgbConfig } from '../config/config-schema';
import { checkedProjectPaths, type Env, parseConfig } from '../config/load-config';
import { configFileName, type ProjectPaths } from '../config/project-paths';
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
  mkdirSync(root, { recursive: true });
  const configFile = join(root, configFileName);
  const hadConfig = existsSync(configFile);
  if (!hadConfig) writeFileSync(configFile, defaultConfigText(), { flag: 'wx' });
  note(configFile, !hadConfig);
  const { config, warnings } = parseConfig(readFileSync(configFile, 'utf8'), configFile);
  const paths = checkedProjectPaths(configFile, config);

  const ensureDirectory = (path: string) => {
    const existed = existsSync(path);
    mkdirSync(path, { recursive: true });
    note(path, !existed);
  };
  const ensureFile = (path: string, text: string) => {
    const existed = existsSync(path);
    if (!existed) writeFileSync(path, text, { flag: 'wx' });
    note(path, !existed);
  };
  ensureDirectory(paths.dataDir);
  ensureDirectory(join(paths.dataDir, 'logs'));
  ensureFile(join(paths.dataDir, '.gitignore'), '# ngb keeps its database, logs and shell history here.\n*\n');
  const mainFolder = join(paths.agentsDir, 'main');
  const mainCreated = !existsSync(mainFolder);
  ensureDirectory(mainFolder);
  ensureFile(join(mainFolder, 'AGENTS.md'), starterMainInstructions);
  if (mainCreated) handToSandboxUser([mainFolder, join(mainFolder, 'AGENTS.md')]);
  ensureDirectory(join(paths.agentsDir, 'global'));
  ensureFile(join(paths.agentsDir, 'global', 'AGENTS.md'), starterGlobalInstructions);
  return { paths, created, kept, warnings, config };
}
