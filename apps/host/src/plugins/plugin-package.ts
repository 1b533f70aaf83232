import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { errorMessage } from '@ngb/plugin-sdk';

/** What a plugin's `package.json` says that the host uses. */
export interface PackageManifest {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** A `package.json` is small: a larger one is not read. */
const maxManifestBytes = 1024 * 1024;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads `<directory>/package.json`, or undefined when there is none.
 * @throws Error saying what is wrong with a file that is there
 */
export function readManifest(directory: string): PackageManifest | undefined {
  const file = join(directory, 'package.json');
  if (!existsSync(file)) return undefined;
  if (statSync(file).size > maxManifestBytes) throw new Error(`${file} is larger than ${maxManifestBytes} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${errorMessage(error)}`);
  }
  if (!isObject(parsed)) throw new Error(`${file} must hold a JSON object`);
  const text = (key: string) => (typeof parsed[key] === 'string' ? (parsed[key] as string) : undefined);
  const names = (key: string) =>
    isObject(parsed[key])
      ? Object.fromEntries(Object.entries(parsed[key]).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
      : undefined;
  return {
    name: text('name'),
    version: text('version'),
    main: text('main'),
    exports: parsed.exports,
    dependencies: names('dependencies'),
    optionalDependencies: names('optionalDependencies'),
  };
}

// The conditions an `import` by Node.js matches, in the order the package lists them.
const importConditions = new Set(['import', 'node', 'default', 'module-sync']);

function conditionalTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const target = conditionalTarget(item);
      if (target !== undefined) return target;
    }
    return undefined;
  }
  if (!isObject(value)) return undefined;
  for (const [condition, inner] of Object.entries(value)) {
    if (!importConditions.has(condition)) continue;
    const target = conditionalTarget(inner);
    if (target !== undefined) return target;
  }
  return undefined;
}

/**
 * The file `import('<package>')` loads: the `"."` export for the `import` / `node` / `default`
 * conditions, else `main`, else `index.js` (or `index.mjs` in a folder without a manifest).
 * @throws Error when the entry is missing or points out of the package
 */
export function packageEntryFile(directory: string, manifest: PackageManifest | undefined): string {
  let target: string | undefined;
  if (manifest?.exports !== undefined) {
    const { exports } = manifest;
    const root = isObject(exports) && Object.keys(exports).some((key) => key.startsWith('.')) ? exports['.'] : exports;
    target = conditionalTarget(root);
    if (target === undefined) throw new Error(`${join(directory, 'package.json')} exports no "." entry for import`);
  } else {
    target =
      manifest?.main ??
      (existsSync(join(directory, 'index.js')) || !existsSync(join(directory, 'index.mjs')) ? 'index.js' : 'index.mjs');
  }
  const file = resolve(directory, target);
  const inside = relative(directory, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..')
    throw new Error(`the entry "${target}" of ${directory} points out of it`);
  if (!existsSync(file)) throw new Error(`its entry ${file} does not exist`);
  return file;
}

/**
 * The folder Node.js would load `name` from for a file in `from`: `node_modules/<name>` in `from`
 * and then in each folder above it (never inside another `node_modules/node_modules`), with
 * symbolic links resolved (pnpm links every package from its store).
 */
export function findPackageDirectory(name: string, from: string): string | undefined {
  let directory = resolve(from);
  for (;;) {
    if (basename(directory) !== 'node_modules') {
      const candidate = join(directory, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}
