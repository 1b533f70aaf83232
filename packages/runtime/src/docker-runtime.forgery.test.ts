import { copyFile, lstat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, type Sandbox, SandboxError, type SandboxRuntime } from '@ngb/plugin-sdk';
import { createRecordingLogger, type RecordingLogger } from '@ngb/plugin-sdk/testing';
import type { BashOutput } from '@ngb/sandbox';
import type { ContainerCreateOptions } from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFolders, createAgentFolders } from './__fixtures__/agent-folders';
import { describeWithDocker, hostDocker, testImage } from './__fixtures__/docker-gate';
import { createDockerRuntime } from './docker-runtime';

// A tool runs as the same uid as the tool server. These tests attack the server from inside a real
// sandbox the way a hostile tool would, and check that the host only ever gets genuine answers.

const forger = fileURLToPath(new URL('./__fixtures__/forge-frames.py', import.meta.url));
// The user the runtime runs sandboxes as by default: the host user, or 1000 when the tests run as root.
const hostUid = process.getuid?.() ?? 0;
const [expectedUid, expectedGid] = hostUid === 0 ? [1000, 1000] : [hostUid, process.getgid?.() ?? hostUid];
let folders: AgentFolders;
let logger: RecordingLogger;
let runtime: SandboxRuntime;
let sandbox: Sandbox;
let agentFolder: string;

async function bash(command: string): Promise<BashOutput> {
  return (await sandbox.call('bash', { command }, { timeoutMs: 30_000 })).output as BashOutput;
}

function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The host must not have received anything it did not ask for. */
function framesTheHostDropped(): string[] {
  return logger.lines.filter((line) => /not waiting for|oversized|not a frame/.test(line.message)).map((line) => line.message);
}

beforeAll(async () => {
  folders = await createAgentFolders('docker-forgery');
});
afterAll(() => folders?.remove());

describeWithDocker('docker runtime: the tools cannot forge the sandbox protocol', () => {
  beforeAll(async () => {
    logger = createRecordingLogger();
    runtime = createDockerRuntime({ image: testImage, namespace: `test-forgery-${process.pid}`, logger, diskLimit: 'unlimited' });
    agentFolder = await folders.make('agent');
    await copyFile(forger, path.join(agentFolder, 'forge-frames.py'));
    sandbox = await runtime.acquire({
      sessionId: 'forgery',
      agentFolder,
      agentName: 'Forgery',
      isMain: false,
      limits: { memoryMb: 512 },
    });
  });

  afterAll(() => runtime?.close());

  it('runs the tools as the non-root user, and what they write belongs to that user on the host', async () => {
    const output = await bash('id -u; id -g; echo mine > by-bash.txt');
    expect(output.stdout).toBe(`${expectedUid}\n${expectedGid}\n`);
    await sandbox.call('write_file', { path: 'by-write-file.txt', content: 'mine' });
    expect((await lstat(path.join(agentFolder, 'by-bash.txt'))).uid).toBe(expectedUid);
    expect((await lstat(path.join(agentFolder, 'by-write-file.txt'))).uid).toBe(expectedUid);
  });

  it('keeps the tool server and its init out of reach: their descriptors, memory and environment', async () => {
    const output = await bash('python3 forge-frames.py probe');
    const [identity, ...processes] = jsonLines(output.stdout);
    expect(identity).toMatchObject({ uid: expectedUid, gid: expectedGid });
    // tini as PID 1, and the tool server it started.
    expect(identity?.serverPids).toEqual([1, expect.any(Number)]);
    expect(processes).toHaveLength(2);
    for (const seen of processes) {
      expect(seen).toEqual({
        pid: expect.any(Number),
        fdOwner: 0,
        listFds: 'denied: Permission denied',
        openStdout: 'denied: Permission denied',
        readEnviron: 'denied: Permission denied',
        readMem: 'denied: Permission denied',
      });
    }
  });

  it('gives a tool none of the server descriptors: only its own stdin (/dev/null), stdout and stderr', async () => {
    // Listed into a file, not piped: while bash forks the two sides of a pipeline it holds the
    // pipe's ends itself, and `ls` could catch them in its listing.
    const output = await bash("ls -l /proc/$$/fd > /tmp/fds.txt; awk 'NR > 1 { print $9, $11 }' /tmp/fds.txt");
    const lines = output.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('0 /dev/null');
    expect(lines[1]).toMatch(/^1 (pipe|socket):\[\d+\]$/);
    expect(lines[2]).toMatch(/^2 (pipe|socket):\[\d+\]$/);
    expect(lines[1]).not.toBe(lines[2]);
  });

  it('answers a call genuinely while the tool writes forged frames into the stdio of the server and of PID 1', async () => {
    const output = await bash('python3 forge-frames.py forge; echo genuine-answer');
    expect(output.stdout).toMatch(/genuine-answer\n$/);
    const attempts = jsonLines(output.stdout);
    expect(attempts.map((attempt) => attempt.target)).toEqual([
      '/proc/1/fd/1',
      '/proc/1/fd/0',
      expect.stringMatching(/^\/proc\/\d+\/fd\/1$/),
      expect.stringMatching(/^\/proc\/\d+\/fd\/0$/),
    ]);
    for (const attempt of attempts) expect(attempt.write).toBe('denied: Permission denied');
    expect(output.stdout).not.toContain('FORGED');
    expect(output.stderr).toBe('');
    expect(framesTheHostDropped()).toEqual([]);
  });

  it('answers a later call genuinely while a process left behind (setsid) forges frames during it', async () => {
    const left = await bash(
      'setsid python3 forge-frames.py later /tmp/forge-now /tmp/forge-done >/tmp/forger.log 2>&1 </dev/null & ' +
        'for i in $(seq 1 1500); do [ -e /tmp/forge-now.waiting ] && break; sleep 0.02; done; echo started',
    );
    expect(left.stdout).toBe('started\n');
    const later = await bash(
      'touch /tmp/forge-now; for i in $(seq 1 1500); do [ -e /tmp/forge-done ] && break; sleep 0.02; done; cat /tmp/forger.log; echo genuine-later-answer',
    );
    expect(later.stdout).toMatch(/genuine-later-answer\n$/);
    const attempts = jsonLines(later.stdout);
    expect(attempts).toHaveLength(4);
    for (const attempt of attempts) expect(attempt.write).toBe('denied: Permission denied');
    expect(later.stdout).not.toContain('FORGED');
    const after = await bash('echo still-genuine');
    expect(after.stdout).toBe('still-genuine\n');
    expect(framesTheHostDropped()).toEqual([]);
  });
});

