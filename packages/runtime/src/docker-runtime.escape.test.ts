import { mkdir, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Sandbox, SandboxRuntime } from '@ngb/plugin-sdk';
import type { BashOutput } from '@ngb/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AgentFolders, createAgentFolders, makeWritableForSandbox } from './__fixtures__/agent-folders';
import { describeWithDocker, testImage } from './__fixtures__/docker-gate';
import { createDockerRuntime } from './docker-runtime';

// A hostile tool trying to get out of its sandbox, one way after another. Each test runs the attack
// from inside a real container and checks the host-side fact it would have to change.

let folders: AgentFolders;
let runtime: SandboxRuntime;
let sandbox: Sandbox;
let agentFolder: string;
let hostServer: net.Server;
let hostPort: number;
let hostSecretFile: string;
const hostSecret = `host-only-${process.pid}-5d2a`;

async function bash(command: string, timeoutMs = 30_000): Promise<BashOutput> {
  return (await sandbox.call('bash', { command }, { timeoutMs })).output as BashOutput;
}

/** Calls `echo` until the sandbox answers (the kernel may still be cleaning up after an attack). */
async function answersAgain(withinMs: number): Promise<BashOutput> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await bash('echo alive', 5000);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Every address of this host a sandbox could aim at: its interfaces (the Docker bridge's gateway too). */
function hostAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((address) => address !== undefined)
    .map((address) => address.address.replace(/%.*$/, ''));
}

const connectProbe = `
import socket, sys
for target in sys.argv[2:]:
    family = socket.AF_INET6 if ':' in target else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect((target, int(sys.argv[1])))
        print(target, 'CONNECTED', s.recv(64).decode(errors='replace').strip())
    except OSError as error:
        print(target, 'refused:', error.strerror or error)
    finally:
        s.close()
`;

