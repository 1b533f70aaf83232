import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SandboxError } from '@ngb/plugin-sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extraMountRoot, type MountAllowlist, secretPathComponents } from './mount-policy';
import { resolveMounts } from './resolve-mounts';

const seed = 16_4201;
let root = '';

// A real tree: one allowed root, a sibling whose name starts like it, an outside folder, a home with
// secrets, and links from inside the root to each of them.
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ngb-mount-property-')));
  for (const folder of [
    'allowed/a/b',
    'allowed/docs',
    'allowed/ünï',
    'allowed-sibling/x',
    'outside/x',
    'home/.ssh',
    'allowed/with-secret/.env',
  ]) {
    mkdirSync(path.join(root, folder), { recursive: true });
  }
  writeFileSync(path.join(root, 'allowed/docs/file.txt'), 'x');
  symlinkSync(path.join(root, 'outside'), path.join(root, 'allowed/link-out'));
  symlinkSync(path.join(root, 'home/.ssh'), path.join(root, 'allowed/link-ssh'));
  symlinkSync('..', path.join(root, 'allowed/link-up'));
  symlinkSync(path.join(root, 'allowed-sibling'), path.join(root, 'allowed/a/link-sibling'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const segment = fc.oneof(
  fc.constantFrom('allowed', 'allowed-sibling', 'outside', 'home', '.ssh', 'a', 'b', 'docs', 'file.txt', 'ünï', 'with-secret'),
  fc.constantFrom(
    'link-out',
    'link-ssh',
    'link-up',
    'link-sibling',
    '..',
    '.',
    '',
    '...',
    '%2e%2e',
    'a\u0000b',
    '.env',
    'ü\u0301',
  ),
  fc.string({ maxLength: 6 }),
);
const segments = fc.array(segment, { maxLength: 7 });
const request = fc.record(
  {
    hostPath: fc.oneof(
      fc.tuple(segments, fc.boolean()).map(([parts, absolute]) => (absolute ? `${root}/${parts.join('/')}` : parts.join('/'))),
      // Through the links inside the allowed root, that lead out of it: few random paths would reach one.
      fc
        .tuple(
          fc.constantFrom('link-out', 'link-up', 'a/link-sibling', 'link-out/x', 'link-up/outside', 'a/../link-out'),
          segments,
        )
        .map(([link, parts]) => `${root}/allowed/${link}${parts.length > 0 && parts.length < 2 ? `/${parts.join('/')}` : ''}`),
    ),
    containerPath: fc.oneof(
      segments.map((parts) => parts.join('/')),
      fc.string({ maxLength: 12 }),
    ),
    readonly: fc.boolean(),
  },
  { requiredKeys: ['hostPath'] },
);

function isInside(parent: string, candidate: string): boolean {
  const relative = path.relative(parent, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

describe('mount policy against a real tree (property)', () => {
  it('never mounts outside the allowed root, a secret, or outside the extra mount folder', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(request, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        async (requests, isMain, readWrite) => {
          const allowlist: MountAllowlist = { allowedRoots: [{ path: path.join(root, 'allowed'), readWrite }] };
          let mounts: Awaited<ReturnType<typeof resolveMounts>>;
          try {
            mounts = await resolveMounts({ requests, allowlist, isMain, sessionId: 's' });
          } catch (error) {
            expect(SandboxError.isInstance(error) && error.reason === 'mount_refused').toBe(true);
            return;
          }
          expect(mounts).toHaveLength(requests.length);
          for (const mount of mounts) {
            expect(isInside(path.join(root, 'allowed'), mount.hostPath)).toBe(true);
            expect(realpathSync(mount.hostPath)).toBe(mount.hostPath);
            const components = mount.hostPath.toLowerCase().split('/');
            for (const secret of secretPathComponents) expect(components.some((part) => part.includes(secret))).toBe(false);
            expect(mount.containerPath.startsWith(`${extraMountRoot}/`)).toBe(true);
            expect(path.posix.normalize(mount.containerPath)).toBe(mount.containerPath);
            expect(mount.containerPath.includes(':') || mount.containerPath.includes('\u0000')).toBe(false);
            if (!isMain || !readWrite) expect(mount.readonly).toBe(true);
          }
          expect(new Set(mounts.map((mount) => mount.containerPath)).size).toBe(mounts.length);
        },
      ),
      { seed, numRuns: 200 },
    );
  });
});
