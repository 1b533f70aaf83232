// A release without publishing: copies the workspace's manifests and built files to a scratch folder,
// applies the pending changesets there (versions and CHANGELOG.md files), and packs every public package
// into `--out <dir>` (default .ci/out/release). The working tree is never changed. Build first.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { packPublicPackages, root, workspaceFolders } from './pack-packages.mjs';

const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex === -1 ? join(root, '.ci/out/release') : process.argv[outIndex + 1]);
const changeset = join(root, 'node_modules/.bin/changeset');

const pending = readdirSync(join(root, '.changeset')).filter((name) => name.endsWith('.md') && name !== 'README.md');
if (pending.length === 0) {
  console.error('release:dry: no pending changeset; add one with `pnpm changeset`');
  process.exit(1);
}

const packed = await packPublicPackages({
  out,
  prepare: (scratch) => {
    // Changesets reads the workspace from pnpm-workspace.yaml; folders it lists but were not copied are skipped.
    execFileSync(changeset, ['version'], { cwd: scratch, stdio: 'inherit' });
    for (const folder of workspaceFolders()) {
      const manifest = JSON.parse(readFileSync(join(scratch, folder, 'package.json'), 'utf8'));
      if (!manifest.private && !existsSync(join(scratch, folder, 'CHANGELOG.md')))
        throw new Error(`${manifest.name} got no CHANGELOG.md from the changesets`);
    }
  },
});
for (const entry of packed) console.log(`${entry.name}@${entry.version}  ${relative(out, entry.tarball)}`);
console.log(`release:dry: ${packed.length} packages packed into ${relative(root, out) || out} (nothing published)`);
