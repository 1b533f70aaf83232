import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SandboxError, type SandboxLimits, type SandboxSpec } from '@ngb/plugin-sdk';
import { checkAgentFolderName } from './mount-policy';

/** Limits of a spec after defaults, and its agent folder with symlinks resolved. */
export interface CheckedSpec {
  agentFolder: string;
  limits: SandboxLimits;
  network: 'none' | 'egress';
  env: Record<string, string>;
}

const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const secretNamePattern = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|AUTH/i;

/**
 * Checks what every driver needs of a spec: a session id, an existing agent folder with a valid
 * name, sane limits.
 * @throws SandboxError `invalid_input` naming the field
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
  if (spec.network !== undefined && spec.network !== 'none' && spec.network !== 'egress') {
    throw refuse('`network` must be "none" or "egress"');
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.env ?? {})) {
    const problem = sandboxEnvProblem(name);
    if (problem) throw refuse(`\`env\`: ${problem}`);
    if (typeof value !== 'string') throw refuse(`\`env.${name}\` must be a string`);
    env[name] = value;
  }
  return { agentFolder, limits, network: spec.network ?? 'none', env };
}

/** Why a variable name may not be passed into a sandbox, or undefined when it may. */
export function sandboxEnvProblem(name: string): string | undefined {
  if (!envNamePattern.test(name)) return `"${name}" is not a valid variable name`;
  if (secretNamePattern.test(name)) return `"${name}" looks like a secret, and no secret may enter a sandbox`;
  return undefined;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
