import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll } from 'vitest';

const cliPackage = new URL('../package.json', import.meta.url);
/** The built CLI the tests spawn: the package's `bin`, as a user runs `ngb`. */
export const cliBin = fileURLToPath(new URL(JSON.parse(readFileSync(cliPackage, 'utf8')).bin.ngb, cliPackage));
const sourceDirectory = fileURLToPath(new URL('../src', import.meta.url));

function newestSource(directory: string): { path: string; time: number } {
  let newest = { path: directory, time: 0 };
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.name.endsWith('.test.ts')) continue;
    const path = join(directory, entry.name);
    const candidate = entry.isDirectory() ? newestSource(path) : { path, time: statSync(path).mtimeMs };
    if (candidate.time > newest.time) newest = candidate;
  }
  return newest;
}

/**
 * Fails with a clear message when the CLI is not built, or was built before its latest source
 * change (the tests run the built `ngb`, as a user would).
 */
export function assertBuilt(): void {
  if (!existsSync(cliBin)) {
    throw new Error(`${cliBin} is missing: build the CLI first (\`cd apps/cli && pnpm exec tsup\`, or \`pnpm build\`)`);
  }
  const source = newestSource(sourceDirectory);
  if (source.time > statSync(cliBin).mtimeMs + 1000) {
    throw new Error(`the built CLI is older than ${source.path}: rebuild it (\`cd apps/cli && pnpm exec tsup\`)`);
  }
}

/** What a finished `ngb` process left. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const secretVariables = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'ANTHROPIC_BASE_URL',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'NGB_CONFIG',
];

/** The environment of a spawned `ngb`: the test's own, without model settings, colours off. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !secretVariables.includes(key)) env[key] = value;
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

/** Runs `ngb <args>` to completion. */
export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; input?: string; timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin, ...args], {
      cwd: options.cwd,
      env: cliEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `ngb ${args.join(' ')} did not finish within ${options.timeoutMs ?? 30_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * stderr without the NOT ISOLATED warning that `run` and `shell` print with the local runtime,
 * which the tests of behaviour other than the sandbox choose (see {@link localRuntime}).
 */
export function withoutIsolationWarning(stderr: string): string {
  return stderr.replace(/^⚠ NOT ISOLATED: .*\n/m, '');
}

/**
 * A config change choosing the local runtime explicitly: for tests whose subject is not the
 * sandbox, so they run the same with or without a Docker engine (the default runtime, Docker,
 * refuses to run without one).
 */
export function localRuntime(config: Record<string, unknown>): void {
  config.runtime = { ...(config.runtime as object), driver: 'local' };
}

/** A temporary project made by `ngb init`, optionally with config changes. */
export async function createProject(
  prefix: string,
  changeConfig?: (config: Record<string, unknown>) => void,
): Promise<{ dir: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), `ngb-cli-${prefix}-`));
  const result = await runCli(['init'], { cwd: dir });
  if (result.code !== 0) throw new Error(`ngb init failed: ${result.stderr}`);
  const file = join(dir, 'ngb.config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  // Tests run side by side: each `ngb serve` listens on a free port.
  config.dashboard = { ...(config.dashboard as object | undefined), port: 0 };
  changeConfig?.(config);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return {
    dir,
    remove: () => {
      unmountUnder(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A project and the fake model server, as {@link useProjectWithModel} makes them for the tests. */
export interface ProjectWithModel {
  /** The fake model server (any model name). */
  readonly server: FakeLlmServer;
  readonly project: { dir: string; remove: () => void };
  /** The environment that points the CLI at the fake model server. */
  readonly model: Record<string, string>;
}

/**
 * Starts the fake model server and makes a project ({@link createProject}) before the tests of the
 * file or `describe` block it is called in, and stops and removes both after them. Read its parts
 * inside the tests (they exist from `beforeAll` on).
 */
export function useProjectWithModel(prefix: string, changeConfig?: (config: Record<string, unknown>) => void): ProjectWithModel {
  let server: FakeLlmServer | undefined;
  let project: ProjectWithModel['project'] | undefined;
  beforeAll(async () => {
    assertBuilt();
    server = await createFakeLlmServer({ acceptAnyModel: true });
    project = await createProject(prefix, changeConfig);
  });
  afterAll(async () => {
    await server?.close();
    project?.remove();
  });
  const made = <T>(part: T | undefined): T => {
    if (part === undefined) throw new Error('the project and the model server are made in beforeAll: read them in a test');
    return part;
  };
  return {
    get server() {
      return made(server);
    },
    get project() {
      return made(project);
    },
    get model() {
      return { OPENAI_BASE_URL: `${made(server).url}/v1` };
    },
  };
}

/** Mount points at or below `base` (agent folders loop-mounted from their disk images), deepest last. */
export function mountsUnder(base: string): string[] {
  if (!existsSync('/proc/self/mountinfo')) return [];
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) =>
      (line.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))),
    )
    .filter((mountPoint) => mountPoint === base || mountPoint.startsWith(`${base}/`));
}

/** Unmounts what the project's agents left mounted, so no test leaves a mount behind. */
export function unmountUnder(base: string): void {
  for (const mountPoint of mountsUnder(base).reverse()) execFileSync('umount', [mountPoint]);
}

function dockerGet(path: string): Promise<number> {
  return new Promise((resolve) => {
    const call = request({ socketPath: '/var/run/docker.sock', path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    call.setTimeout(3000, () => call.destroy());
    call.on('error', () => resolve(0));
    call.end();
  });
}

/** Whether the Docker engine answers and the sandbox image exists, and if not, why. */
export async function dockerStatus(): Promise<{ ready: boolean; why: string }> {
  if ((await dockerGet('/_ping')) !== 200)
    return { ready: false, why: 'the Docker engine does not answer at /var/run/docker.sock' };
  if ((await dockerGet('/images/ngb-agent:latest/json')) !== 200)
    return { ready: false, why: 'the sandbox image ngb-agent:latest is missing' };
  return { ready: true, why: '' };
}

/**
 * Polls until `check` returns a value (or throws after `timeoutMs`): for output of processes we do not control.
 * `what` may be a function, so that the error shows the state at the timeout rather than at the call.
 */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string | (() => string),
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A running `ngb serve`, with what it printed so far. */
export interface ServeProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the built `ngb serve` in `cwd` and waits until it prints that it is ready. */
export async function startServe(
  cwd: string,
  env: Record<string, string>,
  args: string[] = ['--grace', '1'],
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliBin, 'serve', ...args], { cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const serve: ServeProcess = {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
  try {
    await waitFor(() => stderr.includes('Ctrl-C stops the gateway') || child.exitCode !== null, 'serve to be ready', 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message} (stderr: ${stderr})`);
  }
  if (child.exitCode !== null) throw new Error(`ngb serve exited with ${child.exitCode}: ${stderr}`);
  return serve;
}
