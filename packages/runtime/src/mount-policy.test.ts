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
  '/home/me/projects/with-ssh': '/home/me/projects/with-ssh',
  '/home/me/projects/nested-ssh': '/home/me/projects/nested-ssh',
  '/home/me/projects/with-env': '/home/me/projects/with-env',
  '/home/me/projects/with-key': '/home/me/projects/with-key',
  '/home/me/projects/with-creds': '/home/me/projects/with-creds',
  '/home/me/projects/with-envrc': '/home/me/projects/with-envrc',
  '/home/me/projects/with-blocked': '/home/me/projects/with-blocked',
  '/home/me/projects/unreadable': '/home/me/projects/unreadable',
  '/home/me/projects/My Docs': '/home/me/projects/My Docs',
  '/home/me/projects/app/README.md': '/home/me/projects/app/README.md',
};
const realpath = (hostPath: string) => realpaths[hostPath];

// What the top two levels of each folder hold (absent: an empty folder).
const listings: Record<string, readonly string[] | undefined> = {
  '/home/me/projects/app': ['README.md', 'src', 'src/index.ts', '.dockerignore', 'docker-compose.yml', '.environment.ts'],
  '/home/me/projects/with-ssh': ['.ssh', '.ssh/id_ed25519', 'notes.txt'],
  '/home/me/projects/nested-ssh': ['home', 'home/.ssh', 'readme'],
  '/home/me/projects/with-env': ['src', '.env.local'],
  '/home/me/projects/with-key': ['deploy', 'deploy/id_rsa.pub'],
  '/home/me/projects/with-creds': ['aws-credentials.txt'],
  '/home/me/projects/with-envrc': ['.envrc'],
  '/home/me/projects/with-blocked': ['vault'],
  '/home/me/projects/unreadable': undefined,
};
const entries = (hostPath: string) => (hostPath in listings ? listings[hostPath] : []);

const allowlist: MountAllowlist = {
  allowedRoots: [
    { path: '/home/me/projects', readWrite: true },
    { path: '/home/me/shared', readWrite: false },
  ],
  blockedPatterns: ['notes', 'vault'],
};

type Case = [
  name: string,
  request: SandboxMount,
  isMain: boolean,
  expected: { readonly: boolean; hostPath: string; containerPath?: string } | RegExp,
];

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
  [
    'no container path: the folder name under /workspace/extra',
    { hostPath: '/home/me/projects/app' },
    false,
    { readonly: true, hostPath: '/home/me/projects/app', containerPath: 'app' },
  ],
  [
    'no container path, through a symlinked root: the requested folder name',
    { hostPath: '/home/me/shared' },
    false,
    { readonly: true, hostPath: '/mnt/disk/shared', containerPath: 'shared' },
  ],
  [
    'no container path and a folder name that cannot be one',
    { hostPath: '/home/me/projects/My Docs' },
    false,
    /has no containerPath, and its folder name cannot be one: .*may only hold/,
  ],
  [
    'a file, which has no entries',
    { hostPath: '/home/me/projects/app/README.md', containerPath: 'readme' },
    false,
    { readonly: true, hostPath: '/home/me/projects/app/README.md' },
  ],
  [
    'a folder holding .ssh at its top',
    { hostPath: '/home/me/projects/with-ssh' },
    true,
    /holds "\.ssh", which looks like a secret \("\.ssh"\)/,
  ],
  ['a folder holding .ssh at its second level', { hostPath: '/home/me/projects/nested-ssh' }, true, /holds "home\/\.ssh"/],
  ['a folder holding .env.local', { hostPath: '/home/me/projects/with-env' }, true, /holds "\.env\.local".*"\.env"/],
  [
    'a folder holding a public key beside its private one',
    { hostPath: '/home/me/projects/with-key' },
    true,
    /"deploy\/id_rsa\.pub"/,
  ],
  ['a folder holding a credentials file', { hostPath: '/home/me/projects/with-creds' }, true, /"aws-credentials\.txt"/],
  ['a folder holding a direnv file', { hostPath: '/home/me/projects/with-envrc' }, true, /"\.envrc"/],
  ['a folder holding a pattern blocked by the allowlist file', { hostPath: '/home/me/projects/with-blocked' }, true, /"vault"/],
  ['a folder that cannot be listed', { hostPath: '/home/me/projects/unreadable' }, true, /cannot be listed/],
];