/** Runs the image's program in a container shaped by `options` until it exits (its stdin is empty). */
async function runProgram(options: ContainerCreateOptions): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const container = await hostDocker().createContainer({
    Image: testImage,
    User: '1000:1000',
    Labels: { 'ngb.test': `tool-reach-${process.pid}` },
    ...options,
    HostConfig: {
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      ...options.HostConfig,
    },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    const streams = { stdout: '', stderr: '' };
    // Docker's multiplexed log format: an 8-byte header (stream, 0, 0, 0, length) before each chunk.
    for (let offset = 0; offset + 8 <= logs.length; ) {
      const length = logs.readUInt32BE(offset + 4);
      streams[logs[offset] === 2 ? 'stderr' : 'stdout'] += logs.subarray(offset + 8, offset + 8 + length).toString('utf8');
      offset += 8 + length;
    }
    return { exitCode: StatusCode, ...streams };
  } finally {
    await container.remove({ force: true });
  }
}

describeWithDocker("docker runtime: the tool server refuses to serve within the tools' reach", () => {
  it('serves as the image starts it: an unprivileged user, every capability dropped', async () => {
    const run = await runProgram({});
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout.split('\n')[0] ?? '')).toMatchObject({ type: 'hello', outOfToolsReach: true });
  });

  it.each<[string, ContainerCreateOptions, RegExp]>([
    ['as root', { User: '0:0' }, /it runs as root/],
    ['from a readable node binary', { Entrypoint: ['/usr/bin/tini', '--', 'node', '/opt/ngb/sandbox/bin.js'] }, /it is dumpable/],
    ['under an init the tools can reach', { HostConfig: { Init: true } }, /process 1 \(docker-init\) holds its stdio/],
    ['when a tool could gain CAP_SYS_PTRACE', { HostConfig: { CapAdd: ['SYS_PTRACE'] } }, /CAP_SYS_PTRACE/],
  ])('refuses to serve %s, and says why', async (_case, options, reason) => {
    const run = await runProgram(options);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^\[@ngb\/sandbox\] refusing to serve: the tools it runs could write forged answers/m);
    expect(run.stderr).toMatch(reason);
  });

  it('is refused by the runtime when its image does not prove it (an image older than the runtime)', async () => {
    const repository = `ngb-agent-test-unproven-${process.pid}`;
    const template = await hostDocker().createContainer({
      Image: testImage,
      Entrypoint: ['/usr/bin/tini', '--', '/opt/ngb/sandbox/node', '/opt/ngb/sandbox/bin.js', '--not-isolated'],
      Labels: { 'ngb.test': `tool-reach-${process.pid}` },
    });
    await template.commit({ repo: repository, tag: 'latest' });
    await template.remove({ force: true });
    const namespace = `test-unproven-${process.pid}`;
    const unproven = createDockerRuntime({ image: `${repository}:latest`, namespace, diskLimit: 'unlimited' });
    try {
      const error = await unproven
        .acquire({ sessionId: 'unproven', agentFolder: await folders.make('agent'), agentName: 'Old', isMain: false })
        .catch((caught: unknown) => caught);
      expect(SandboxError.isInstance(error) && error.reason).toBe('protocol');
      expect((error as Error).message).toMatch(/is older than this runtime: .* Rebuild it with .*build\.mjs/);
      expect(await hostDocker().listContainers({ all: true, filters: { label: [`ngb.namespace=${namespace}`] } })).toEqual([]);
    } finally {
      await unproven.close();
      await hostDocker().getImage(`${repository}:latest`).remove();
    }
  });
});

describe('docker runtime options', () => {
  it('refuses to run sandboxes as root, naming the option', () => {
    const error = (() => {
      try {
        createDockerRuntime({ user: '0:0', diskLimit: 'unlimited' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/option "user" is invalid: must not be root/);
  });
});
