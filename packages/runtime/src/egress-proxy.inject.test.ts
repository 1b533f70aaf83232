import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import type { EgressRequestRecord } from '@ngb/plugin-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EgressProxy, type EgressProxyOptions, startEgressProxy } from './egress-proxy';

// Absolute-form requests through the proxy to real servers on loopback, reached through the explicit
// per-address opt-in (as no default config has it); the names resolve through a stand-in resolver.
const folder = mkdtempSync(join(tmpdir(), 'ngb-egress-inject-'));
const token = ['value', 'of', 'the', 'host'].join('-');
let plain: Server;
let plainPort: number;
let secure: Server;
let securePort: number;
let certificate: string;
const seen: Array<{ server: string; method: string; path: string; headers: IncomingHttpHeaders; body: string }> = [];
/** Ends the server-sent event stream that waits for it. */
let releaseStream: (() => void) | undefined;

function handler(server: string) {
  return (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({
        server,
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (request.url === '/events') {
        response.writeHead(200, { 'Content-Type': 'text/event-stream' });
        response.write('data: first\n\n');
        releaseStream = () => response.end('data: second\n\n');
        return;
      }
      response.end(`${server} answered ${request.method} ${request.url}`);
    });
  };
}

beforeAll(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=mcp.example.com',
      '-addext',
      'subjectAltName=DNS:mcp.example.com',
    ].concat(['-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem')]),
    { stdio: 'ignore' },
  );
  certificate = readFileSync(join(folder, 'cert.pem'), 'utf8');
  plain = createHttpServer(handler('plain'));
  secure = createHttpsServer({ key: readFileSync(join(folder, 'key.pem')), cert: certificate }, handler('secure'));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
  plainPort = (plain.address() as AddressInfo).port;
  securePort = (secure.address() as AddressInfo).port;
});

afterAll(async () => {
  plain.closeAllConnections();
  secure.closeAllConnections();
  await new Promise((resolve) => plain.close(resolve));
  await new Promise((resolve) => secure.close(resolve));
  rmSync(folder, { recursive: true, force: true });
});

let running: EgressProxy[] = [];
let count = 0;
afterEach(async () => {
  await Promise.all(running.map((proxy) => proxy.close()));
  running = [];
  seen.length = 0;
});

async function startProxy(overrides: Partial<EgressProxyOptions> = {}) {
  const records: EgressRequestRecord[] = [];
  count += 1;
  const socketPath = join(folder, `proxy-${count}.sock`);
  const proxy = await startEgressProxy({
    socketPath,
    sessionId: 'session-1',
    policy: { allow: ['mcp.example.com', 'other.example.com'] },
    defaultMaxBytesPerTurn: 1024 * 1024,
    lookup: async () => [{ address: '127.0.0.1', family: 4 }],
    allowPrivateAddresses: new Set(['127.0.0.1']),
    ports: new Set([plainPort, securePort]),
    idleTimeoutMs: 30_000,
    maxConnections: 8,
    now: Date.now,
    onRequest: (record) => records.push(record),
    injectHeaders: [
      { origin: `http://mcp.example.com:${plainPort}`, path: '/mcp', headers: [['Authorization', `Bearer ${token}`]] },
      { origin: `https://mcp.example.com:${securePort}`, path: '/mcp', headers: [['Authorization', `Bearer ${token}`]] },
    ],
    ...overrides,
  });
  running.push(proxy);
  return { socketPath, records };
}

/** Sends `text` through the proxy's socket; resolves with all it answered once it closes. */
function exchange(socketPath: string, text: string, onData?: (soFar: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(socketPath);
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      onData?.(answer);
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.write(text);
  });
}

const post = (url: string, extra = '') =>
  `POST ${url} HTTP/1.1\r\nHost: ${new URL(url).host}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n${extra}\r\n{}`;

async function recordOf(records: EgressRequestRecord[]): Promise<EgressRequestRecord> {
  for (let attempt = 0; attempt < 100 && records.length === 0; attempt += 1)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return records[0] as EgressRequestRecord;
}

