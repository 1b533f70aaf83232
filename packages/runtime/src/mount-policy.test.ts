import type { SandboxMount } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { checkAgentFolderName, checkMounts, type MountAllowlist } from './mount-policy';

// A pretend file system: host path → its real path (symlinks resolved); missing paths are absent.
const realpaths: Record<string, string> = {
  '/home/me/projects': '/home/me/projects',
  '/home/me/projects/app': '/home/me/projects/app',
  '/home/me/projects/app/data': '/home/me/projects/app/data',
  '/home/me/projects/link-to-ssh': '/home/me/.ssh',
  '/home/me/projects/link-out': '/etc',
  '/home/me/projects/.env': '/home/me/projects/.env',
  '/home/me/projects/app/id_rsa.pub': '/home/me/projects/app/id_rsa.pub',
  '/home/me/projects/aws-credentials.txt': '/home/me/projects/aws-credentials.txt',
  '/home/me/projects/notes': '/home/me/projects/notes',
  '/home/me/shared': '/mnt/disk/shared',
  '/mnt/disk/shared': '/mnt/disk/shared',
  '/mnt/disk/shared/docs': '/mnt/disk/shared/docs',
  '/opt/tools': '/opt/tools',
};
const realpath = (hostPath: string) => realpaths[hostPath];

const allowlist: MountAllowlist = {
  allowedRoots: [
    { path: '/home/me/projects', readWrite: true },
    { path: '/home/me/shared', readWrite: false },
  ],
  blockedPatterns: ['notes'],
};

type Case = [name: string, request: SandboxMount, isMain: boolean, expected: { readonly: boolean; hostPath: string } | RegExp];

const cases: Case[] = [
  [
    'a folder under an allowed root, for a non-main agent: read-only',
    { hostPath: '/home/me/projects/app', containerPath: 'app', readonly: false },
    false,
    { readonly: true, hostPath: '/home/me/projects/app' },
  ],
  [
    'the main agent asking read-write under a read-write root',
    { hostPath: '/home/me/projects/app', containerPath: 'app', readonly: false },
    true,
    { readonly: false, hostPath: '/home/me/projects/app' },
  ],
  [
    'the main agent without asking: read-only',
    { hostPath: '/home/me/projects/app', containerPath: 'app' },
    true,
    { readonly: true, hostPath: '/home/me/projects/app' },
  ],
  [
    'the main agent asking read-write under a read-only root',
    { hostPath: '/mnt/disk/shared/docs', containerPath: 'docs', readonly: false },
    true,
    { readonly: true, hostPath: '/mnt/disk/shared/docs' },
  ],
  [
    'a root given through a symlink matches its real path',
    { hostPath: '/mnt/disk/shared/docs', containerPath: 'docs' },
    false,
    { readonly: true, hostPath: '/mnt/disk/shared/docs' },
  ],
  [
    'the allowed root itself',
    { hostPath: '/home/me/projects', containerPath: 'all' },
    false,
    { readonly: true, hostPath: '/home/me/projects' },
  ],
  [
    'a nested container name',
    { hostPath: '/home/me/projects/app/data', containerPath: 'app/data' },
    false,
    { readonly: true, hostPath: '/home/me/projects/app/data' },
  ],
  ['a path outside every root', { hostPath: '/opt/tools', containerPath: 'tools' }, true, /not under any allowed root/],
  [
    'a symlink from inside a root to a secret folder',
    { hostPath: '/home/me/projects/link-to-ssh', containerPath: 'keys' },
    true,
    /\.ssh/,
  ],
  [
    'a symlink from inside a root to outside it',
    { hostPath: '/home/me/projects/link-out', containerPath: 'etc' },
    true,
    /not under any allowed root/,
  ],
  ['a .env file', { hostPath: '/home/me/projects/.env', containerPath: 'env' }, true, /\.env/],
  ['an SSH key', { hostPath: '/home/me/projects/app/id_rsa.pub', containerPath: 'key' }, true, /id_rsa/],
  ['a credentials file', { hostPath: '/home/me/projects/aws-credentials.txt', containerPath: 'creds' }, true, /credentials/],
  ['a secret component in the requested path itself', { hostPath: '/home/me/.aws/config', containerPath: 'aws' }, true, /\.aws/],
  [
    'a pattern blocked by the allowlist file',
    { hostPath: '/home/me/projects/notes', containerPath: 'notes-copy' },
    true,
    /"notes"/,
  ],
  ['a missing host path', { hostPath: '/home/me/projects/gone', containerPath: 'gone' }, true, /does not exist/],
  ['a relative host path', { hostPath: 'projects/app', containerPath: 'app' }, true, /absolute/],
  ['an absolute container path', { hostPath: '/home/me/projects/app', containerPath: '/etc/app' }, true, /relative name/],
  ['a container path with ..', { hostPath: '/home/me/projects/app', containerPath: '../agent' }, true, /"\.\."/],
  ['a container path with :', { hostPath: '/home/me/projects/app', containerPath: 'app:rw' }, true, /":"/],
  ['an empty container path', { hostPath: '/home/me/projects/app', containerPath: '' }, true, /relative name/],
  ['a container path with odd characters', { hostPath: '/home/me/projects/app', containerPath: 'a b' }, true, /may only hold/],
];

describe('checkMounts', () => {
  it.each(cases)('%s', (_name, request, isMain, expected) => {
    const { mounts, refused } = checkMounts({ requests: [request], allowlist, isMain, realpath });
    if (expected instanceof RegExp) {
      expect(mounts).toEqual([]);
      expect(refused).toHaveLength(1);
      expect(refused[0]?.reason).toMatch(expected);
    } else {
      expect(refused).toEqual([]);
      expect(mounts).toEqual([
        { hostPath: expected.hostPath, containerPath: `/workspace/extra/${request.containerPath}`, readonly: expected.readonly },
      ]);
    }
  });

  it('refuses every extra mount when there is no allowlist', () => {
    const { mounts, refused } = checkMounts({
      requests: [{ hostPath: '/home/me/projects/app', containerPath: 'app' }],
      allowlist: undefined,
      isMain: true,
      realpath,
    });
    expect(mounts).toEqual([]);
    expect(refused[0]?.reason).toMatch(/no mount allowlist/);
  });

  it('refuses the second of two mounts at the same container path', () => {
    const request = { hostPath: '/home/me/projects/app', containerPath: 'same' };
    const { mounts, refused } = checkMounts({ requests: [request, request], allowlist, isMain: false, realpath });
    expect(mounts).toHaveLength(1);
    expect(refused[0]?.reason).toMatch(/used twice/);
  });
});

describe('checkAgentFolderName', () => {
  it.each([
    ['main', undefined],
    ['Agent_01-x', undefined],
    ['a'.repeat(64), undefined],
    ['a'.repeat(65), /must match/],
    ['global', /reserved/],
    ['GLOBAL', /reserved/],
    ['-leading-dash', /must match/],
    ['has space', /must match/],
    ['..', /must match/],
    ['', /must match/],
  ])('%s', (name, expected) => {
    const problem = checkAgentFolderName(name);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});
