import { copyFile, readdir, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { EgressRequestRecord, Sandbox } from '@ngb/plugin-sdk';
import type { BashOutput } from '@ngb/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AgentFolders, createAgentFolders } from './__fixtures__/agent-folders';
import { describeWithDocker, testImage } from './__fixtures__/docker-gate';
import { createStandInHost, describeWithNamespaces, type StandInHost } from './__fixtures__/stand-in-host';
import { createDockerRuntime, type DockerRuntime } from './docker-runtime';
import type { EgressLookup } from './egress-proxy';

// A real sandbox (no network of its own) reaching a stand-in public host in a network namespace this
// test makes, only through the host's egress proxy; the names resolve through an injected resolver.
let folders: AgentFolders;
let standIn: StandInHost;
let loopbackServer: net.Server;
let loopbackPort: number;
const runtimes: DockerRuntime[] = [];
const records: EgressRequestRecord[] = [];
const network = { allow: ['public.example.com', 'loopback.example.com'] };

const lookup: EgressLookup = async (hostname) => {
  const address = { 'public.example.com': standIn.address, 'loopback.example.com': '127.0.0.1' }[hostname];
  if (address === undefined) throw new Error(`getaddrinfo ENOTFOUND ${hostname}`);
  return [{ address, family: 4 }];
};

async function startSandbox(name: string, allowPrivateAddresses: string[]): Promise<Sandbox> {
  const runtime = createDockerRuntime({
    image: testImage,
    namespace: `test-egress-${process.pid}-${name}`,
    diskLimit: 'unlimited',
    egress: { socketFolder: path.join(folders.base, 'egress'), lookup, ports: [80, 443, loopbackPort], allowPrivateAddresses },
  });
  runtimes.push(runtime);
  runtime.onEgressRequest((record) => records.push(record));
  const agentFolder = await folders.make(name);
  await copyFile(path.join(import.meta.dirname, '__fixtures__', 'egress-client.py'), path.join(agentFolder, 'client.py'));
  return runtime.acquire({ sessionId: name, agentFolder, agentName: name, isMain: false, network });
}

async function client(sandbox: Sandbox, ...args: string[]): Promise<string> {
  const result = await sandbox.call(
    'bash',
    { command: `python3 client.py ${args.join(' ')}` },
    { timeoutMs: 30_000, turnId: 'turn-e2e' },
  );
  const output = result.output as BashOutput;
  return `${output.stdout}${output.stderr}`.trim();
}

/** The records of `host` since the call, once the proxy wrote them (a record follows its connection's close). */
async function recordsOf(host: string, count = 1): Promise<EgressRequestRecord[]> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const found = records.filter((record) => record.host === host);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no egress record of ${host}`);
}

describeWithDocker('docker runtime: egress through the host proxy', () => {
  describeWithNamespaces('to a stand-in public host in a network namespace', () => {
    let sandbox: Sandbox;

    beforeAll(async () => {
      folders = await createAgentFolders('egress');
      standIn = await createStandInHost(folders.base);
      loopbackServer = net.createServer((socket) => {
        socket.once('data', () =>
          socket.end('HTTP/1.1 200 OK\r\nContent-Length: 14\r\nConnection: close\r\n\r\nloopback host\n'),
        );
      });
      await new Promise<void>((resolve) => loopbackServer.listen(0, '127.0.0.1', resolve));
      loopbackPort = (loopbackServer.address() as net.AddressInfo).port;
      sandbox = await startSandbox('egress', []);
    });

    afterAll(async () => {
      await Promise.all(runtimes.map((runtime) => runtime.close()));
      loopbackServer?.close();
      await standIn?.remove();
      await folders?.remove();
    });

    it('reaches an allowed domain with plain HTTP (absolute form) at the address the proxy resolved', async () => {
      expect(await client(sandbox, 'get', 'http://public.example.com/plain')).toBe(
        '200 stand-in public host, port 80: GET /plain host public.example.com',
      );
      const [record] = await recordsOf('public.example.com');
      expect(record).toMatchObject({
        sessionId: 'egress',
        turnId: 'turn-e2e',
        method: 'GET',
        port: 80,
        address: standIn.address,
        allowed: true,
      });
      expect(record?.bytesDown).toBeGreaterThan(0);
    });

    it('reaches an allowed domain through a CONNECT tunnel on port 443', async () => {
      expect(await client(sandbox, 'tunnel', 'public.example.com', '443')).toBe(
        '200 stand-in public host, port 443: GET /through-the-tunnel host public.example.com:443',
      );
      const tunnels = (await recordsOf('public.example.com', 2)).filter((record) => record.method === 'CONNECT');
      expect(tunnels).toMatchObject([{ port: 443, address: standIn.address, allowed: true }]);
    });

    it('refuses a domain that is not on the allowlist', async () => {
      expect(await client(sandbox, 'get', 'http://denied.example.org/')).toBe(
        '403 [ngb egress] domain denied.example.org is not on the allowlist',
      );
      expect(await client(sandbox, 'tunnel', 'denied.example.org', '443')).toMatch(/^error Tunnel connection failed: 403/);
      expect(await recordsOf('denied.example.org', 2)).toMatchObject([{ allowed: false }, { allowed: false }]);
    });

    it('refuses an allowed name that resolves to loopback, without the opt-in', async () => {
      expect(await client(sandbox, 'get', `http://loopback.example.com:${loopbackPort}/`)).toMatch(
        /^403 \[ngb egress\] loopback\.example\.com resolves to a refused address: address 127\.0\.0\.1 is loopback/,
      );
      expect(await recordsOf('loopback.example.com')).toMatchObject([{ allowed: false, address: '127.0.0.1' }]);
    });

    it('has no network of its own: a direct connection to the stand-in host fails', async () => {
      expect(await client(sandbox, 'direct', standIn.address, '80')).toMatch(/^error .*Network is unreachable/);
    });

    it('keeps the socket where only the sandbox user can reach it, outside the agent folder', async () => {
      const egressFolder = path.join(folders.base, 'egress');
      const [own] = await readdir(egressFolder);
      const folder = await stat(path.join(egressFolder, own as string));
      const socket = await stat(path.join(egressFolder, own as string, 'egress.sock'));
      expect({ uid: folder.uid, mode: folder.mode & 0o777 }).toEqual({ uid: 1000, mode: 0o700 });
      expect({ uid: socket.uid, mode: socket.mode & 0o777, isSocket: socket.isSocket() }).toEqual({
        uid: 1000,
        mode: 0o600,
        isSocket: true,
      });
    });

    it('reaches a loopback target with the explicit per-address opt-in of the runtime', async () => {
      const optedIn = await startSandbox('opted-in', ['127.0.0.1']);
      const before = records.length;
      expect(await client(optedIn, 'get', `http://loopback.example.com:${loopbackPort}/`)).toBe('200 loopback host');
      expect(records.slice(before)).toMatchObject([{ sessionId: 'opted-in', address: '127.0.0.1', allowed: true }]);
    });
  });
});