describe('checkMounts', () => {
  it.each(cases)('%s', (_name, request, isMain, expected) => {
    const { mounts, refused } = checkMounts({ requests: [request], allowlist, isMain, realpath, entries });
    if (expected instanceof RegExp) {
      expect(mounts).toEqual([]);
      expect(refused).toHaveLength(1);
      expect(refused[0]?.reason).toMatch(expected);
    } else {
      expect(refused).toEqual([]);
      const containerPath = expected.containerPath ?? request.containerPath;
      expect(mounts).toEqual([
        { hostPath: expected.hostPath, containerPath: `/workspace/extra/${containerPath}`, readonly: expected.readonly },
      ]);
    }
  });

  it('accepts a project folder whose entries only resemble secret names', () => {
    const { mounts, refused } = checkMounts({
      requests: [{ hostPath: '/home/me/projects/app' }],
      allowlist,
      isMain: false,
      realpath,
      entries,
    });
    expect(refused).toEqual([]);
    expect(mounts).toHaveLength(1);
  });

  it.each([
    ['null', null, /must be an object .*got null/],
    ['a string', '/home/me/projects/app', /must be an object .*got string/],
    ['a list', ['/home/me/projects/app'], /must be an object .*got a list/],
    ['no hostPath', { containerPath: 'app' }, /needs `hostPath`, a non-empty string/],
    ['an empty hostPath', { hostPath: '' }, /needs `hostPath`/],
    ['a numeric hostPath', { hostPath: 42 }, /needs `hostPath`/],
    ['a numeric containerPath', { hostPath: '/home/me/projects/app', containerPath: 7 }, /`containerPath` must be a string/],
    ['a string readonly', { hostPath: '/home/me/projects/app', readonly: 'no' }, /`readonly` must be true or false/],
    ['an unknown key', { hostPath: '/home/me/projects/app', readOnly: false }, /unknown keys "readOnly"/],
  ])('refuses a malformed row (%s) with the reason, without throwing', (_name, request, reason) => {
    const { mounts, refused } = checkMounts({ requests: [request], allowlist, isMain: true, realpath, entries });
    expect(mounts).toEqual([]);
    expect(refused).toEqual([{ request, index: 0, reason: expect.stringMatching(reason) }]);
  });

  it('checks entries only of folders that passed every other check', () => {
    const listed: string[] = [];
    checkMounts({
      requests: [{ hostPath: '/opt/tools' }, { hostPath: '/home/me/projects/link-out' }, { hostPath: '/home/me/projects/app' }],
      allowlist,
      isMain: false,
      realpath,
      entries: (hostPath) => {
        listed.push(hostPath);
        return entries(hostPath);
      },
    });
    expect(listed).toEqual(['/home/me/projects/app']);
  });

  it('refuses every extra mount when there is no allowlist', () => {
    const { mounts, refused } = checkMounts({
      requests: [{ hostPath: '/home/me/projects/app', containerPath: 'app' }],
      allowlist: undefined,
      isMain: true,
      realpath,
      entries,
    });
    expect(mounts).toEqual([]);
    expect(refused[0]?.reason).toMatch(/no mount allowlist/);
  });

  it('refuses the second of two mounts at the same container path', () => {
    const request = { hostPath: '/home/me/projects/app', containerPath: 'same' };
    const { mounts, refused } = checkMounts({ requests: [request, request], allowlist, isMain: false, realpath, entries });
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
