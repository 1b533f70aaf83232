import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One broken rule, naming the file. */
export interface Violation {
  file: string;
  rule: string;
}

interface PackageJson {
  name?: string;
  private?: boolean;
  type?: string;
  exports?: Record<string, Record<string, string> | string>;
  files?: string[];
  engines?: { node?: string };
  sideEffects?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function sourceFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return entry === '__fixtures__' ? [] : sourceFiles(path);
    return /\.(ts|mts|tsx|js|mjs)$/.test(entry) ? [path] : [];
  });
}

const isTestFile = (path: string) =>
  /\.test\.[mc]?[jt]sx?$/.test(path) || path.includes('/src/testing/') || path.includes('/__tests__/');
// A program's entry file (src/bin.ts, src/bin/*.ts) may read the environment; libraries may not.
const isProgramEntry = (path: string) => /\/src\/bin(\.ts|\/)/.test(path);

/** Rules on the layout and manifest of one package. */
function checkPackageManifest(root: string, packageDirectory: string): Violation[] {
  const violations: Violation[] = [];
  const manifestPath = join(packageDirectory, 'package.json');
  const at = (path: string) => relative(root, path);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageJson;
  const add = (file: string, rule: string) => violations.push({ file: at(file), rule });
  if (manifest.type !== 'module') add(manifestPath, 'package.json must have "type": "module"');
  if (manifest.sideEffects !== false) add(manifestPath, 'package.json must have "sideEffects": false');
  if (!manifest.engines?.node) add(manifestPath, 'package.json must declare engines.node');
  if (JSON.stringify(manifest.files) !== '["dist"]') add(manifestPath, 'package.json "files" must be ["dist"]');
  const entries = Object.entries(manifest.exports ?? {});
  if (entries.length === 0) add(manifestPath, 'package.json must have an exports map');
  for (const [subpath, target] of entries) {
    // A program (./bin) and the manifest are files, not modules with types.
    if (typeof target === 'string' && (subpath === './package.json' || subpath === './bin')) continue;
    const keys = typeof target === 'string' ? [] : Object.keys(target);
    if (keys[0] !== 'types' || !keys.includes('import')) {
      add(manifestPath, `exports["${subpath}"] must list "types" first and have "import"`);
    }
  }
  for (const required of ['README.md', 'tsup.config.ts', 'tsconfig.json', 'src/index.ts']) {
    const path = join(packageDirectory, required);
    if (!existsSync(path) || readFileSync(path, 'utf8').trim() === '') add(path, `${required} must exist and not be empty`);
  }
  return violations;
}

/**
 * What a workspace package is: a `library` (packages/*), the apps' shared composition root `host`
 * (apps/host: app code that may depend on every package, but never prints and reads no environment
 * of its own), or an `app` (a program: it reads env and prints).
 */
type PackageKind = 'library' | 'host' | 'app';

/** Rules on the source files of one package. */
function checkPackageSources(root: string, packageDirectory: string, kind: PackageKind): Violation[] {
  const violations: Violation[] = [];
  const code = kind === 'library' ? 'library code' : 'the composition root';
  for (const file of sourceFiles(join(packageDirectory, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const add = (rule: string) => violations.push({ file: relative(root, file), rule });
    if (/^\s*export\s+\*/m.test(text)) add('no `export *`: export names explicitly');
    if (kind === 'app' || isTestFile(file)) continue;
    if (/\bconsole\.[a-z]+\s*\(/.test(text)) add(`no console.* in ${code}: take a Logger`);
    if ((kind === 'host' || !isProgramEntry(file)) && /\bprocess\.env\b/.test(text))
      add(`no process.env in ${code}: take options`);
    if (kind === 'host' && /\bprocess\.(stdout|stderr|exit)\b/.test(text))
      add('no process.stdout, process.stderr or process.exit in the composition root: return values and errors, apps print');
  }
  return violations;
}

/**
 * The one dependency rule: a library depends at run time on `@ngb/plugin-sdk` and no other `@ngb`
 * package (except `@ngb/runtime` on `@ngb/sandbox`); `@ngb/testing` is only ever a dev dependency.
 */
function checkDependencyRule(root: string, packageDirectory: string, kind: PackageKind): Violation[] {
  const isLibrary = kind === 'library';
  const manifestPath = join(packageDirectory, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageJson;
  const allowed = new Set(['@ngb/plugin-sdk', ...(manifest.name === '@ngb/runtime' ? ['@ngb/sandbox'] : [])]);
  const violations: Violation[] = [];
  const internal = Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith('@ngb/'));
  for (const name of internal) {
    if (name === '@ngb/testing') {
      violations.push({ file: relative(root, manifestPath), rule: '@ngb/testing may only be a devDependency' });
    } else if (isLibrary && !allowed.has(name)) {
      violations.push({ file: relative(root, manifestPath), rule: `a library may not depend on ${name} (only @ngb/plugin-sdk)` });
    }
  }
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
  for (const file of sourceFiles(join(packageDirectory, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/from\s+'(@ngb\/[a-z0-9-]+)[^']*'|import\(\s*'(@ngb\/[a-z0-9-]+)[^']*'\s*\)/g)) {
      const name = match[1] ?? match[2] ?? '';
      if (name === manifest.name) continue;
      const devOnly = !manifest.dependencies?.[name];
      if (!declared.has(name) || (devOnly && !isTestFile(file))) {
        violations.push({
          file: relative(root, file),
          rule: `imports ${name}, which package.json does not list in dependencies`,
        });
      }
    }
  }
  return violations;
}

/** Every package and app of the workspace under `root`, with its kind. */
function workspacePackages(root: string): Array<{ directory: string; kind: PackageKind }> {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group))
      .filter((entry) => existsSync(join(root, group, entry, 'package.json')))
      .map((entry) => ({
        directory: join(root, group, entry),
        kind: group === 'packages' ? ('library' as const) : entry === 'host' ? ('host' as const) : ('app' as const),
      })),
  );
}

/** All rules over the whole workspace. */
export function checkWorkspace(root: string): Violation[] {
  return workspacePackages(root).flatMap(({ directory, kind }) => [
    ...checkPackageManifest(root, directory),
    ...checkPackageSources(root, directory, kind),
    ...checkDependencyRule(root, directory, kind),
  ]);
}
