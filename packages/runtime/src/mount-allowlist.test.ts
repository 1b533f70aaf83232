import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '@ngb/plugin-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMountAllowlistPath, loadMountAllowlist } from './mount-allowlist';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'ngb-allowlist-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('loadMountAllowlist', () => {
  it('lives under ~/.config/ngb by default', () => {
    expect(defaultMountAllowlistPath('/home/me')).toBe('/home/me/.config/ngb/mount-allowlist.json');
  });

  it('returns undefined when the file does not exist', async () => {
    expect(await loadMountAllowlist(path.join(directory, 'missing.json'))).toBeUndefined();
  });

  it('reads roots and expands ~', async () => {
    const file = path.join(directory, 'ok.json');
    await writeFile(
      file,
      JSON.stringify({
        allowedRoots: [{ path: '~/projects', readWrite: true }, { path: '/srv/data' }],
        blockedPatterns: ['vault'],
      }),
    );
    expect(await loadMountAllowlist(file, { homeDirectory: '/home/me' })).toEqual({
      allowedRoots: [{ path: '/home/me/projects', readWrite: true }, { path: '/srv/data' }],
      blockedPatterns: ['vault'],
    });
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['a root without a path', '{"allowedRoots":[{"readWrite":true}]}', /allowedRoots\.0\.path/],
    ['an unknown key', '{"allowedRoots":[],"allowAll":true}', /allowAll/],
  ])('refuses %s with a ConfigError naming the problem', async (_name, text, message) => {
    const file = path.join(directory, 'bad.json');
    await writeFile(file, text);
    const error = await loadMountAllowlist(file).catch((caught: unknown) => caught);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
