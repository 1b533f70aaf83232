// Packs every public package of the workspace as `pnpm publish` would send it to the registry: a copy of
// each package folder (manifest, built files, README) in a scratch folder, with its `workspace:` ranges
// replaced by the versions they stand for, packed by `npm pack`. The working tree is never changed.
// Used by `release:dry` (after applying the pending changesets to the copy), `check:packages` and the
// pack-and-install test. Build first.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository's root folder. */
export const root = fileURLToPath(new URL('..', import.meta.url));

/** The folders of the workspace's packages (`packages/*`, `apps/*`), relative to the root. */
export function workspaceFolders() {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group))
      .map((entry) => join(group, entry))
      .filter((folder) => existsSync(join(root, folder, 'package.json'))),
  );
}

const dependencyFields = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'];

/** What `pnpm publish` writes for the `workspace:` ranges of a manifest (changed in place). */
function rewriteWorkspaceRanges(manifest, versions) {
  for (const field of dependencyFields) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (!range.startsWith('workspace:')) continue;
      const version = versions.get(name);
      if (version === undefined) throw new Error(`${manifest.name} depends on ${name}, which is not in the workspace`);
      const wanted = range.slice('workspace:'.length);
      manifest[field][name] = wanted === '*' ? version : wanted === '^' || wanted === '~' ? `${wanted}${version}` : wanted;
    }
  }
}

/**
 * Packs every public package into `out` (emptied first).
 * @param {{ out: string, prepare?: (scratch: string) => void | Promise<void>, concurrency?: number }} options
 *   `prepare` runs on the scratch copy (the workspace's root manifest, `pnpm-workspace.yaml`, `.changeset`
 *   and the package folders without their `node_modules`) before the versions are read.
 * @returns {Promise<Array<{ name: string, version: string, folder: string, tarball: string, manifest: object }>>}
 *   one entry per public package, in folder order; `tarball` is an absolute path
 */
export async function packPublicPackages({ out, prepare, concurrency = 4 }) {
  const folders = workspaceFolders();
  const scratch = mkdtempSync(join(tmpdir(), 'ngb-pack-'));
  try {
    for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset'])
      cpSync(join(root, file), join(scratch, file), { recursive: true });
    for (const folder of folders) {
      cpSync(join(root, folder), join(scratch, folder), {
        recursive: true,
        filter: (source) => !relative(join(root, folder), source).split('/').includes('node_modules'),
      });
    }
    await prepare?.(scratch);
    const manifests = folders.map((folder) => ({
      folder,
      manifest: JSON.parse(readFileSync(join(scratch, folder, 'package.json'), 'utf8')),
    }));
    const versions = new Map(manifests.map(({ manifest }) => [manifest.name, manifest.version]));
    const published = manifests.filter(({ manifest }) => !manifest.private);
    for (const { folder, manifest } of published) {
      rewriteWorkspaceRanges(manifest, versions);
      writeFileSync(join(scratch, folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    }
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const packed = new Array(published.length);
    let next = 0;
    const worker = async () => {
      while (next < published.length) {
        const index = next++;
        const { folder, manifest } = published[index];
        const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', out], {
          cwd: join(scratch, folder),
          maxBuffer: 64 * 1024 * 1024,
        });
        const filename = JSON.parse(stdout)[0]?.filename;
        if (typeof filename !== 'string' || !existsSync(join(out, filename)))
          throw new Error(`npm pack wrote no tarball for ${manifest.name}`);
        packed[index] = { name: manifest.name, version: manifest.version, folder, tarball: join(out, filename), manifest };
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, published.length) }, worker));
    return packed;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