describe('the egress proxy adds a remote MCP server’s headers', () => {
  it('to an absolute-form request for that origin: the server sees them, the sandbox never does', async () => {
    const { socketPath, records } = await startProxy();
    const answer = await exchange(socketPath, post(`http://mcp.example.com:${plainPort}/mcp?x=1`));
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(answer).toContain('plain answered POST /mcp?x=1');
    expect(answer).not.toContain(token);
    expect(seen).toMatchObject([{ server: 'plain', method: 'POST', path: '/mcp?x=1', body: '{}' }]);
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(seen[0]?.headers.host).toBe(`mcp.example.com:${plainPort}`);
    const record = await recordOf(records);
    expect(record).toMatchObject({
      method: 'POST',
      host: 'mcp.example.com',
      port: plainPort,
      address: '127.0.0.1',
      allowed: true,
    });
    expect(JSON.stringify(record)).not.toContain(token);
  });

  it('not to a request for another origin', async () => {
    const { socketPath } = await startProxy();
    expect(await exchange(socketPath, post(`http://other.example.com:${plainPort}/mcp`))).toContain('plain answered POST /mcp');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it("not to a path of that origin outside the server's URL, dot segments resolved first", async () => {
    const { socketPath } = await startProxy();
    for (const path of ['/admin', '/mcpx', '/mcp/../admin', '/mcp/%2e%2e/admin']) {
      expect(await exchange(socketPath, post(`http://mcp.example.com:${plainPort}${path}`))).toMatch(
        /plain answered POST \/(admin|mcpx)/,
      );
    }
    expect(seen).toHaveLength(4);
    expect(seen.map((request) => request.headers.authorization)).toEqual([undefined, undefined, undefined, undefined]);
    expect(await exchange(socketPath, post(`http://mcp.example.com:${plainPort}/mcp/session`))).toContain(
      'answered POST /mcp/session',
    );
    expect(seen[4]?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('over TLS for an https:// origin, which the proxy speaks itself, certificate checked', async () => {
    const { socketPath, records } = await startProxy({
      // The test's own certificate authority, trusted the way the system's are by default.
      connectTls: (target) =>
        tlsConnect({ host: target.address, port: target.port, servername: target.servername, ca: certificate }),
    });
    const answer = await exchange(socketPath, post(`https://mcp.example.com:${securePort}/mcp`));
    expect(answer).toContain('secure answered POST /mcp');
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(await recordOf(records)).toMatchObject({ method: 'POST', port: securePort, allowed: true });
  });

  it('never past a certificate the system does not trust: refused with 502, nothing sent', async () => {
    const { socketPath, records } = await startProxy();
    const answer = await exchange(socketPath, post(`https://mcp.example.com:${securePort}/mcp`));
    expect(answer).toMatch(/^HTTP\/1\.1 502 /);
    expect(answer).toMatch(/self-signed certificate/);
    expect(seen).toEqual([]);
    expect(await recordOf(records)).toMatchObject({ allowed: false });
  });

  it('and streams a server-sent event stream back as it comes', async () => {
    const { socketPath } = await startProxy();
    const answer = await exchange(
      socketPath,
      `GET http://mcp.example.com:${plainPort}/events HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n`,
      (soFar) => {
        // The second event is sent only once the first has come through.
        if (soFar.includes('data: first') && releaseStream) {
          releaseStream();
          releaseStream = undefined;
        }
      },
    );
    expect(answer).toMatch(/data: first\n\n[\s\S]*data: second/);
  });
});

describe('the egress proxy refuses, connects nowhere and records why', () => {
  it.each([['Authorization'], ['authorization'], ['AUTHORIZATION']])(
    'a request for that origin that carries %s itself',
    async (name) => {
      const { socketPath, records } = await startProxy();
      const answer = await exchange(socketPath, post(`http://mcp.example.com:${plainPort}/mcp`, `${name}: Bearer guess\r\n`));
      expect(answer).toMatch(/^HTTP\/1\.1 403 /);
      expect(answer).toMatch(
        new RegExp(`the request carries ${name}, which the proxy adds for http://mcp.example.com:${plainPort} itself`),
      );
      expect(seen).toEqual([]);
      expect(await recordOf(records)).toMatchObject({ allowed: false, method: 'POST', host: 'mcp.example.com' });
    },
  );

  it('a request for that origin framed twice (Content-Length and Transfer-Encoding)', async () => {
    const { socketPath } = await startProxy();
    const answer = await exchange(socketPath, post(`http://mcp.example.com:${plainPort}/mcp`, 'Transfer-Encoding: chunked\r\n'));
    expect(answer).toMatch(/^HTTP\/1\.1 400 .*\r\n[\s\S]*both Content-Length and Transfer-Encoding/);
    expect(seen).toEqual([]);
  });

  it('a loopback target without the per-address opt-in, headers or not', async () => {
    const { socketPath } = await startProxy({ allowPrivateAddresses: new Set() });
    const answer = await exchange(socketPath, post(`http://mcp.example.com:${plainPort}/mcp`));
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(answer).toMatch(/mcp\.example\.com resolves to a refused address: address 127\.0\.0\.1 is loopback/);
    expect(seen).toEqual([]);
  });
});
