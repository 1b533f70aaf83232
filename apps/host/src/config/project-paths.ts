import { dirname, join, resolve } from 'node:path';
import type { NgbConfig } from './config-schema';

/** The file name `ngb` looks for. */
export const configFileName = 'ngb.config.json';

/** Where a project keeps its files, all absolute. */
export interface ProjectPaths {
  /** The directory of the config file; relative paths in the config are relative to it. */
  root: string;
  configFile: string;
  dataDir: string;
  agentsDir: string;
  database: string;
  logFile: string;
  historyFile: string;
}

/** Resolves the project's paths from its config file. */
export function projectPaths(configFile: string, config: Pick<NgbConfig, 'dataDir' | 'agentsDir'>): ProjectPaths {
  const root = dirname(configFile);
  const dataDir = resolve(root, config.dataDir);
  return {
    root,
    configFile,
    dataDir,
    agentsDir: resolve(root, config.agentsDir),
    database: join(dataDir, 'ngb.db'),
    logFile: join(dataDir, 'logs', 'gateway.jsonl'),
    historyFile: join(dataDir, 'shell_history'),
  };
}
