import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { ConfigError, errorMessage } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { agentsDirProblem } from './agents-dir-policy';
import { configSchema, type NgbConfig } from './config-schema';
import { configFileName, type ProjectPaths, projectPaths } from './project-paths';
import { findUnknownKeys } from './unknown-keys';

/** The environment as an app passes it in (the host never reads the process environment itself; tests give their own). */
export type Env = Readonly<Record<string, string | undefined>>;

/** A validated config and where everything lives. */
export interface LoadedConfig {
  config: NgbConfig;
  paths: ProjectPaths;
  /** Unknown keys and similar: printed, never fatal. */
  warnings: string[];
}

/** Walks up from `start` to the first directory holding `ngb.config.json`. */
export function findConfigFile(start: string): string | undefined {
  let directory = resolve(start);
  for (;;) {
    const candidate = join(directory, configFileName);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/** A path as the user would like to read it: relative to the working directory when inside it. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const relativePath = relative(cwd, path);
  return relativePath !== '' && !relativePath.startsWith('..') ? relativePath : path;
}

/**
 * Validates the text of a config file.
 * @throws ConfigError naming the file and the key
 */
export function parseConfig(text: string, file: string): { config: NgbConfig; warnings: string[] } {
  const shown = displayPath(file);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${shown} is not valid JSON: ${errorMessage(error)}`, { key: '', cause: error });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${shown} must hold a JSON object ({ ... })`, { key: '' });
  }
  const result = v.safeParse(configSchema, raw);
  if (!result.success) {
    const issue = result.issues[0];
    const key = v.getDotPath(issue) ?? '';
    const received = issue.received !== undefined && !issue.message.includes(issue.received) ? ` (got ${issue.received})` : '';
    throw new ConfigError(`${shown}: key "${key}" ${lowerFirst(issue.message)}${received}`, { key });
  }
  const warnings = findUnknownKeys(configSchema, raw).map((key) => `${shown}: unknown key "${key}" is ignored`);
  for (const folder of Object.keys(result.output.agents)) {
    if (folder.toLowerCase() === 'global')
      warnings.push(`${shown}: "agents.${folder}": the folder name "global" is reserved for shared instructions`);
  }
  return { config: result.output, warnings };
}

function lowerFirst(text: string): string {
  return text.startsWith('Invalid') ? `is invalid: ${text.slice('Invalid '.length)}` : text;
}

/**
 * Finds and loads the config: `--config`, else `NGB_CONFIG`, else `ngb.config.json` in the working
 * directory or the nearest parent.
 * @throws ConfigError when there is none, it cannot be read, or it is invalid
 */
export function loadConfig(options: { configOption?: string; env: Env; cwd: string }): LoadedConfig {
  const explicit = options.configOption ?? (options.env.NGB_CONFIG || undefined);
  const file = explicit === undefined ? findConfigFile(options.cwd) : resolve(options.cwd, explicit);
  if (file === undefined) {
    throw new ConfigError(
      `no ${configFileName} in ${options.cwd} or any parent directory: run \`ngb init\` here, or pass --config <file>`,
      { key: '' },
    );
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error);
    const origin = options.configOption !== undefined ? '--config' : 'NGB_CONFIG';
    throw new ConfigError(`cannot read the config file ${file} (from ${origin}): ${reason}`, { key: '', cause: error });
  }
  const { config, warnings } = parseConfig(text, file);
  return { config, warnings, paths: checkedProjectPaths(file, config) };
}

/**
 * The project's paths, after checking that the agents folder is one the gateway may hand to
 * sandboxes (see {@link agentsDirProblem}).
 * @throws ConfigError naming `agentsDir`
 */
export function checkedProjectPaths(file: string, config: NgbConfig): ProjectPaths {
  const paths = projectPaths(file, config);
  const problem = agentsDirProblem({
    root: paths.root,
    agentsDir: paths.agentsDir,
    dataDir: paths.dataDir,
    allowOutsideProject: config.allowAgentsDirOutsideProject,
    homeDir: homedir(),
  });
  if (problem !== undefined) throw new ConfigError(`${displayPath(file)}: key "agentsDir": ${problem}`, { key: 'agentsDir' });
  return paths;
}
