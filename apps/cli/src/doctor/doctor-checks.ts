import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  chooseModel,
  displayPath,
  dockerFix,
  type Env,
  enabledChannels,
  imageExists,
  type LoadedConfig,
  listAgentFolders,
  loadConfig,
  type NgbConfig,
  parseConfig,
  probeDockerEngine,
} from '@ngb/host';
import { errorMessage } from '@ngb/plugin-sdk';
import { inspectChannel } from '../channel/channel-status';
import { sandboxCanWrite, sandboxUser } from '../init/sandbox-owner';
import { agentFileChecks } from './agent-file-checks';
import { mcpServerChecks } from './mcp-server-checks';
import { skillChecks } from './skill-checks';
import { storedSettingsChecks } from './stored-settings-checks';

/** The outcome of one check. */
export interface CheckResult {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  /** What to do about a warning or failure. */
  fix?: string;
}

const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });
const warn = (name: string, detail: string, fix?: string): CheckResult => ({ name, status: 'warn', detail, fix });
const failed = (name: string, detail: string, fix: string): CheckResult => ({ name, status: 'fail', detail, fix });

function nodeCheck(): CheckResult {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major > 20 || (major === 20 && minor >= 19)) return ok('Node.js', process.versions.node);
  return failed('Node.js', `${process.versions.node} is too old`, 'install Node.js 20.19 or newer');
}

function configCheck(options: { configOption?: string; env: Env; cwd: string }): {
  results: CheckResult[];
  loaded?: LoadedConfig;
} {
  try {
    const loaded = loadConfig(options);
    const results = [ok('config', displayPath(loaded.paths.configFile))];
    for (const warning of loaded.warnings) results.push(warn('config', warning, 'remove or correct the key'));
    return { results, loaded };
  } catch (error) {
    return {
      results: [failed('config', errorMessage(error), 'run `ngb init` in the project directory, or fix the key named above')],
    };
  }
}

function projectChecks(loaded: LoadedConfig): CheckResult[] {
  const { paths } = loaded;
  const results: CheckResult[] = [];
  results.push(
    existsSync(paths.database)
      ? ok('database', displayPath(paths.database))
      : failed('database', `${displayPath(paths.database)} does not exist yet`, 'run `ngb init`'),
  );
  const { folders, skipped } = listAgentFolders(paths.agentsDir);
  if (!folders.includes('main'))
    results.push(failed('agents', `no main agent in ${displayPath(paths.agentsDir)}`, 'run `ngb init`'));
  else {
    const instructions = join(paths.agentsDir, 'main', 'AGENTS.md');
    results.push(
      existsSync(instructions)
        ? ok('agents', `${folders.join(', ')} (${displayPath(paths.agentsDir)})`)
        : warn('agents', `${displayPath(instructions)} is missing`, 'run `ngb init` to create a starter'),
    );
  }
  for (const folder of folders) {
    const path = join(paths.agentsDir, folder);
    if (!sandboxCanWrite(path)) {
      results.push(
        warn(
          'agents',
          `the sandbox user (uid ${sandboxUser.uid}) cannot write in ${displayPath(path)}`,
          `chown -R ${sandboxUser.uid}:${sandboxUser.gid} ${displayPath(path)}`,
        ),
      );
    }
  }
  for (const name of skipped)
    results.push(
      warn('agents', `folder "${name}" is not a valid agent name and is ignored`, 'rename it (letters, digits, _ and -)'),
    );
  return results;
}

async function runtimeChecks(config: NgbConfig, env: Env): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const probe = await probeDockerEngine(env);
  const local = config.runtime.driver === 'local';
  if (local) {
    const remote = (await enabledChannels(config)).filter((manifest) => manifest.remote).map((manifest) => manifest.name);
    results.push(
      remote.length > 0 && !config.allowLocalRuntime
        ? failed(
            'runtime',
            `serve would refuse: "runtime.driver": "local" with ${remote.join(', ')} enabled`,
            'set "runtime.driver": "docker" (or "allowLocalRuntime": true to accept the risk)',
          )
        : warn('runtime', 'ngb.config.json sets "runtime.driver": "local": tools are NOT ISOLATED', 'set it to "docker"'),
    );
  }
  if (!probe.ok) {
    const detail = `not answering at ${probe.endpoint.display} (${probe.error})`;
    results.push(
      local
        ? warn('Docker engine', detail, dockerFix(probe))
        : failed('Docker engine', `${detail}: run, shell and serve refuse to run tools`, dockerFix(probe)),
    );
    return results;
  }
  results.push(ok('Docker engine', `${probe.version} at ${probe.endpoint.display}`));
  const image = config.runtime.image;
  results.push(
    (await imageExists(env, image))
      ? ok('sandbox image', image)
      : failed('sandbox image', `${image} is not built`, 'run `ngb image build`'),
  );
  return results;
}

