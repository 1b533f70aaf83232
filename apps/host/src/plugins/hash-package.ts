import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { findPackageDirectory, readManifest } from './plugin-package';

/** A package's fingerprint as pins record it. */
export interface PackageHash {
  /** `sha256-<hex>` over every package of the closure (see {@link hashPackage}). */
  hash: string;
  /** The packages hashed: the plugin and every dependency it resolves to. */
  packages: number;
  files: number;
}

/**
 * Lines naming every entry under `directory`, sorted by path: a file by the SHA-256 of its bytes,
 * a symbolic link by its target (never followed), a folder by its entries. `skip` leaves out
 * entries by their path relative to `directory`.
 */
export async function hashTree(directory: string, skip: (path: string) => boolean): Promise<{ lines: string[]; files: number }> {
  const lines: string[] = [];
  let files = 0;
  const walk = async (relativeDirectory: string) => {
    const names = (await readdir(join(directory, relativeDirectory))).sort();
    for (const name of names) {
      const path = relativeDirectory === '' ? name : `${relativeDirectory}/${name}`;
      if (skip(path)) continue;
      const absolute = join(directory, path);
      const stats = await lstat(absolute);
      if (stats.isSymbolicLink()) lines.push(`link ${path} -> ${await readlink(absolute)}`);
      else if (stats.isDirectory()) {
        lines.push(`dir ${path}`);
        await walk(path);
      } else if (stats.isFile()) {
        files += 1;
        lines.push(
          `file ${path} ${createHash('sha256')
            .update(await readFile(absolute))
            .digest('hex')}`,
        );
      } else lines.push(`other ${path}`);
    }
  };
  await walk('');
  return { lines, files };
}

/**
 * Hashes a package and every package its `dependencies` and `optionalDependencies` resolve to from
 * where it is installed, recursively: each package's files (its own `node_modules` folder aside,
 * since what it holds is reached as dependencies), walked without following symbolic links, with
 * its name and version. Peer dependencies are the host's and are not included; neither are paths
 * on this machine, so a moved project keeps its pins.
 */
export async function hashPackage(directory: string): Promise<PackageHash> {
  const seen = new Set<string>();
  const records: string[] = [];
  let files = 0;
  const visit = async (packageDirectory: string) => {
    if (seen.has(packageDirectory)) return;
    seen.add(packageDirectory);
    const manifest = readManifest(packageDirectory);
    const tree = await hashTree(packageDirectory, (path) => path === 'node_modules');
    files += tree.files;
    const digest = createHash('sha256').update(tree.lines.join('\n')).digest('hex');
    records.push(`${manifest?.name ?? '(no name)'}@${manifest?.version ?? '(no version)'} ${digest}`);
    const dependencies = [
      ...Object.keys(manifest?.dependencies ?? {}).map((name) => ({ name, optional: false })),
      ...Object.keys(manifest?.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ].sort((left, right) => left.name.localeCompare(right.name));
    for (const dependency of dependencies) {
      const found = findPackageDirectory(dependency.name, packageDirectory);
      if (found !== undefined) await visit(found);
      else if (!dependency.optional) records.push(`${dependency.name} missing`);
    }
  };
  await visit(directory);
  const [root, ...rest] = records;
  const hash = createHash('sha256')
    .update([root, ...rest.sort()].join('\n'))
    .digest('hex');
  return { hash: `sha256-${hash}`, packages: seen.size, files };
}