describeWithDocker('docker runtime: escape attempts from a hostile tool', () => {
  beforeAll(async () => {
    folders = await createAgentFolders('docker-escape');
    hostServer = net.createServer((socket) => socket.end('reached the host\n'));
    await new Promise<void>((resolve) => hostServer.listen(0, '::', resolve));
    hostPort = (hostServer.address() as net.AddressInfo).port;
    const hidden = path.join(folders.base, 'host-only');
    await mkdir(hidden);
    hostSecretFile = path.join(hidden, 'secret.txt');
    await writeFile(hostSecretFile, hostSecret);
    const allowed = path.join(folders.base, 'allowed');
    await mkdir(path.join(allowed, 'data'), { recursive: true });
    await symlink(hostSecretFile, path.join(allowed, 'data', 'planted-link'));
    await makeWritableForSandbox(path.join(allowed, 'data'));
    runtime = createDockerRuntime({
      image: testImage,
      namespace: `test-escape-${process.pid}`,
      tmpfsSizeMb: 64,
      mountAllowlist: { allowedRoots: [{ path: allowed, readWrite: false }] },
      diskLimit: 'unlimited',
    });
    agentFolder = await folders.make('agent');
    await symlink(hostSecretFile, path.join(agentFolder, 'to-host-file'));
    await symlink(hidden, path.join(agentFolder, 'to-host-folder'));
    sandbox = await runtime.acquire({
      sessionId: 'escape',
      agentFolder,
      agentName: 'Escape',
      isMain: false,
      limits: { memoryMb: 256, pids: 128, cpus: 1 },
      mounts: [{ hostPath: path.join(allowed, 'data'), readonly: true }],
    });
    await writeFile(path.join(agentFolder, 'connect-probe.py'), connectProbe);
  });

  afterAll(async () => {
    await runtime?.close();
    hostServer?.close();
    await folders?.remove();
  });

  it("reaches none of the host's addresses: the bridge gateway, its own IPs, loopback, the metadata address", async () => {
    const targets = [...new Set([...hostAddresses(), '172.17.0.1', '169.254.169.254', '127.0.0.1', '::1'])];
    const output = await bash(`python3 connect-probe.py ${hostPort} ${targets.join(' ')}`);
    const lines = output.stdout.trim().split('\n');
    expect(lines).toHaveLength(targets.length);
    for (const line of lines)
      expect(line).toMatch(
        / refused: (Network is unreachable|Connection refused|Cannot assign requested address|Invalid argument)/,
      );
    expect(output.stdout).not.toContain('CONNECTED');
    expect(output.stdout).not.toContain('reached the host');
  });

  it('sees only its own processes in /proc, and none of the host', async () => {
    const output = await bash(
      `ls /proc | grep -E '^[0-9]+$' | wc -l; test -e /proc/${process.pid}/cmdline && tr '\\0' ' ' < /proc/${process.pid}/cmdline`,
    );
    const [count] = output.stdout.trim().split('\n');
    // tini, the tool server, the bash of this call and its children: a handful, never the host's hundreds.
    expect(Number(count)).toBeLessThan(12);
    expect(output.stdout).not.toContain('vitest');
  });

  it('cannot read the environment of PID 1, the kernel memory, nor trigger sysrq or change kernel settings', async () => {
    const output = await bash(
      [
        'cat /proc/1/environ >/dev/null 2>&1 && echo environ-read || echo environ-refused',
        'head -c 16 /proc/kcore >/dev/null 2>&1 && echo kcore-read || echo kcore-refused',
        'head -c 16 /dev/mem >/dev/null 2>&1 && echo mem-read || echo mem-refused',
        '(echo h > /proc/sysrq-trigger) 2>/dev/null && echo sysrq-written || echo sysrq-refused',
        '(echo 1 > /proc/sys/kernel/panic) 2>/dev/null && echo sysctl-written || echo sysctl-refused',
        '(echo x > /sys/kernel/uevent_helper) 2>/dev/null && echo sys-written || echo sys-refused',
      ].join('; '),
    );
    expect(output.stdout.trim().split('\n')).toEqual([
      'environ-refused',
      'kcore-refused',
      'mem-refused',
      'sysrq-refused',
      'sysctl-refused',
      'sys-refused',
    ]);
  });

  it('holds no capability in any set, and cannot become root', async () => {
    const output = await bash(
      'grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb)" /proc/self/status; python3 -c "import os\ntry:\n  os.setuid(0)\n  print(\'became root\')\nexcept OSError as error:\n  print(\'setuid:\', error.strerror)"',
    );
    expect(output.stdout).toBe(
      'CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nCapAmb:\t0000000000000000\nsetuid: Operation not permitted\n',
    );
  });

  it('has no set-uid or set-gid binary to climb through', async () => {
    const output = await bash('find / -xdev -type f -perm /6000 2>/dev/null; echo end');
    expect(output.stdout, `set-uid/set-gid binaries in ${testImage}: rebuild the image`).toBe('end\n');
  });

  it('cannot make a user namespace, a mount namespace, or mount anything', async () => {
    const output = await bash(
      [
        'unshare --user --map-root-user id 2>&1 | tail -1',
        'unshare --mount true 2>&1 | tail -1',
        'mkdir -p /tmp/m && mount -t tmpfs none /tmp/m 2>&1 | grep -v dmesg | head -1',
        'grep -c " /tmp/m " /proc/self/mounts',
      ].join('; '),
    );
    const lines = output.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/unshare failed: Operation not permitted/);
    expect(lines[1]).toMatch(/unshare failed: Operation not permitted/);
    expect(lines[2]).toMatch(/must be superuser|permission denied|Operation not permitted/i);
    expect(lines[3]).toBe('0');
  });

  it('cannot ptrace the tool server or its init', async () => {
    const output = await bash(
      `python3 -c "
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
server = [int(pid) for pid in os.listdir('/proc') if pid.isdigit() and int(pid) != os.getpid() and 'bin.js' in open('/proc/%s/cmdline' % pid, 'rb').read().decode(errors='replace')]
for pid in [1] + server:
    result = libc.ptrace(16, pid, None, None)
    print(pid, 'attached' if result == 0 else os.strerror(ctypes.get_errno()))
"`,
    );
    const lines = output.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line).toMatch(/^\d+ Operation not permitted$/);
  });

  it('reads no host file through a link planted in the agent folder or in a mounted folder', async () => {
    const output = await bash(
      'cat to-host-file 2>&1; ls to-host-folder/ 2>&1; cat /workspace/extra/data/planted-link 2>&1; echo end',
    );
    expect(output.stdout).not.toContain(hostSecret);
    expect(output.stdout).toMatch(/to-host-file: No such file or directory/);
    expect(output.stdout).toMatch(/planted-link: No such file or directory/);
    const error = await sandbox.call('read_file', { path: 'to-host-file' }).catch((caught: unknown) => caught);
    expect(JSON.stringify(error ?? '')).not.toContain(hostSecret);
  });

  it('fills /tmp only up to its size: a bigger file gets ENOSPC', async () => {
    const output = await bash(
      'head -c 100m /dev/zero 2>&1 > /tmp/big; echo "status $?"; du -m /tmp/big | cut -f1; rm -f /tmp/big',
    );
    expect(output.stdout).toMatch(/No space left on device/);
    const size = Number(output.stdout.trim().split('\n').at(-1));
    expect(size).toBeLessThanOrEqual(64);
  });

  it('creating files by the hundred thousand in /tmp is stopped by the memory limit (kernel memory counts), and the sandbox recovers', async () => {
    const flood = await sandbox
      .call(
        'bash',
        {
          command:
            "python3 -c \"\nn = 0\ntry:\n  for i in range(2000000):\n    open('/tmp/f%d' % i, 'w').close(); n += 1\nexcept OSError as error:\n  print('stopped', n, error.strerror)\nprint(n)\"",
        },
        { timeoutMs: 60_000 },
      )
      .then(
        (result) => (result.output as BashOutput).stdout,
        (error: unknown) => String(error),
      );
    // Either the kernel refused more (ENOSPC / out of memory) or the OOM killer ended the flood: never all of them.
    expect(flood).not.toMatch(/^2000000$/m);
    expect(await answersAgain(20_000)).toMatchObject({ stdout: 'alive\n' });
    const usage = await bash(
      'cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.peak 2>/dev/null || echo 0',
    );
    expect(Number(usage.stdout.trim())).toBeLessThanOrEqual(256 * 1024 * 1024);
    await bash('find /tmp -maxdepth 1 -name "f*" -delete');
  });
});
