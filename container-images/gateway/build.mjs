#!/usr/bin/env node
// Builds the gateway image (`ngb-gateway:latest`, also tagged by content hash): `ngb serve` in a
// container. See ../../docs/deployment.md.
//
//   node container-images/gateway/build.mjs [--base auto|registry|offline] [--image NAME]
//
// Needs a running Docker engine, pnpm and the built workspace (`pnpm install`, `pnpm build`). The app
// is prepared on this machine, with no registry: `pnpm deploy --prod --offline` copies @ngb/cli with
// its production dependencies out of the local store (better-sqlite3's native module as built here,
// for this Node on Debian 12 like the base), then what no package reaches is removed. With
// `--base auto` (the default) the base is node:20-bookworm-slim when a registry answers, else an
// offline base made with debootstrap from this machine's apt sources. The tag is a hash of
// everything that goes into the image, so running it again with nothing changed builds nothing.
import { createHash } from 'node:crypto';
import { copyFile, lstat, mkdtemp, readdir, readFile, readlink, realpath, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTagged, checkEngine, chooseBase, imageScript, tagIfBuilt } from '../shared/image-build.mjs';
import { run } from '../shared/offline-base.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repository = path.resolve(here, '../..');
/** Debian packages of the offline base: tini as init, the CA bundle for anyone who asks Node to use it. */
const offlinePackages = ['ca-certificates', 'tini'];
const { values, log, fail } = imageScript({
  prefix: '[ngb gateway image]',
  usage: 'node container-images/gateway/build.mjs [--base auto|registry|offline] [--image NAME]',
  defaultImage: 'ngb-gateway',
});

/** Files of better-sqlite3 needed only to build it: its sources, the SQLite amalgamation, object files. */
const buildLeftovers = {
  'better-sqlite3': [
    'deps',
    'src',
    'build/deps',
    'build/Release/obj',
    'build/Release/obj.target',
    'build/Release/.deps',
    'build/Release/sqlite3.a',
    'build/Release/test_extension.node',
  ],
};

/** Where `name` resolves from `directory`, as Node resolves a bare import; undefined when nowhere. */
async function resolvePackage(directory, name) {
  for (let folder = directory; ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, 'node_modules', name);
    if (await stat(path.join(candidate, 'package.json')).catch(() => undefined)) return realpath(candidate);
    if (path.dirname(folder) === folder) return undefined;
  }
}

/**
 * Removes from a deployed app what no package reaches through its dependencies (a `pnpm deploy`
 * copies the virtual store of the whole lockfile), optional peers left out, and build leftovers.
 * @returns how many packages the app holds
 */
async function pruneApp(app) {
  const seen = new Set();
  const queue = [await realpath(app)];
  while (queue.length > 0) {
    const folder = queue.pop();
    if (seen.has(folder)) continue;
    seen.add(folder);
    const manifest = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8'));
    const optionalPeers = manifest.peerDependenciesMeta ?? {};
    const names = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((name) => optionalPeers[name]?.optional !== true),
    ];
    for (const name of names) {
      const found = await resolvePackage(folder, name);
      if (found !== undefined && !seen.has(found)) queue.push(found);
    }
  }
  const store = path.join(app, 'node_modules', '.pnpm');
  const kept = new Set([...seen].map((folder) => path.relative(store, folder).split(path.sep)[0]));
  for (const entry of await readdir(store)) {
    if (entry === 'node_modules' || kept.has(entry)) continue;
    await rm(path.join(store, entry), { recursive: true, force: true });
  }
  // The hoisted links of the store: those whose package is gone go too.
  const hoisted = path.join(store, 'node_modules');
  for (const link of await listLinks(hoisted)) {
    if (!(await stat(link).catch(() => undefined))) await rm(link, { force: true });
  }
  for (const folder of seen) {
    const manifest = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8'));
    for (const leftover of buildLeftovers[manifest.name] ?? [])
      await rm(path.join(folder, leftover), { recursive: true, force: true });
  }
  // The command shims of node_modules/.bin (they name the folder the app was prepared in).
  const shims = (await listTree(app)).filter(({ name, kind }) => kind === 'dir' && name.endsWith(`node_modules${path.sep}.bin`));
  for (const { name } of shims) await rm(path.join(app, name), { recursive: true, force: true });
  // What nothing runs: type declarations, source maps, read-me and change-log files (licences stay).
  const removable = /(?:\.d\.[cm]?ts|\.js\.map|\.[cm]js\.map|^(?:readme|changelog|history)(?:\.(?:md|markdown|txt))?)$/i;
  const files = (await listTree(app)).filter(({ name, kind }) => kind === 'file' && removable.test(path.basename(name)));
  await mapLimited(files, 32, ({ name }) => rm(path.join(app, name), { force: true }));
  // pnpm's own bookkeeping (with timestamps, which would change the content hash of every build).
  for (const file of [
    'pnpm-lock.yaml',
    'node_modules/.modules.yaml',
    'node_modules/.pnpm-workspace-state-v1.json',
    'node_modules/.pnpm/lock.yaml',
  ])
    await rm(path.join(app, file), { force: true });
  return seen.size - 1;
}

