import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readdir, realpath, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join, sep } from 'node:path';
import { ConfigError, type EgressPolicy, type EgressRequestRecord, SandboxError } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { egressSocketName } from './docker-container-options';
import { type EgressConnector, type EgressLookup, type EgressProxy, startEgressProxy } from './egress-proxy';
import type { EgressHeaderInjection } from './mcp-server-headers';

/** The host's egress proxy, for sandboxes whose spec carries an egress policy (see `DockerRuntimeOptions.egress`). */
export interface EgressOptions {
  /**
   * Host folder of the proxies' unix sockets (one subfolder per sandbox, mode 0700, owned by the
   * sandbox's user), outside every agent folder; made when missing (mode 0711). Its path must be
   * short (at most 77 bytes): a unix socket path has at most 107; a longer one fails each acquire
   * of a sandbox with egress.
   */
  socketFolder: string;
  /** Resolves the names the tools ask for, once per request: pass node's `dns.promises.lookup`. */
  lookup: EgressLookup;
  /** Ports the tools may reach. @default [443, 80] */
  ports?: number[];
  /** The byte cap per turn of a policy that names none. @default 104857600 (100 MiB) */
  defaultMaxBytesPerTurn?: number;
  /** A connection with no traffic either way for this long is closed. @default 60000 */
  idleTimeoutMs?: number;
  /** Connections one sandbox may hold open at once. @default 32 */
  maxConnections?: number;
  /**
   * Exact IP addresses exempted from the refusal of loopback, private, link-local and other
   * non-public addresses, and accepted as literal targets. **For tests only**, which stand a local
   * server in for a public host: no default config and no `ngb` setting sets it, and a gateway
   * given one lets every sandbox with an allowlist reach those addresses. @default []
   */
  allowPrivateAddresses?: string[];
  /** Opens the connection to a checked address. @default `net.connect` */
  connect?: EgressConnector;
  /**
   * Values of the host settings that remote MCP servers' headers name as `${NAME}` (such as
   * `{ GITHUB_MCP_TOKEN: '...' }`), read by the host from its environment: the runtime reads none.
   * Only the egress proxy uses them, on requests to the server's origin; they never enter a sandbox.
   * A header naming a setting missing here refuses the sandbox with `ConfigError`. @default {}
   */
  headerVariables?: Record<string, string>;
}

const port = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65_535));
const positive = v.pipe(v.number(), v.integer(), v.minValue(1));

/** The options schema, with defaults. */
export const egressOptionsSchema = v.object({
  socketFolder: v.pipe(
    v.string(),
    v.check((folder) => folder.startsWith('/'), 'must be an absolute path'),
  ),
  lookup: v.custom<EgressLookup>((value) => typeof value === 'function', 'must be a function like dns.promises.lookup'),
  ports: v.optional(v.pipe(v.array(port), v.minLength(1)), [443, 80]),
  defaultMaxBytesPerTurn: v.optional(positive, 100 * 1024 * 1024),
  idleTimeoutMs: v.optional(v.pipe(positive, v.maxValue(2 ** 31 - 1)), 60_000),
  maxConnections: v.optional(positive, 32),
  allowPrivateAddresses: v.optional(v.array(v.pipe(v.string(), v.ip('must be an IP address'))), []),
  connect: v.optional(v.custom<EgressConnector>((value) => typeof value === 'function', 'must be a function')),
  headerVariables: v.optional(v.record(v.string(), v.string('must be text')), {}),
});

type ParsedEgressOptions = v.InferOutput<typeof egressOptionsSchema>;

/** The egress of one running sandbox: its folder (to mount) and its proxy. */
export interface SandboxEgress {
  /** Host folder to mount read-only into the sandbox; holds the proxy's socket. */
  folder: string;
  proxy: EgressProxy;
  /** Stops the proxy and removes the folder. */
  close(): Promise<void>;
}

/** What {@link openSandboxEgress} needs. */
export interface SandboxEgressInput {
  options: ParsedEgressOptions;
  sessionId: string;
  policy: EgressPolicy;
  /** Headers the proxy adds per origin (remote MCP servers'). */
  injectHeaders: readonly EgressHeaderInjection[];
  /** `uid:gid` the sandbox runs as: it alone (and root) may connect to the socket. */
  containerUser: string;
  now: () => number;
  onRequest: (record: EgressRequestRecord) => void;
}

