import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type Clock,
  type Logger,
  NotSupportedError,
  SandboxError,
  type SandboxRuntime,
  type SandboxSpec,
  silentLogger,
  systemClock,
} from '@ngb/plugin-sdk';
import { mcpServersOption, sandboxToolDefinitions } from '@ngb/sandbox';
import * as v from 'valibot';
import { type CheckedSpec, checkSpec } from './check-spec';
import type { SandboxInstance } from './pooled-sandbox';
import { parseRuntimeOptions, poolOptionsSchema } from './runtime-options';
import { openSandboxChannel } from './sandbox-channel';
import { createSandboxPool } from './sandbox-pool';
import { createStderrTail } from './stderr-tail';

/** Options of {@link createLocalRuntime}. */
export interface LocalRuntimeOptions {
  /** Path of the sandbox program. @default `@ngb/sandbox`'s `dist/bin.js` */
  program?: string;
  /** Node executable that runs it. @default the current one */
  nodePath?: string;
  /**
   * The whole environment of the sandbox process and the commands it runs. Nothing of the
   * gateway's own environment is passed unless you put it here.
   * @default PATH of the usual system directories, LANG=C.UTF-8, HOME=the agent folder
   */
  env?: Record<string, string>;
  /** Sandboxes running at once; further acquires wait in arrival order. @default 5 */
  maxSandboxes?: number;
  /** A sandbox without a call for this long is stopped. @default 1800000 (30 minutes) */
  idleTimeoutMs?: number;
  /** Time limit of calls that name none. @default 120000 */
  defaultTimeoutMs?: number;
  /** How long a starting sandbox may take to say hello. @default 10000 */
  helloTimeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/** The schema {@link LocalRuntimeOptions} are parsed with, with defaults. */
export const localRuntimeOptionsSchema = v.object({
  ...poolOptionsSchema.entries,
  program: v.optional(v.pipe(v.string(), v.minLength(1))),
  nodePath: v.optional(v.pipe(v.string(), v.minLength(1))),
  env: v.optional(v.record(v.string(), v.string())),
  helloTimeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 10_000),
});

const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * A runtime that runs the sandbox program as a child process on the host. **Not isolated**:
 * commands run as the gateway's user with its file system and network; limits do not apply, and
 * extra mounts and egress policies are refused. For development without Docker only.
 */
export function createLocalRuntime(options: LocalRuntimeOptions = {}): SandboxRuntime {
  const parsed = parseRuntimeOptions(localRuntimeOptionsSchema, options, 'createLocalRuntime');
  const logger = (options.logger ?? silentLogger).child('sandbox:local');
  const clock = options.clock ?? systemClock;
  const nodePath = parsed.nodePath ?? process.execPath;

  const pool = createSandboxPool<CheckedSpec>({
    maxSandboxes: parsed.maxSandboxes,
    idleTimeoutMs: parsed.idleTimeoutMs,
    clock,
    logger,
    async prepare(spec: SandboxSpec) {
      if ((spec.mounts ?? []).length > 0) {
        throw new SandboxError(
          'mount_refused',
          '[@ngb/runtime] the local runtime does not mount extra folders; use the Docker runtime',
        );
      }
      const checked = await checkSpec(spec, { memoryMb: 1024, cpus: 1, pids: 256, diskMb: 1024 });
      if (checked.network !== 'none') {
        // Its tools already have the host's whole network: an allowlist here would be a promise it cannot keep.
        throw new NotSupportedError(
          `[@ngb/runtime] the local runtime cannot limit the network: its tools run on this machine with all of its network, ` +
            `so the egress allowlist (${checked.network.allow.join(', ')}) cannot be enforced. Use the Docker runtime, ` +
            'or set the agent\'s `network` to "none"',
        );
      }
      return checked;
    },
    start: async (checked) => {
      const program = parsed.program ?? defaultProgram();
      if (!existsSync(program)) {
        throw new SandboxError(
          'image_missing',
          `[@ngb/runtime] the sandbox program ${program} is missing; build @ngb/sandbox with \`pnpm build\``,
        );
      }
      const env = { ...(parsed.env ?? { PATH: defaultPath, LANG: 'C.UTF-8', HOME: checked.agentFolder }), ...checked.env };
      // The tools run as the gateway's user and can reach this process; say so rather than let it refuse.
      const args = [program, '--root', checked.agentFolder, '--cwd', checked.agentFolder, '--not-isolated'];
      if (checked.mcpServers.length > 0) args.push(mcpServersOption, JSON.stringify(checked.mcpServers));
      const child = spawn(nodePath, args, {
        cwd: checked.agentFolder,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
      const stderr = createStderrTail(child.stderr, logger);
      const exited = new Promise<string>((resolve) => {
        child.once('error', (error) => resolve(`could not start: ${error.message}`));
        child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exited with code ${code}`));
      });
      child.stdin.on('error', () => {}); // EPIPE after the process died; the channel reports the death
      const stop = async () => {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {}
        }
        await exited;
      };
      const channel = openSandboxChannel({
        input: child.stdout,
        output: child.stdin,
        helloTimeoutMs: parsed.helloTimeoutMs,
        defaultTimeoutMs: parsed.defaultTimeoutMs,
        logger,
        diagnoseEnd: async () =>
          new SandboxError('crashed', `[@ngb/runtime] the local sandbox process ${await exited}${stderr.describe()}`),
      });
      try {
        await channel.hello;
      } catch (error) {
        await stop();
        throw error;
      }
      return { id: `pid:${child.pid}`, channel, stop } satisfies SandboxInstance;
    },
  });

  return {
    specificationVersion: 1,
    name: 'local',
    isolated: false,
    tools: sandboxToolDefinitions,
    acquire: (spec, acquireOptions) => pool.acquire(spec, acquireOptions),
    list: async () => pool.list(),
    reap: (reapOptions) => pool.reap(reapOptions),
    close: () => pool.close(),
  };
}

function defaultProgram(): string {
  return fileURLToPath(import.meta.resolve('@ngb/sandbox/bin'));
}
