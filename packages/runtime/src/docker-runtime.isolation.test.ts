import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { NotSupportedError, type Sandbox, SandboxError, type SandboxRuntime } from '@ngb/plugin-sdk';
import type { BashOutput } from '@ngb/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AgentFolders, createAgentFolders, makeWritableForSandbox } from './__fixtures__/agent-folders';
import { describeWithDocker, hostDocker, testImage } from './__fixtures__/docker-gate';
import { createDockerRuntime } from './docker-runtime';

const canary = `canary-${process.pid}-7c1e`;
let folders: AgentFolders;
let runtime: SandboxRuntime;
let sandbox: Sandbox;
let hostServer: net.Server;
let hostPort: number;
let agentFolder: string;

async function bash(target: Sandbox, command: string): Promise<BashOutput> {
  return (await target.call('bash', { command }, { timeoutMs: 15_000 })).output as BashOutput;
}

describeWithDocker('docker runtime: isolation', () => {
  beforeAll(async () => {
    process.env.NGB_CANARY_SECRET = canary;
    folders = await createAgentFolders('docker-isolation');
    hostServer = net.createServer((socket) => socket.end('reached the host\n'));
    await new Promise<void>((resolve) => hostServer.listen(0, '0.0.0.0', resolve));
    hostPort = (hostServer.address() as net.AddressInfo).port;
    const allowed = path.join(folders.base, 'allowed');
    await mkdir(path.join(allowed, 'data'), { recursive: true });
    await writeFile(path.join(allowed, 'data', 'shared.txt'), 'shared data');
    await makeWritableForSandbox(path.join(allowed, 'data'));
    runtime = createDockerRuntime({
      image: testImage,
      namespace: `test-isolation-${process.pid}`,
      mountAllowlist: { allowedRoots: [{ path: allowed, readWrite: true }] },
      diskLimit: 'unlimited',
    });
    agentFolder = await folders.make('agent');
    sandbox = await runtime.acquire({
      sessionId: 'isolated',
      agentFolder,
      agentName: 'Isolated',
      isMain: false,
      limits: { memoryMb: 256 },
      mounts: [{ hostPath: path.join(allowed, 'data'), readonly: false }],
    });
  });

  afterAll(async () => {
    delete process.env.NGB_CANARY_SECRET;
    await runtime?.close();
    hostServer?.close();
    await folders?.remove();
  });

  it('runs as uid 1000 without capabilities and with no-new-privileges', async () => {
    const output = await bash(sandbox, 'id -u; id -g; grep -E "^(CapEff|NoNewPrivs)" /proc/self/status');
    expect(output.stdout).toBe('1000\n1000\nCapEff:\t0000000000000000\nNoNewPrivs:\t1\n');
  });

  it('cannot write to / or /etc, but can write to /tmp and the agent folder', async () => {
    const output = await bash(
      sandbox,
      'touch /x 2>&1; touch /etc/x 2>&1; echo tmp > /tmp/ok && cat /tmp/ok; echo mine > mine.txt',
    );
    expect(output.stdout).toMatch(/touch: cannot touch '\/x': Read-only file system/);
    expect(output.stdout).toMatch(/touch: cannot touch '\/etc\/x': (Read-only file system|Permission denied)/);
    expect(output.stdout).toMatch(/^tmp$/m);
    expect(await readFile(path.join(agentFolder, 'mine.txt'), 'utf8')).toBe('mine\n');
    const error = await sandbox.call('write_file', { path: '/etc/x', content: 'x' }).catch((caught: unknown) => caught);
    expect(SandboxError.isInstance(error) && error.reason).toBe('invalid_input');
  });

  it('has no network: neither an outside address nor the host answers', async () => {
    const hostAddress = os.networkInterfaces().docker0?.find((address) => address.family === 'IPv4')?.address ?? '172.17.0.1';
    const output = await bash(
      sandbox,
      `ls /sys/class/net; (exec 3<>/dev/tcp/1.1.1.1/80) 2>&1; (exec 3<>/dev/tcp/${hostAddress}/${hostPort} && cat <&3) 2>&1; echo end`,
    );
    expect(output.stdout).toMatch(/^lo\n/);
    expect(output.stdout).not.toMatch(/eth0/);
    expect(output.stdout).toMatch(/1\.1\.1\.1\/80: Network is unreachable/);
    expect(output.stdout).toMatch(new RegExp(`${hostAddress.replace(/\./g, '\\.')}/${hostPort}: Network is unreachable`));
    expect(output.stdout).not.toMatch(/reached the host/);
  });

  it('refuses an egress allowlist when the runtime has no egress proxy options, and starts nothing', async () => {
    const before = (await runtime.list()).length;
    const error = await runtime
      .acquire({
        sessionId: 'egress',
        agentFolder: await folders.make('agent'),
        agentName: 'Egress',
        isMain: false,
        network: { allow: ['example.com'] },
      })
      .catch((caught: unknown) => caught);
    expect(NotSupportedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/without `egress` options \(the host proxy its traffic must go through\)/);
    expect(await runtime.list()).toHaveLength(before);
  });

  it('sees no host path that was not mounted, and no host secret in its environment', async () => {
    const hidden = path.join(folders.base, 'not-mounted');
    await mkdir(hidden);
    await writeFile(path.join(hidden, 'marker.txt'), 'host only');
    const output = await bash(
      sandbox,
      `test -e ${hidden}/marker.txt && echo visible || echo hidden; env; cat /proc/1/environ | tr '\\0' '\\n'`,
    );
    expect(output.stdout).toMatch(/^hidden$/m);
    expect(process.env.NGB_CANARY_SECRET).toBe(canary);
    expect(output.stdout).not.toContain(canary);
    expect(output.stdout).not.toContain('NGB_CANARY_SECRET');
  });

  it('mounts an allowed extra folder read-only for a non-main agent, at /workspace/extra/<folder name>', async () => {
    const output = await bash(sandbox, 'cat /workspace/extra/data/shared.txt; echo; touch /workspace/extra/data/new 2>&1');
    expect(output.stdout).toMatch(/^shared data$/m);
    expect(output.stdout).toMatch(/Read-only file system/);
  });

  it('is created with the hardening flags and explicit mounts only', async () => {
    const inspected = await hostDocker().getContainer(sandbox.id).inspect();
    expect(inspected.HostConfig).toMatchObject({
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      NetworkMode: 'none',
      Memory: 256 * 1024 * 1024,
    });
    expect(inspected.Config.User).toBe('1000:1000');
    expect(inspected.Mounts.map((mount) => [mount.Destination, mount.RW]).sort()).toEqual([
      ['/workspace/agent', true],
      ['/workspace/extra/data', false],
    ]);
    expect(inspected.Config.Env.join('\n')).not.toContain(canary);
  });
});