/**
 * Makes the socket folder when missing and checks that it lies outside the agent folder (an agent
 * must not reach another sandbox's socket, or put files where the host listens), and that its
 * sockets' paths fit a unix socket address.
 * @throws SandboxError `invalid_input` when one folder holds the other, or the path is too long
 */
export async function checkEgressFolder(socketFolder: string, agentFolder: string): Promise<void> {
  // <folder>/<16 hex>/egress.sock must fit the 107 bytes of a unix socket path.
  const room = 107 - 18 - egressSocketName.length;
  if (Buffer.byteLength(socketFolder) > room) {
    throw new SandboxError(
      'invalid_input',
      `[@ngb/runtime] the egress socket folder ${socketFolder} is too long for a unix socket path (at most ${room} bytes); ` +
        'choose a shorter folder (for ngb: a shorter path of the project or of its "dataDir")',
    );
  }
  await mkdir(socketFolder, { recursive: true, mode: 0o711 });
  const folder = await realpath(socketFolder);
  const inside = (path: string, parent: string) => path === parent || path.startsWith(`${parent}${sep}`);
  if (inside(folder, agentFolder) || inside(agentFolder, folder)) {
    throw new SandboxError(
      'invalid_input',
      `[@ngb/runtime] the egress socket folder ${folder} and the agent folder ${agentFolder} must not hold one another; ` +
        'choose an egress socket folder outside every agent folder',
    );
  }
}

/**
 * Starts the egress proxy of one sandbox on a socket in a fresh folder that only the sandbox's user
 * (and root) can enter.
 * @throws ConfigError when the gateway, not being root, would have to hand the socket to another user
 */
export async function openSandboxEgress(input: SandboxEgressInput): Promise<SandboxEgress> {
  const [uid = Number.NaN, gid = uid] = input.containerUser.split(':').map(Number);
  const ownUid = process.getuid?.() ?? 0;
  if (ownUid !== 0 && ownUid !== uid) {
    throw new ConfigError(
      `[@ngb/runtime] the sandbox runs as uid ${uid} and the gateway as uid ${ownUid}, which cannot hand it the egress socket; ` +
        'run the gateway as root, or leave the sandbox user at its default',
      { key: 'user' },
    );
  }
  const folder = join(input.options.socketFolder, randomBytes(8).toString('hex'));
  await mkdir(folder, { mode: 0o700 });
  const close = async (proxy?: EgressProxy) => {
    await proxy?.close();
    await rm(folder, { recursive: true, force: true });
  };
  try {
    await chmod(folder, 0o700);
    const socketOwner = ownUid === 0 && uid !== 0 ? { uid, gid } : undefined;
    if (socketOwner) await chown(folder, uid, gid);
    const proxy = await startEgressProxy({
      socketPath: join(folder, egressSocketName),
      socketOwner,
      sessionId: input.sessionId,
      policy: input.policy,
      defaultMaxBytesPerTurn: input.options.defaultMaxBytesPerTurn,
      lookup: input.options.lookup,
      connect: input.options.connect,
      injectHeaders: input.injectHeaders,
      allowPrivateAddresses: new Set(input.options.allowPrivateAddresses),
      ports: new Set(input.options.ports),
      idleTimeoutMs: input.options.idleTimeoutMs,
      maxConnections: input.options.maxConnections,
      now: input.now,
      onRequest: input.onRequest,
    });
    return { folder, proxy, close: () => close(proxy) };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Removes the socket folders no proxy listens in any more (left by a gateway that was killed); the
 * folders of live proxies (this process's, or another gateway's on the same folder) stay.
 * @returns how many it removed
 */
export async function removeStaleEgressFolders(socketFolder: string): Promise<number> {
  const entries = await readdir(socketFolder, { withFileTypes: true }).catch(() => []);
  let removed = 0;
  for (const entry of entries) {
    if (!entry.isDirectory() || !/^[0-9a-f]{16}$/.test(entry.name)) continue;
    const folder = join(socketFolder, entry.name);
    const listening = await new Promise<boolean>((resolve) => {
      const probe = connect(join(folder, egressSocketName));
      probe.once('connect', () => {
        probe.destroy();
        resolve(true);
      });
      probe.once('error', () => resolve(false));
    });
    if (listening) continue;
    await rm(folder, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}
