import { describe, expect, it } from 'vitest';
import { buildSandboxContainerOptions, type SandboxContainerInput } from './docker-container-options';

const input: SandboxContainerInput = {
  spec: { sessionId: 'telegram:42/thread 7', agentFolder: '/srv/agents/main', agentName: 'Main', isMain: true },
  image: 'ngb-agent:latest',
  namespace: 'default',
  agentFolder: '/srv/agents/main',
  globalFolder: '/srv/agents/global',
  extraMounts: [{ hostPath: '/srv/data', containerPath: '/workspace/extra/data', readonly: true }],
  limits: { memoryMb: 512, cpus: 0.5, pids: 128, diskMb: 1024 },
  user: '1000:1000',
  tmpfsSizeMb: 64,
  nameSuffix: 'abcd1234',
  owner: { pid: 4242, startTime: '98765', bootId: 'boot-1', host: 'gateway-host' },
};

describe('buildSandboxContainerOptions', () => {
  it('hardens the container by default', () => {
    const options = buildSandboxContainerOptions(input);
    expect(options.User).toBe('1000:1000');
    expect(options.Env).toEqual(['HOME=/tmp', 'LANG=C.UTF-8']);
    expect(options.HostConfig).toMatchObject({
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': 'rw,nosuid,nodev,size=64m,mode=1777' },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      PidsLimit: 128,
      Memory: 512 * 1024 * 1024,
      MemorySwap: 512 * 1024 * 1024,
      NanoCpus: 500_000_000,
    });
    expect(options.HostConfig).not.toHaveProperty('CapAdd');
    expect(options.HostConfig).not.toHaveProperty('Binds');
  });

  it('mounts only the agent folder, the shared folder read-only and the checked extra mounts', () => {
    expect(buildSandboxContainerOptions(input).HostConfig?.Mounts).toEqual([
      { Type: 'bind', Source: '/srv/agents/main', Target: '/workspace/agent', ReadOnly: false },
      { Type: 'bind', Source: '/srv/agents/global', Target: '/workspace/global', ReadOnly: true },
      { Type: 'bind', Source: '/srv/data', Target: '/workspace/extra/data', ReadOnly: true },
    ]);
    expect(buildSandboxContainerOptions({ ...input, globalFolder: undefined, extraMounts: [] }).HostConfig?.Mounts).toHaveLength(
      1,
    );
  });

  it('hands the MCP servers to the sandbox program as one argument, and nothing when there are none', () => {
    const tiny = { name: 'tiny', command: 'node', args: ['tiny-mcp.mjs'], env: {}, startTimeoutMs: 30_000 };
    expect(buildSandboxContainerOptions(input).Cmd).toEqual(['--root', '/workspace', '--cwd', '/workspace/agent']);
    expect(buildSandboxContainerOptions({ ...input, mcpServers: [tiny] }).Cmd).toEqual([
      '--root',
      '/workspace',
      '--cwd',
      '/workspace/agent',
      '--mcp-servers',
      JSON.stringify([tiny]),
    ]);
  });

  it("keeps the network off with egress: the proxy socket's folder is mounted read-only and named to the program", () => {
    const options = buildSandboxContainerOptions({ ...input, egressFolder: '/srv/ngb/egress/abcd1234' });
    expect(options.HostConfig?.NetworkMode).toBe('none');
    expect(options.HostConfig?.Mounts).toContainEqual({
      Type: 'bind',
      Source: '/srv/ngb/egress/abcd1234',
      Target: '/run/ngb',
      ReadOnly: true,
    });
    expect(options.Cmd).toEqual(['--root', '/workspace', '--cwd', '/workspace/agent', '--egress-socket', '/run/ngb/egress.sock']);
    expect(buildSandboxContainerOptions(input).Cmd).toEqual(['--root', '/workspace', '--cwd', '/workspace/agent']);
  });

  it('labels the container with its owning process for orphan cleanup, and names it safely', () => {
    const options = buildSandboxContainerOptions(input);
    expect(options.Labels).toEqual({
      'ngb.sandbox': 'true',
      'ngb.namespace': 'default',
      'ngb.session': 'telegram:42/thread 7',
      'ngb.agent': 'Main',
      'ngb.owner.pid': '4242',
      'ngb.owner.start-time': '98765',
      'ngb.owner.boot-id': 'boot-1',
      'ngb.owner.host': 'gateway-host',
    });
    expect(options.name).toBe('ngb-default-telegram-42-thread-7-abcd1234');
    expect(options).toMatchObject({ OpenStdin: true, StdinOnce: true, Tty: false, AttachStdin: true });
  });
});