async function modelChecks(config: NgbConfig, env: Env): Promise<CheckResult[]> {
  const keys = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'OPENAI_BASE_URL']
    .map((name) => `${name} ${env[name] ? 'set' : 'not set'}`)
    .join(', ');
  let choice: ReturnType<typeof chooseModel>;
  try {
    choice = chooseModel(config.model, env);
  } catch (error) {
    return [failed('model', `${keys}`, errorMessage(error))];
  }
  const via = choice.credentialVariable ? `key from ${choice.credentialVariable}` : 'no key';
  const results = [ok('model', `${choice.provider}/${choice.model} (${via}${choice.baseURL ? `, ${choice.baseURL}` : ''})`)];
  if (choice.baseURL !== undefined) results.push(await endpointCheck(choice.baseURL));
  return results;
}

async function endpointCheck(baseURL: string): Promise<CheckResult> {
  const url = `${baseURL.replace(/\/+$/, '')}/models`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return ok('model endpoint', `${baseURL} answers (HTTP ${response.status})`);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return failed(
      'model endpoint',
      `nothing answers at ${baseURL} (${cause})`,
      'start the server (for example `ollama serve`) or correct OPENAI_BASE_URL',
    );
  }
}

async function channelChecks(config: NgbConfig, env: Env): Promise<CheckResult[]> {
  const manifests = await enabledChannels(config);
  if (manifests.length === 0)
    return [ok('channels', 'none enabled (run and shell need none; serve has the web chat and the dashboard)')];
  const results: CheckResult[] = [];
  for (const manifest of manifests) {
    const { name } = manifest;
    const report = await inspectChannel(manifest, config, env);
    if (report.missing.length > 0)
      results.push(
        failed(`channel ${name}`, `missing ${report.missing.join(', ')}`, `export ${report.missing[0]?.split(' ')[0]}=...`),
      );
    else if (report.adapter === 'not built yet') {
      results.push(
        failed(
          `channel ${name}`,
          `the ${report.title} adapter: not built yet`,
          `set "channels.${name}.enabled": false until it is built`,
        ),
      );
    } else if (report.adapter !== 'ready') {
      results.push(
        failed(`channel ${name}`, report.adapter, `fix "channels.${name}" in ngb.config.json (see the channel's README)`),
      );
    } else results.push(ok(`channel ${name}`, 'configured (connects when `ngb serve` starts)'));
  }
  return results;
}

/** Every check of `ngb doctor`, in order. */
export async function runDoctorChecks(options: { configOption?: string; env: Env; cwd: string }): Promise<CheckResult[]> {
  const results: CheckResult[] = [nodeCheck()];
  const configResult = configCheck(options);
  results.push(...configResult.results);
  const config = configResult.loaded?.config ?? parseConfig('{}', 'defaults').config;
  if (configResult.loaded) {
    results.push(...projectChecks(configResult.loaded));
    results.push(...(await agentFileChecks(configResult.loaded.paths.agentsDir, config.gateway.agentFileMaxBytes)));
    results.push(...(await skillChecks(configResult.loaded.paths.agentsDir, config.gateway.agentFileMaxBytes)));
    results.push(...(await mcpServerChecks(config)));
    if (existsSync(configResult.loaded.paths.database)) results.push(...(await storedSettingsChecks(configResult.loaded)));
  }
  results.push(...(await runtimeChecks(config, options.env)));
  results.push(...(await modelChecks(config, options.env)));
  results.push(...(await channelChecks(config, options.env)));
  return results;
}
