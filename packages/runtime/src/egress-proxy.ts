import { chmod, chown, rm } from 'node:fs/promises';
import { createServer, isIP, connect as netConnect, type Server, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { TLSSocket } from 'node:tls';
import {
  type EgressPolicy,
  type EgressRequestRecord,
  errorMessage,
  isEgressDomainAllowed,
  normalizeEgressDomain,
} from '@ngb/plugin-sdk';
import { egressAddressRefusal } from './egress-address-policy';
import { readEgressTarget } from './egress-request-head';
import type { EgressHeaderInjection } from './mcp-server-headers';

/** Resolves a host name to its addresses: node's `dns.promises.lookup`, or a stand-in of the same shape. */
export type EgressLookup = (
  hostname: string,
  options: { all: true; verbatim?: boolean },
) => Promise<ReadonlyArray<{ address: string; family: number }>>;

/** Opens the connection to a checked address. @default `net.connect` */
export type EgressConnector = (target: { address: string; port: number }) => Socket;

/**
 * Opens a TLS connection to a checked address for an absolute-form `https://` request, checking the
 * certificate against `servername`. @default `tls.connect` with the system's certificate authorities
 */
type EgressTlsConnector = (target: { address: string; port: number; servername: string }) => TLSSocket;

/** Options of {@link startEgressProxy}. */
export interface EgressProxyOptions {
  /** Where it listens; the folder must exist. */
  socketPath: string;
  /** Made the socket's owner (mode 0600), so that the sandbox's user can connect and nobody else. */
  socketOwner?: { uid: number; gid: number };
  sessionId: string;
  /** The sandbox's normalized policy. */
  policy: EgressPolicy;
  /** The cap when the policy names none. */
  defaultMaxBytesPerTurn: number;
  lookup: EgressLookup;
  connect?: EgressConnector;
  connectTls?: EgressTlsConnector;
  /**
   * Headers added to the absolute-form requests for these origins (remote MCP servers' credentials,
   * which never enter the sandbox); a request for one that carries such a header itself is refused.
   * @default []
   */
  injectHeaders?: readonly EgressHeaderInjection[];
  /** Exact addresses exempted from the refusal of non-public ones (tests only). */
  allowPrivateAddresses: ReadonlySet<string>;
  /** The addresses of this host's interfaces, refused as targets. @default those of `os.networkInterfaces()` now */
  hostAddresses?: ReadonlySet<string>;
  ports: ReadonlySet<number>;
  /** A connection with no traffic either way for this long is closed. */
  idleTimeoutMs: number;
  /** Connections open at once; one more is refused (503). */
  maxConnections: number;
  now: () => number;
  onRequest: (record: EgressRequestRecord) => void;
}

/** A running egress proxy of one sandbox. */
export interface EgressProxy {
  /** Names the running turn: a new one starts the byte count again. */
  beginTurn(turnId: string): void;
  /** Stops listening, cuts every connection and removes the socket. Idempotent. */
  close(): Promise<void>;
}

const statusText: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * Starts the host side of a sandbox's egress: an HTTP proxy (CONNECT and absolute-form plain HTTP)
 * on a unix socket. It allows only the policy's domains on the allowed ports, resolves each name
 * once and connects to the very address it checked (so a second, rebound answer is never used),
 * refuses every non-public address and IP literals, caps the bytes per turn, closes idle
 * connections, and records every request through `onRequest`.
 */
export async function startEgressProxy(options: EgressProxyOptions): Promise<EgressProxy> {
  const cap = options.policy.maxBytesPerTurn ?? options.defaultMaxBytesPerTurn;
  const connectTo = options.connect ?? ((target) => netConnect({ host: target.address, port: target.port }));
  const connectTlsTo =
    options.connectTls ??
    ((target) =>
      // Node's TLS is loaded at the first TLS connection, not with the runtime: `ngb serve` starts without it.
      process.getBuiltinModule('node:tls').connect({
        host: target.address,
        port: target.port,
        // The certificate is checked against the name asked for, never against the address.
        servername: target.servername,
        ...(isIP(target.servername) === 0 ? {} : { checkServerIdentity: () => new Error('an IP address has no name to check') }),
        ALPNProtocols: ['http/1.1'],
      }));
  const hostAddresses =
    options.hostAddresses ??
    new Set(
      Object.values(networkInterfaces())
        .flat()
        .map((entry) => entry?.address.toLowerCase())
        .filter((address): address is string => address !== undefined),
    );
  // Every socket, to cut them all on close; the clients alone count toward the cap.
  const open = new Set<Socket>();
  const clients = new Set<Socket>();
  let turn: { id: string | undefined; used: number } = { id: undefined, used: 0 };

  const handle = async (client: Socket) => {
    const startedAt = options.now();
    const record: EgressRequestRecord = {
      sessionId: options.sessionId,
      ...(turn.id === undefined ? {} : { turnId: turn.id }),
      method: '',
      host: '',
      port: 0,
      allowed: false,
      bytesUp: 0,
      bytesDown: 0,
      startedAt,
      durationMs: 0,
    };
    let reported = false;
    const report = (reason?: string) => {
      if (reported) return;
      reported = true;
      if (reason !== undefined && record.reason === undefined) record.reason = reason;
      record.durationMs = options.now() - startedAt;
      options.onRequest({ ...record });
    };
    const refuse = (status: number, reason: string) => {
      const body = `[ngb egress] ${reason}\n`;
      // Reading on (and dropping what arrives) lets the client's close be seen.
      client.resume();
      client.end(
        `HTTP/1.1 ${status} ${statusText[status] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      report(reason);
    };
    client.setTimeout(options.idleTimeoutMs, () => {
      client.destroy();
      report('idle timeout');
    });
    client.on('error', () => client.destroy());
    client.once('close', () => report());
    if (clients.size > options.maxConnections) {
      refuse(503, `more than ${options.maxConnections} connections at once`);
      return;
    }

    const target = await readEgressTarget(client, options.injectHeaders);
    record.method = target.method;
    record.host = target.host;
    record.port = target.port;
    if (!target.ok) return refuse(target.status, target.reason);
    if (!options.ports.has(target.port)) {
      return refuse(403, `port ${target.port} is not allowed (allowed: ${[...options.ports].join(', ')})`);
    }
    let addresses: string[];
    if (target.literal) {
      if (!options.allowPrivateAddresses.has(target.host)) {
        return refuse(403, `IP address ${target.host} is not on the allowlist; ask for a domain name`);
      }
      addresses = [target.host];
    } else {
      const normalized = normalizeEgressDomain(target.host);
      if (!normalized.ok || !isEgressDomainAllowed(normalized.domain, options.policy.allow)) {
        return refuse(403, `domain ${target.host} is not on the allowlist`);
      }
      record.host = normalized.domain;
      try {
        // One resolution: the connection goes to the address checked here, never to a later answer.
        addresses = (await options.lookup(normalized.domain, { all: true, verbatim: true })).map((entry) => entry.address);
      } catch (error) {
        return refuse(502, `could not resolve ${normalized.domain}: ${errorMessage(error)}`);
      }
      if (addresses.length === 0) return refuse(502, `${normalized.domain} has no address`);
    }
    record.address = addresses[0];
    for (const address of addresses) {
      const refusal = egressAddressRefusal(address, options.allowPrivateAddresses, hostAddresses);
      if (refusal !== undefined) {
        record.address = address;
        return refuse(403, `${record.host} resolves to a refused address: ${refusal}`);
      }
    }
    if (turn.used >= cap) return refuse(429, `byte cap of ${cap} per turn reached`);
    if (client.destroyed) return;

    const upstream = target.tls
      ? connectTlsTo({ address: record.address as string, port: target.port, servername: record.host })
      : connectTo({ address: record.address as string, port: target.port });
    open.add(upstream);
    upstream.setTimeout(options.idleTimeoutMs, () => cut('idle timeout'));
    const cut = (reason: string) => {
      if (record.reason === undefined) record.reason = reason;
      upstream.destroy();
      client.destroy();
    };
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.end());
    upstream.on('error', (error) => {
      if (!record.allowed) refuse(502, `could not connect to ${record.address}:${target.port}: ${errorMessage(error)}`);
      else cut(`connection failed: ${errorMessage(error)}`);
    });
    // A TLS target counts as connected once its certificate checked out.
    upstream.once(target.tls ? 'secureConnect' : 'connect', () => {
      record.allowed = true;
      const relay = (source: Socket, destination: Socket, direction: 'bytesUp' | 'bytesDown', first?: Buffer) => {
        const forward = (chunk: Buffer) => {
          // Counted against the turn running now: a connection that outlives its turn draws on the next one's cap.
          const allowance = cap - turn.used;
          const part = chunk.length > allowance ? chunk.subarray(0, Math.max(0, allowance)) : chunk;
          turn.used += part.length;
          record[direction] += part.length;
          if (part.length > 0 && !destination.write(part)) source.pause();
          if (part.length < chunk.length) {
            // The cut waits for what was allowed to leave, then ends both sides.
            if (record.reason === undefined) record.reason = `byte cap of ${cap} per turn reached`;
            destination.end(() => cut(record.reason as string));
            source.pause();
          }
        };
        destination.on('drain', () => source.resume());
        source.on('data', forward);
        source.on('end', () => destination.end());
        if (first !== undefined && first.length > 0) forward(first);
      };
      if (target.upstreamHead === undefined) client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      relay(client, upstream, 'bytesUp', Buffer.concat([target.upstreamHead ?? Buffer.alloc(0), target.rest]));
      relay(upstream, client, 'bytesDown');
      client.resume();
    });
    upstream.once('close', () => {
      open.delete(upstream);
      if (client.destroyed) report();
      else client.once('close', () => report());
    });
  };

  const server: Server = createServer((client) => {
    open.add(client);
    clients.add(client);
    client.once('close', () => {
      open.delete(client);
      clients.delete(client);
    });
    void handle(client).catch(() => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await chmod(options.socketPath, 0o600);
  if (options.socketOwner) await chown(options.socketPath, options.socketOwner.uid, options.socketOwner.gid);

  let closing: Promise<void> | undefined;
  return {
    beginTurn(turnId) {
      if (turn.id !== turnId) turn = { id: turnId, used: 0 };
    },
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of open) socket.destroy();
        });
        await rm(options.socketPath, { force: true });
      })();
      return closing;
    },
  };
}
