import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { SandboxError, type SandboxSpec } from '@ngb/plugin-sdk';
import { createLineSplitter, parseSandboxFrame, type SandboxFrame } from '@ngb/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFolders, createAgentFolders } from './__fixtures__/agent-folders';
import { describeWithDocker, hostDocker, testImage } from './__fixtures__/docker-gate';
import { createDockerRuntime } from './docker-runtime';

let folders: AgentFolders;
beforeAll(async () => {
  folders = await createAgentFolders('docker-errors');
});
afterAll(() => folders?.remove());

async function errorOf(promise: Promise<unknown>): Promise<SandboxError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!SandboxError.isInstance(error)) throw new Error(`expected a SandboxError, got ${String(error)}`);
  return error;
}

describe('docker runtime: the engine is not running', () => {
  it('refuses with engine_unavailable and says how to start the engine', async () => {
    const runtime = createDockerRuntime({ socketPath: `${folders.base}/no-docker.sock`, diskLimit: 'unlimited' });
    const spec = { sessionId: 'no-engine', agentFolder: await folders.make('agent'), agentName: 'A', isMain: false };
    const error = await errorOf(runtime.acquire(spec));
    expect(error.reason).toBe('engine_unavailable');
    expect(error.message).toMatch(/Docker engine is not answering at .*no-docker\.sock/);
    expect(error.message).toMatch(/systemctl start docker/);
    expect(await runtime.list()).toEqual([]);
    await runtime.close();
  });
});

describeWithDocker('docker runtime: bad input', () => {
  it('refuses a missing image with image_missing and says how to build it', async () => {
    const runtime = createDockerRuntime({
      image: 'ngb-agent:does-not-exist',
      namespace: `test-noimage-${process.pid}`,
      diskLimit: 'unlimited',
    });
    const error = await errorOf(
      runtime.acquire({ sessionId: 's', agentFolder: await folders.make('agent'), agentName: 'A', isMain: false }),
    );
    expect(error.reason).toBe('image_missing');
    expect(error.message).toMatch(/"ngb-agent:does-not-exist" is missing/);
    expect(error.message).toMatch(/container-images\/agent\/build\.mjs/);
    await runtime.close();
  });

  it('refuses extra mounts without an allowlist and bad agent folders, starting nothing', async () => {
    const namespace = `test-refusals-${process.pid}`;
    const runtime = createDockerRuntime({ image: testImage, namespace, diskLimit: 'unlimited' });
    const agentFolder = await folders.make('agent');
    const mount = await errorOf(
      runtime.acquire({
        sessionId: 'm',
        agentFolder,
        agentName: 'A',
        isMain: true,
        mounts: [{ hostPath: folders.base, containerPath: 'all' }],
      }),
    );
    expect(mount.reason).toBe('mount_refused');
    expect(mount.message).toMatch(/no mount allowlist/);
    const reserved = await errorOf(
      runtime.acquire({ sessionId: 'g', agentFolder: `${folders.base}/global`, agentName: 'A', isMain: false }),
    );
    expect(reserved.reason).toBe('invalid_input');
    const containers = await hostDocker().listContainers({ all: true, filters: { label: [`ngb.namespace=${namespace}`] } });
    expect(containers).toEqual([]);
    await runtime.close();
  });

  it('refuses an allowlisted folder holding .ssh at its top or second level, and malformed mount rows, starting nothing', async () => {
    const namespace = `test-secret-mounts-${process.pid}`;
    const allowed = path.join(folders.base, 'mount-root');
    await mkdir(path.join(allowed, 'top', '.ssh'), { recursive: true });
    await mkdir(path.join(allowed, 'second', 'home', '.ssh'), { recursive: true });
    await mkdir(path.join(allowed, 'third', 'a', 'b', '.ssh'), { recursive: true });
    const runtime = createDockerRuntime({
      image: testImage,
      namespace,
      mountAllowlist: { allowedRoots: [{ path: allowed }] },
      diskLimit: 'unlimited',
    });
    const acquire = async (mounts: unknown[]) =>
      errorOf(
        runtime.acquire({
          sessionId: 'secret-mounts',
          agentFolder: await folders.make('agent'),
          agentName: 'A',
          isMain: true,
          mounts: mounts as SandboxSpec['mounts'],
        }),
      );
    const top = await acquire([{ hostPath: path.join(allowed, 'top') }]);
    expect(top.reason).toBe('mount_refused');
    expect(top.message).toMatch(/mounts\[0\]: host path ".*\/top" holds "\.ssh", which looks like a secret/);
    const second = await acquire([{ hostPath: path.join(allowed, 'second'), containerPath: 'second' }]);
    expect(second.message).toMatch(/second: host path ".*\/second" holds "home\/\.ssh"/);
    const malformed = await acquire([null, { containerPath: 'x' }]);
    expect(malformed.reason).toBe('mount_refused');
    expect(malformed.message).toMatch(/mounts\[0\]: a mount must be an object .*; x: a mount needs `hostPath`/);
    const containers = await hostDocker().listContainers({ all: true, filters: { label: [`ngb.namespace=${namespace}`] } });
    expect(containers).toEqual([]);
    // Only the top two levels are checked: deeper entries are the folder's ordinary content.
    const deep = await runtime.acquire({
      sessionId: 'deep',
      agentFolder: await folders.make('agent'),
      agentName: 'A',
      isMain: true,
      mounts: [{ hostPath: path.join(allowed, 'third') }],
    });
    await deep.close();
    await runtime.close();
  });

  it('answers malformed protocol lines with errors and keeps the sandbox alive', async () => {
    const agentFolder = await folders.make('agent');
    const container = await hostDocker().createContainer({
      Image: testImage,
      User: '1000:1000',
      OpenStdin: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Labels: { 'ngb.test': 'malformed' },
      HostConfig: {
        NetworkMode: 'none',
        ReadonlyRootfs: true,
        Mounts: [{ Type: 'bind', Source: agentFolder, Target: '/workspace/agent' }],
      },
    });
    try {
      const stream = await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
      const stdout = new PassThrough();
      hostDocker().modem.demuxStream(stream, stdout, new PassThrough());
      const frames: SandboxFrame[] = [];
      const splitter = createLineSplitter(
        1 << 20,
        (line) => {
          const parsed = parseSandboxFrame(line);
          if (parsed.ok) frames.push(parsed.frame);
        },
        () => {},
      );
      stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
      await container.start();
      stream.write('not json at all\n');
      stream.write('{"type":"request","id":"x1","tool":"bash"}\n');
      stream.write('{"type":"request","id":"x2","tool":"bash","input":{"command":"echo survived"}}\n');
      await expect
        .poll(() => frames.find((frame) => frame.type === 'response' && frame.id === 'x2'), { timeout: 10_000 })
        .toBeDefined();
      expect(frames[0]?.type).toBe('hello');
      const answers = frames.filter((frame) => frame.type === 'response');
      expect(answers).toEqual([
        { type: 'response', id: null, ok: false, error: { code: 'protocol', message: expect.stringMatching(/not JSON/) } },
        { type: 'response', id: 'x1', ok: false, error: { code: 'protocol', message: expect.stringMatching(/input/) } },
        { type: 'response', id: 'x2', ok: true, output: expect.objectContaining({ stdout: 'survived\n', exitCode: 0 }) },
      ]);
      expect((await container.inspect()).State.Running).toBe(true);
    } finally {
      await container.remove({ force: true });
    }
  });
});
