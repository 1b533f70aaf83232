import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EgressRequestRecord } from '@ngb/plugin-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EgressLookup, type EgressProxy, type EgressProxyOptions, startEgressProxy } from './egress-proxy';

// The target: one HTTP server on loopback. The proxy's connector is the network edge: it records the
// address the proxy chose and reaches this server instead, so no test packet leaves the machine.
let target: Server;
let targetPort: number;
const targetSaw: Array<{ path: string; host: string | undefined }> = [];
const folder = mkdtempSync(join(tmpdir(), 'ngb-egress-'));

beforeAll(async () => {
  target = createHttpServer((request, response) => {
    targetSaw.push({ path: request.url ?? '', host: request.headers.host });
    if (request.url === '/big') {
      response.end(Buffer.alloc(1024 * 1024, 97));
      return;
    }
    response.end(`hello from ${request.url}`);
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetPort = (target.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => target.close(resolve));
  rmSync(folder, { recursive: true, force: true });
});

const answers: Record<string, string[]> = {
  'allowed.example.com': ['203.0.113.10'],
  'loop.example.com': ['127.0.0.1'],
  'ten.example.com': ['10.1.2.3'],
  'metadata.example.com': ['169.254.169.254'],
  'six.example.com': ['::1'],
  'mapped.example.com': ['::ffff:127.0.0.1'],
  'mixed.example.com': ['203.0.113.11', '192.168.0.7'],
};

interface Harness {
  proxy: EgressProxy;
  socketPath: string;
  records: EgressRequestRecord[];
  connects: Array<{ address: string; port: number }>;
  lookups: string[];
  nextRecord(): Promise<EgressRequestRecord>;
}

let running: EgressProxy[] = [];
let count = 0;

afterEach(async () => {
  await Promise.all(running.map((proxy) => proxy.close()));
  running = [];
  targetSaw.length = 0;
});

async function harness(overrides: Partial<EgressProxyOptions> = {}): Promise<Harness> {
  const records: EgressRequestRecord[] = [];
  const waiting: Array<(record: EgressRequestRecord) => void> = [];
  const connects: Array<{ address: string; port: number }> = [];
  const lookups: string[] = [];
  const lookup: EgressLookup = async (hostname) => {
    lookups.push(hostname);
    const addresses = answers[hostname];
    if (!addresses) throw new Error(`ENOTFOUND ${hostname}`);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  count += 1;
  const socketPath = join(folder, `proxy-${count}.sock`);
  const proxy = await startEgressProxy({
    socketPath,
    sessionId: 'session-1',
    policy: { allow: ['*.example.com'] },
    defaultMaxBytesPerTurn: 100 * 1024 * 1024,
    lookup,
    connect: (destination) => {
      connects.push(destination);
      return connect({ host: '127.0.0.1', port: targetPort });
    },
    allowPrivateAddresses: new Set(),
    ports: new Set([443, 80]),
    idleTimeoutMs: 30_000,
    maxConnections: 8,
    now: Date.now,
    onRequest: (record) => {
      const waiter = waiting.shift();
      if (waiter) waiter(record);
      else records.push(record);
    },
    ...overrides,
  });
  running.push(proxy);
  return {
    proxy,
    socketPath,
    records,
    connects,
    lookups,
    nextRecord: () => {
      const ready = records.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** Sends `text` through the proxy's socket and reads until the proxy closes. */
function exchange(socketPath: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(socketPath);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(text);
  });
}

const tunnel = (authority: string) =>
  `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\nGET /through HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;

describe('the egress proxy allows', () => {
  it('a tunnel to an allowed name, to the address it resolved, and records it', async () => {
    const { socketPath, nextRecord, connects, proxy } = await harness();
    proxy.beginTurn('turn-1');
    const answer = await exchange(socketPath, tunnel('allowed.example.com:443'));
    expect(answer).toMatch(/^HTTP\/1\.1 200 Connection Established\r\n\r\nHTTP\/1\.1 200 OK/);
    expect(answer).toContain('hello from /through');
    expect(connects).toEqual([{ address: '203.0.113.10', port: 443 }]);
    const record = await nextRecord();
    expect(record).toMatchObject({
      sessionId: 'session-1',
      turnId: 'turn-1',
      method: 'CONNECT',
      host: 'allowed.example.com',
      port: 443,
      address: '203.0.113.10',
      allowed: true,
    });
    expect(record.reason).toBeUndefined();
    expect(record.bytesUp).toBeGreaterThan(0);
    expect(record.bytesDown).toBeGreaterThan(0);
  });

  it('a plain HTTP request in absolute form, sent on in origin form with the checked Host', async () => {
    const { socketPath, nextRecord } = await harness();
    const answer = await exchange(
      socketPath,
      'GET http://Allowed.Example.com/page?x=1 HTTP/1.1\r\nHost: elsewhere.example.net\r\nProxy-Connection: keep-alive\r\n\r\n',
    );
    expect(answer).toContain('hello from /page?x=1');
    expect(targetSaw).toEqual([{ path: '/page?x=1', host: 'allowed.example.com' }]);
    expect(await nextRecord()).toMatchObject({ method: 'GET', host: 'allowed.example.com', port: 80, allowed: true });
  });

  it('a loopback target only through the explicit per-address opt-in', async () => {
    const { socketPath, nextRecord, connects } = await harness({ allowPrivateAddresses: new Set(['127.0.0.1']) });
    expect(await exchange(socketPath, tunnel('loop.example.com:443'))).toContain('hello from /through');
    expect(connects).toEqual([{ address: '127.0.0.1', port: 443 }]);
    expect(await nextRecord()).toMatchObject({ host: 'loop.example.com', address: '127.0.0.1', allowed: true });
  });
});

describe('the egress proxy refuses, connects nowhere and records why', () => {
  it.each([
    ['a name not on the list', tunnel('evil.example.net:443'), 403, /domain evil\.example\.net is not on the allowlist/],
    ['a name resolving to loopback', tunnel('loop.example.com:443'), 403, /loopback/],
    ['a name resolving to 10.x', tunnel('ten.example.com:443'), 403, /private \(10/],
    ['a name resolving to 169.254.x', tunnel('metadata.example.com:443'), 403, /link-local/],
    ['a name resolving to ::1', tunnel('six.example.com:443'), 403, /loopback \(::1\)/],
    ['a name resolving to ::ffff:127.0.0.1', tunnel('mapped.example.com:443'), 403, /IPv4-mapped of 127\.0\.0\.1/],
    ['a name with one private answer among public ones', tunnel('mixed.example.com:443'), 403, /192\.168\.0\.7/],
    ['an IPv4 literal', tunnel('203.0.113.10:443'), 403, /IP address 203\.0\.113\.10 is not on the allowlist/],
    ['an IPv4 literal in another spelling', tunnel('0x7f.1:443'), 403, /IP address 127\.0\.0\.1 is not on the allowlist/],
    ['an IPv6 literal', tunnel('[::1]:443'), 403, /IP address ::1 is not on the allowlist/],
    ['an IPv4 literal in decimal', tunnel('2130706433:443'), 403, /IP address 127\.0\.0\.1 is not on the allowlist/],
    ['an IPv4 literal in octal', tunnel('0177.0.0.01:443'), 403, /IP address 127\.0\.0\.1 is not on the allowlist/],
    ['an IPv4 literal in hex', tunnel('0xa9fea9fe:443'), 403, /IP address 169\.254\.169\.254 is not on the allowlist/],
    ['an IPv4-mapped IPv6 literal', tunnel('[::ffff:127.0.0.1]:443'), 403, /IP address ::ffff:7f00:1 is not on the allowlist/],
    ['a link-local IPv6 literal', tunnel('[fe80::1]:443'), 403, /IP address fe80::1 is not on the allowlist/],
    ['a NAT64 IPv6 literal', tunnel('[64:ff9b::a9fe:a9fe]:443'), 403, /IP address 64:ff9b::a9fe:a9fe is not on the allowlist/],
    ['localhost, not on the list', tunnel('localhost:443'), 403, /domain localhost is not on the allowlist/],
    ['an allowed name at an internal port (the Docker API)', tunnel('allowed.example.com:2375'), 403, /port 2375 is not allowed/],
    ['an IP literal in absolute form', 'GET http://127.0.0.1/ HTTP/1.1\r\n\r\n', 403, /IP address 127\.0\.0\.1/],
    ['a port not allowed', tunnel('allowed.example.com:22'), 403, /port 22 is not allowed \(allowed: 443, 80\)/],
    ['an IP literal over https in absolute form', 'GET https://127.0.0.1/ HTTP/1.1\r\n\r\n', 403, /IP address 127\.0\.0\.1/],
    ['a request that is not for a proxy', 'GET / HTTP/1.1\r\nHost: allowed.example.com\r\n\r\n', 400, /not a proxy request/],
    ['a name that does not resolve', tunnel('missing.example.com:443'), 502, /could not resolve/],
    ['a head that never ends', `CONNECT allowed.example.com:443 HTTP/1.1\r\nX: ${'a'.repeat(20_000)}`, 431, /longer than/],
  ])('%s', async (_name, request, status, reason) => {
    const { socketPath, nextRecord, connects } = await harness();
    const answer = await exchange(socketPath, request);
    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(answer).toMatch(reason);
    const record = await nextRecord();
    expect(record.allowed).toBe(false);
    expect(record.reason).toMatch(reason);
    expect(record.bytesUp + record.bytesDown).toBe(0);
    expect(connects).toEqual([]);
  });

  it("refuses a name that resolves to one of this host's own addresses", async () => {
    const { socketPath, nextRecord, connects } = await harness({ hostAddresses: new Set(['203.0.113.10']) });
    expect(await exchange(socketPath, tunnel('allowed.example.com:443'))).toMatch(/^HTTP\/1\.1 403 /);
    expect((await nextRecord()).reason).toMatch(/address 203\.0\.113\.10 belongs to this host/);
    expect(connects).toEqual([]);
  });

  it('resolves once: a rebinding resolver that answers public, then loopback, never gets its second answer used', async () => {
    const rebinding: string[][] = [['203.0.113.20'], ['127.0.0.1']];
    const { socketPath, connects, lookups, nextRecord } = await harness({
      lookup: async (hostname) => {
        const next = rebinding.shift() ?? ['127.0.0.1'];
        lookups.push(hostname);
        return next.map((address) => ({ address, family: 4 }));
      },
    });
    expect(await exchange(socketPath, tunnel('rebind.example.com:443'))).toContain('hello from /through');
    expect(lookups).toEqual(['rebind.example.com']);
    expect(connects).toEqual([{ address: '203.0.113.20', port: 443 }]);
    expect(await nextRecord()).toMatchObject({ address: '203.0.113.20', allowed: true });
  });

  it('passes a redirect to an internal address back without following it; the request that follows it is refused', async () => {
    const redirecting = createHttpServer((_request, response) => {
      response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const redirectPort = (redirecting.address() as AddressInfo).port;
      const { socketPath, nextRecord, connects } = await harness({
        connect: (destination) => {
          connects.push(destination);
          return connect({ host: '127.0.0.1', port: redirectPort });
        },
      });
      const answer = await exchange(socketPath, 'GET http://allowed.example.com/go HTTP/1.1\r\nConnection: close\r\n\r\n');
      expect(answer).toMatch(/^HTTP\/1\.1 302 /);
      expect(answer).toMatch(/location: http:\/\/169\.254\.169\.254\//i);
      expect(await nextRecord()).toMatchObject({ host: 'allowed.example.com', allowed: true });
      const followed = await exchange(socketPath, 'GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\n\r\n');
      expect(followed).toMatch(/^HTTP\/1\.1 403 /);
      expect((await nextRecord()).reason).toMatch(/IP address 169\.254\.169\.254 is not on the allowlist/);
      expect(connects).toEqual([{ address: '203.0.113.10', port: 80 }]);
    } finally {
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });

  it('cuts a transfer at the byte cap of the turn, refuses more in that turn, and counts again in the next', async () => {
    const cap = 64 * 1024;
    const { socketPath, nextRecord, proxy, connects } = await harness({
      policy: { allow: ['*.example.com'], maxBytesPerTurn: cap },
    });
    proxy.beginTurn('turn-1');
    const answer = await exchange(socketPath, 'GET http://allowed.example.com/big HTTP/1.1\r\n\r\n');
    const cut = await nextRecord();
    expect(cut).toMatchObject({ allowed: true, turnId: 'turn-1', reason: `byte cap of ${cap} per turn reached` });
    expect(cut.bytesUp + cut.bytesDown).toBe(cap);
    expect(answer.length).toBe(cut.bytesDown);
    expect(answer.length).toBeLessThan(1024 * 1024);

    expect(await exchange(socketPath, tunnel('allowed.example.com:443'))).toMatch(/^HTTP\/1\.1 429 /);
    expect((await nextRecord()).reason).toBe(`byte cap of ${cap} per turn reached`);
    expect(connects).toHaveLength(1);

    proxy.beginTurn('turn-2');
    expect(await exchange(socketPath, tunnel('allowed.example.com:443'))).toContain('hello from /through');
    expect(await nextRecord()).toMatchObject({ turnId: 'turn-2', allowed: true });
  });

  it('refuses a connection past the cap of concurrent connections', async () => {
    const { socketPath, nextRecord } = await harness({ maxConnections: 1 });
    const held = connect(socketPath);
    await new Promise((resolve) => held.once('connect', resolve));
    held.write('CONNECT allowed.example.com:443 HTTP/1.1\r\n\r\n');
    await new Promise((resolve) => held.once('data', resolve));
    expect(await exchange(socketPath, tunnel('allowed.example.com:443'))).toMatch(/^HTTP\/1\.1 503 /);
    expect((await nextRecord()).reason).toBe('more than 1 connections at once');
    held.destroy();
    expect(await nextRecord()).toMatchObject({ allowed: true });
  });

  it('closes a connection that stays idle', async () => {
    const { socketPath, nextRecord } = await harness({ idleTimeoutMs: 50 });
    const held = connect(socketPath);
    held.resume();
    held.write('CONNECT allowed.example.com:443 HTTP/1.1\r\n\r\n');
    await new Promise((resolve) => held.once('close', resolve));
    expect(await nextRecord()).toMatchObject({ allowed: true, reason: 'idle timeout' });
  });
});
