import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { checkEgressNetwork, type EgressPolicy, SandboxError, type SandboxLimits, type SandboxSpec } from '@ngb/plugin-sdk';
import type { McpServerLaunch } from '@ngb/sandbox';
import { checkMcpServers } from './check-mcp-servers';
import { checkAgentFolderName } from './mount-policy';
import { sandboxEnvProblem } from './sandbox-env-policy';

/** Longest value of one setting of `env`: settings are short, and the secret checks read every character. */
const maxEnvValueChars = 4096;

/** Limits of a spec after defaults, and its agent folder with symlinks resolved. */
export interface CheckedSpec {
  agentFolder: string;
  limits: SandboxLimits;
  /** `none`, or the normalized egress policy (domains lower-case and punycode, no duplicates). */
  network: 'none' | EgressPolicy;
  env: Record<string, string>;
  /** The MCP servers to start inside, defaults filled in (see `checkMcpServers`). */
  mcpServers: McpServerLaunch[];
}

/**
 * Checks what every driver needs of a spec: a session id, an existing agent folder with a valid
 * name, sane limits, a valid network setting, settings that are not secrets, a list of mounts, and MCP
 * servers that pass `checkMcpServers`. Whether the driver can honour an egress policy is the driver's to say.
 * @throws SandboxError `invalid_input` naming the field; `mount_refused` when `mounts` is not a list
 */
export async function checkSpec(spec: SandboxSpec, defaultLimits: SandboxLimits): Promise<CheckedSpec> {
  const refuse = (message: string) => new SandboxError('invalid_input', `[@ngb/runtime] ${message}`);
  if (typeof spec.sessionId !== 'string' || spec.sessionId.length === 0) throw refuse('`sessionId` must be a non-empty string');
  if (typeof spec.agentFolder !== 'string' || !path.isAbsolute(spec.agentFolder)) {
    throw refuse(`\`agentFolder\` must be an absolute host path, got "${String(spec.agentFolder)}"`);
  }
  const nameProblem = checkAgentFolderName(path.basename(spec.agentFolder));
  if (nameProblem) throw refuse(nameProblem);
  const agentFolder = await realpath(spec.agentFolder).catch(() => undefined);
  if (!agentFolder || !(await stat(agentFolder)).isDirectory()) {
    throw refuse(`the agent folder ${spec.agentFolder} does not exist or is not a directory`);
  }
  const limits = { ...defaultLimits, ...definedOnly(spec.limits ?? {}) };
  for (const key of ['memoryMb', 'cpus', 'pids', 'diskMb'] as const) {
    if (!(Number.isFinite(limits[key]) && limits[key] > 0)) throw refuse(`\`limits.${key}\` must be a positive number`);
  }
  if (!Number.isInteger(limits.diskMb) || limits.diskMb < 16)
    throw refuse('`limits.diskMb` must be a whole number of MiB, at least 16');
  const network = checkEgressNetwork(spec.network);
  if (!network.ok) throw refuse(`\`network${network.path === '' ? '' : `.${network.path}`}\` ${network.problem}`);
  if (spec.mounts !== undefined && !Array.isArray(spec.mounts)) {
    throw new SandboxError('mount_refused', '[@ngb/runtime] `mounts` must be a list of { hostPath, containerPath?, readonly? }');
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.env ?? {})) {
    // The name is judged first: the refusal of a long value names it.
    const nameProblem = sandboxEnvProblem(name, '');
    if (nameProblem) throw refuse(`\`env\`: ${nameProblem}`);
    if (typeof value === 'string' && value.length > maxEnvValueChars) {
      throw refuse(`\`env.${name}\` is ${value.length} characters long; a setting may be at most ${maxEnvValueChars}`);
    }
    const problem = sandboxEnvProblem(name, typeof value === 'string' ? value : '');
    if (problem) throw refuse(`\`env\`: ${problem}`);
    if (typeof value !== 'string') throw refuse(`\`env.${name}\` must be a string`);
    env[name] = value;
  }
  const mcpServers = checkMcpServers(spec.mcpServers, network.network);
  return { agentFolder, limits, network: network.network, env, mcpServers };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