async function listLinks(folder) {
  const links = [];
  for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(folder, entry.name);
    if (entry.isSymbolicLink()) links.push(full);
    else if (entry.isDirectory() && entry.name.startsWith('@')) links.push(...(await listLinks(full)));
  }
  return links;
}

/** Every entry under a folder, depth first in name order: `{ name, kind }` with paths relative to it. */
async function listTree(folder, relative = '') {
  const entries = (await readdir(path.join(folder, relative), { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const listed = [];
  for (const entry of entries) {
    const name = path.join(relative, entry.name);
    const kind = entry.isSymbolicLink() ? 'link' : entry.isDirectory() ? 'dir' : 'file';
    listed.push({ name, kind });
    if (kind === 'dir') listed.push(...(await listTree(folder, name)));
  }
  return listed;
}

/** Runs `work` over `items`, `limit` at a time, and resolves with the results in order. */
async function mapLimited(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * A hash of a folder's tree (paths, modes, link targets and each file's own hash, in a fixed order)
 * and the bytes of its files.
 */
async function hashTree(folder) {
  const entries = await listTree(folder);
  const lines = await mapLimited(entries, 32, async ({ name, kind }) => {
    const full = path.join(folder, name);
    if (kind === 'link') return { line: `link ${name} ${await readlink(full)}\n`, bytes: 0 };
    if (kind === 'dir') return { line: `dir ${name}\n`, bytes: 0 };
    const [info, content] = await Promise.all([lstat(full), readFile(full)]);
    const digest = createHash('sha256').update(content).digest('hex');
    return { line: `file ${name} ${info.mode & 0o777} ${digest}\n`, bytes: content.length };
  });
  const hash = createHash('sha256');
  let bytes = 0;
  for (const entry of lines) {
    hash.update(entry.line);
    bytes += entry.bytes;
  }
  return { hash: hash.digest('hex'), bytes };
}

async function main() {
  const step = (number, text) => log(`step ${number}/5: ${text}`);
  step(1, 'checking the Docker engine, pnpm and the built CLI');
  await checkEngine();
  await run('pnpm', ['--version']).catch(() => {
    throw new Error('pnpm is missing (`npm install -g pnpm@10`)');
  });
  for (const built of ['apps/cli/dist/bin.js', 'apps/server/dist/index.js', 'packages/sandbox/dist/bin.js']) {
    await stat(path.join(repository, built)).catch(() => {
      throw new Error(`${built} is missing; build the workspace first (\`pnpm install && pnpm build\`)`);
    });
  }

  step(2, 'choosing the base image');
  const base = await chooseBase({ base: values.base, image: values.image, packages: offlinePackages, log });

  const context = await mkdtemp(path.join(os.tmpdir(), 'ngb-gateway-context-'));
  try {
    step(3, 'preparing the app (pnpm deploy from the local store, no registry)');
    const app = path.join(context, 'app');
    await run(
      'pnpm',
      [
        '--config.inject-workspace-packages=true',
        '--dir',
        repository,
        '--filter',
        '@ngb/cli',
        'deploy',
        '--prod',
        '--offline',
        app,
      ],
      {},
    );
    const packages = await pruneApp(app);
    await copyFile(path.join(here, 'Dockerfile'), path.join(context, 'Dockerfile'));
    await copyFile(path.join(here, 'healthcheck.mjs'), path.join(context, 'healthcheck.mjs'));

    step(4, 'hashing the build context');
    const tree = await hashTree(context);
    const hash = createHash('sha256')
      .update(
        JSON.stringify({
          recipe: 1,
          baseId: base.id,
          base: base.reference,
          installPackages: base.installPackages,
          tree: tree.hash,
        }),
      )
      .digest('hex')
      .slice(0, 16);
    const bytes = tree.bytes;
    log(`app: ${packages} packages, ${(bytes / 1024 / 1024).toFixed(0)} MiB`);
    if (await tagIfBuilt({ image: values.image, hash, log })) return;

    step(5, `building ${values.image}:${hash}`);
    await buildTagged({ image: values.image, hash, base, context, log });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

main().catch((error) => fail(error.message));
