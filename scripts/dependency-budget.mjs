// Counts the production packages (and their size on disk) that `npm install` of a set of workspace packages
// brings, and checks them against the embedder's budget (DESIGN.md §9): at most 100 packages and 100 MB.
//
//   node scripts/dependency-budget.mjs [package folder ...]   (default: the embedder's set; build first)
//
// What is counted, per package reachable through `dependencies`, `optionalDependencies` that are
// installed, and peer dependencies that are not optional (npm 7 and later installs those):
// - a package from the registry: its own folder without its nested `node_modules`, which is the content of
//   its published tarball plus what its install script left. That includes a native addon's `build/`
//   folder in full: better-sqlite3 builds from source on Node 20 (no prebuilt binary is reachable), and
//   node-gyp leaves its intermediate objects, a copy of the SQLite amalgamation and the addon twice there
//   (about 22 MB of its 33 MB; a prebuilt install leaves about 2 MB). The budget holds with the worst case.
// - a workspace package (`@ngb/*`): what its tarball would hold: package.json, README, CHANGELOG, LICENSE
//   and the entries of its `files` (so it must be built).
// A package counts once per name and version; a file's size is its length (hard links count each time, as
// a copy on another machine would).
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The packages an embedder installs (DESIGN.md §1, flow 3). */
export const embedderPackages = [
  'packages/core',
  'packages/store',
  'packages/runtime',
  'packages/llm-openai',
  'packages/channel-telegram',
];

/** The budget of DESIGN.md §9. */
export const budget = { packages: 100, megabytes: 100 };

const alwaysPacked = /^(package\.json|readme(\..*)?|changelog(\..*)?|licen[sc]e(\..*)?)$/i;

function readManifest(directory) {
  return JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
}

/** Node's lookup: `node_modules/<name>` in the folder and each folder above it. */
function findPackage(name, fromDirectory) {
  for (let directory = fromDirectory; ; directory = dirname(directory)) {
    const candidate = join(directory, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return realpathSync(dirname(candidate));
    if (dirname(directory) === directory) return undefined;
  }
}

function sizeOf(path) {
  const stats = statSync(path);
  if (stats.isFile()) return stats.size;
  if (!stats.isDirectory()) return 0;
  let total = 0;
  for (const entry of readdirSync(path)) {
    if (entry !== 'node_modules') total += sizeOf(join(path, entry));
  }
  return total;
}

function isWorkspacePackage(directory) {
  const path = relative(root, directory);
  return !path.startsWith('..') && !path.split(/[\\/]/).includes('node_modules');
}

/** What the tarball of a workspace package would hold. */
function packedSizeOf(directory, manifest) {
  let total = 0;
  for (const entry of readdirSync(directory)) if (alwaysPacked.test(entry)) total += sizeOf(join(directory, entry));
  for (const entry of manifest.files ?? []) {
    const path = join(directory, entry);
    if (!existsSync(path)) {
      throw new Error(`${manifest.name}: "${entry}" of its \`files\` is missing; run \`pnpm build\` first`);
    }
    total += sizeOf(path);
  }
  return total;
}

/**
 * Walks the production dependencies of the given package folders.
 * @returns every package once (name, version, bytes, whether it is ours), largest first, and the totals
 * @throws when a required dependency is not installed, or a workspace package is not built
 */
export function measureProductionDependencies(packageFolders) {
  const found = new Map();
  const visit = (directory) => {
    const manifest = readManifest(directory);
    const key = `${manifest.name}@${manifest.version}`;
    if (found.has(key)) return;
    const workspace = isWorkspacePackage(directory);
    found.set(key, {
      name: manifest.name,
      version: manifest.version,
      workspace,
      bytes: workspace ? packedSizeOf(directory, manifest) : sizeOf(directory),
    });
    const optionalPeers = manifest.peerDependenciesMeta ?? {};
    const required = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((name) => optionalPeers[name]?.optional !== true),
    ];
    for (const name of required) {
      const dependency = findPackage(name, directory);
      if (!dependency) throw new Error(`${key} depends on ${name}, which is not installed; run \`pnpm install\``);
      visit(dependency);
    }
    // Optional dependencies that did not install here (another platform's binary) would not install there either.
    for (const name of Object.keys(manifest.optionalDependencies ?? {})) {
      const dependency = findPackage(name, directory);
      if (dependency) visit(dependency);
    }
  };
  for (const folder of packageFolders) visit(realpathSync(resolve(root, folder)));
  const packages = [...found.values()].sort((a, b) => b.bytes - a.bytes);
  const sum = (list) => list.reduce((total, entry) => total + entry.bytes, 0);
  const thirdParty = packages.filter((entry) => !entry.workspace);
  return {
    packages,
    count: packages.length,
    bytes: sum(packages),
    thirdParty: { count: thirdParty.length, bytes: sum(thirdParty) },
  };
}

/**
 * Checks a measurement against a budget.
 * @returns the sentences saying what is over it; empty when within
 */
export function budgetProblems(measurement, limits = budget) {
  const problems = [];
  if (measurement.count > limits.packages) {
    problems.push(`${measurement.count} production packages, more than the ${limits.packages} allowed`);
  }
  const megabytes = measurement.bytes / 1e6;
  if (megabytes > limits.megabytes) {
    problems.push(`${megabytes.toFixed(1)} MB of production packages, more than the ${limits.megabytes} MB allowed`);
  }
  return problems;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const folders = process.argv.length > 2 ? process.argv.slice(2) : embedderPackages;
  const measurement = measureProductionDependencies(folders);
  const megabytes = (bytes) => (bytes / 1e6).toFixed(1);
  console.log(`production packages of ${folders.join(' ')}:`);
  console.log(`  ${measurement.count} packages, ${megabytes(measurement.bytes)} MB`);
  console.log(`  of which third-party: ${measurement.thirdParty.count} packages, ${megabytes(measurement.thirdParty.bytes)} MB`);
  console.log('largest:');
  for (const entry of measurement.packages.slice(0, 15)) {
    console.log(`  ${megabytes(entry.bytes).padStart(6)} MB  ${entry.name}@${entry.version}`);
  }
  const problems = budgetProblems(measurement);
  for (const problem of problems) console.error(`over budget: ${problem}`);
  if (problems.length === 0) console.log(`within budget (${budget.packages} packages, ${budget.megabytes} MB)`);
  process.exit(problems.length === 0 ? 0 : 1);
}
