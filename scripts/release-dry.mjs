// A release without publishing: copies the workspace's manifests and built files to a scratch folder,
// applies the pending changesets there (versions and CHANGELOG.md files), and packs every public package
// into `--out <dir>` (default .ci/out/release). The working tree is never changed. Build first.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex === -1 ? join(root, '.ci/out/release') : process.argv[outIndex + 1]);
const changeset = join(root, 'node_modules/.bin/changeset');

const workspaceFolders = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((entry) => join(group, entry))
    .filter((folder) => existsSync(join(root, folder, 'package.json'))),
);
const pending = readdirSync(join(root, '.changeset')).filter((name) => name.endsWith('.md') && name !== 'README.md');
if (pending.length === 0) {
  console.error('release:dry: no pending changeset; add one with `pnpm changeset`');
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'ngb-release-dry-'));
try {
  for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset'])
    cpSync(join(root, file), join(scratch, file), { recursive: true });
  // Only the workspace's package folders, without their installed dependencies.
  for (const folder of workspaceFolders) {
    cpSync(join(root, folder), join(scratch, folder), {
      recursive: true,
      filter: (source) => !relative(join(root, folder), source).split('/').includes('node_modules'),
    });
  }
  // Changesets reads the workspace from pnpm-workspace.yaml; folders it lists but we did not copy are skipped.
  execFileSync(changeset, ['version'], { cwd: scratch, stdio: 'inherit' });
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const manifests = new Map(
    workspaceFolders.map((folder) => [folder, JSON.parse(readFileSync(join(scratch, folder, 'package.json'), 'utf8'))]),
  );
  const versions = new Map([...manifests.values()].map((manifest) => [manifest.name, manifest.version]));
  const packed = [];
  for (const [folder, manifest] of manifests) {
    if (manifest.private) continue;
    // What `pnpm publish` writes for `workspace:` ranges (the copy has no node_modules for pnpm to read them from).
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        if (!range.startsWith('workspace:')) continue;
        const version = versions.get(name);
        if (version === undefined) throw new Error(`${manifest.name} depends on ${name}, which is not in the workspace`);
        const wanted = range.slice('workspace:'.length);
        manifest[field][name] = wanted === '*' ? version : wanted === '^' || wanted === '~' ? `${wanted}${version}` : wanted;
      }
    }
    writeFileSync(join(scratch, folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (!existsSync(join(scratch, folder, 'CHANGELOG.md')))
      throw new Error(`${manifest.name} got no CHANGELOG.md from the changesets`);
    const before = new Set(readdirSync(out));
    execFileSync('npm', ['pack', '--silent', '--pack-destination', out], {
      cwd: join(scratch, folder),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(out).find((name) => !before.has(name));
    if (tarball === undefined) throw new Error(`pnpm pack wrote no tarball for ${manifest.name}`);
    packed.push({ name: manifest.name, version: manifest.version, tarball });
  }
  for (const entry of packed) console.log(`${entry.name}@${entry.version}  ${entry.tarball}`);
  console.log(`release:dry: ${packed.length} packages packed into ${relative(root, out) || out} (nothing published)`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
