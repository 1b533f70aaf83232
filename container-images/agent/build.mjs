#!/usr/bin/env node
// Builds the ngb sandbox image (`ngb-agent:latest`, also tagged by content hash).
//
//   node container-images/agent/build.mjs [--base auto|registry|offline] [--image NAME] [--sandbox-dist DIR]
//
// Needs a running Docker engine and a built @ngb/sandbox (`pnpm build`). With `--base auto` (the
// default) it uses node:20-bookworm-slim when a registry answers, else an offline base made with
// debootstrap from this machine's apt sources. The tag is a hash of everything that goes into the
// image, so running it again with nothing changed does nothing.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureOfflineBase, imageExists, run } from './offline-base.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const registryBase = 'node:20-bookworm-slim';
const started = Date.now();
const log = (line) => process.stdout.write(`[ngb image] ${line} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'auto' },
    image: { type: 'string', default: 'ngb-agent' },
    'sandbox-dist': { type: 'string', default: path.join(here, '../../packages/sandbox/dist') },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    'usage: node container-images/agent/build.mjs [--base auto|registry|offline] [--image NAME] [--sandbox-dist DIR]\n',
  );
  process.exit(0);
}
if (!['auto', 'registry', 'offline'].includes(values.base))
  fail(`--base must be auto, registry or offline, not "${values.base}"`);

function fail(message) {
  process.stderr.write(`[ngb image] error: ${message}\n`);
  process.exit(1);
}

async function chooseBase() {
  if (values.base !== 'offline') {
    if (await imageExists(registryBase)) return { reference: registryBase, installPackages: true };
    log(`pulling ${registryBase} ...`);
    const failure = await run('docker', ['pull', registryBase]).then(
      () => undefined,
      (error) => error.message.split('\n').at(-1),
    );
    if (failure === undefined) return { reference: registryBase, installPackages: true };
    if (values.base === 'registry') throw new Error(`cannot pull ${registryBase}: ${failure}`);
    log(`no image registry answers (${failure.slice(0, 160)}); using the offline base`);
  }
  const reference = await ensureOfflineBase({ repository: `${values.image}-base`, nodeBinary: process.execPath, log });
  return { reference, installPackages: false };
}

async function main() {
  const step = (number, text) => log(`step ${number}/4: ${text}`);
  step(1, 'checking the Docker engine and the sandbox program');
  await run('docker', ['info', '--format', '{{.ServerVersion}}']).catch(() => {
    throw new Error('the Docker engine is not answering; start it (`sudo systemctl start docker`, or `bash .ci/docker.sh`)');
  });
  const program = path.join(values['sandbox-dist'], 'bin.js');
  await stat(program).catch(() => {
    throw new Error(`${program} is missing; build @ngb/sandbox first (\`pnpm build\`)`);
  });

  step(2, 'choosing the base image');
  const base = await chooseBase();
  const baseId = (await run('docker', ['image', 'inspect', '--format', '{{.Id}}', base.reference])).trim();
  log(`base ${base.reference} (${baseId.slice(7, 19)})`);

  step(3, 'hashing the build context');
  const dockerfile = await readFile(path.join(here, 'Dockerfile'));
  const programBytes = await readFile(program);
  // The program's split chunks (its MCP client, loaded only by sandboxes with MCP servers) go with it.
  const chunks = await programChunks();
  const hashing = createHash('sha256')
    .update(JSON.stringify({ recipe: 2, baseId, base: base.reference, installPackages: base.installPackages }))
    .update(dockerfile)
    .update(programBytes);
  for (const chunk of chunks) hashing.update(chunk.name).update(chunk.bytes);
  const hash = hashing.digest('hex').slice(0, 16);
  const reference = `${values.image}:${hash}`;
  const latest = `${values.image}:latest`;
  if (await imageExists(reference)) {
    await run('docker', ['tag', reference, latest]);
    log(`${reference} is up to date; ${latest} points at it. Nothing to do.`);
    return;
  }

  step(4, `building ${reference}`);
  const context = await mkdtemp(path.join(os.tmpdir(), 'ngb-agent-context-'));
  try {
    await writeFile(path.join(context, 'Dockerfile'), dockerfile);
    await mkdir(path.join(context, 'sandbox'));
    await copyFile(program, path.join(context, 'sandbox/bin.js'));
    await mkdir(path.join(context, 'sandbox/bin-chunks'));
    for (const chunk of chunks) await writeFile(path.join(context, 'sandbox/bin-chunks', chunk.name), chunk.bytes);
    await writeFile(path.join(context, 'sandbox/package.json'), '{ "type": "module" }\n');
    await run(
      'docker',
      [
        'build',
        '--build-arg',
        `BASE_IMAGE=${base.reference}`,
        '--build-arg',
        `INSTALL_PACKAGES=${base.installPackages}`,
        '--label',
        `ngb.content-hash=${hash}`,
        '--label',
        `ngb.base=${base.reference}`,
        '--tag',
        reference,
        '--tag',
        latest,
        context,
      ],
      { inherit: true },
    );
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  log(`built ${reference}, tagged ${latest}`);
  await removeOlderBuilds(hash);
}

/** The JavaScript chunks `dist/bin.js` imports, sorted by name (source maps stay behind). */
async function programChunks() {
  const folder = path.join(values['sandbox-dist'], 'bin-chunks');
  const names = await readdir(folder).catch(() => []);
  const chunks = [];
  for (const name of names.filter((entry) => entry.endsWith('.js')).sort()) {
    chunks.push({ name, bytes: await readFile(path.join(folder, name)) });
  }
  return chunks;
}

/** Untags earlier content-hash builds of the image; ones still used by a container stay. */
async function removeOlderBuilds(keep) {
  const tags = (await run('docker', ['image', 'ls', values.image, '--format', '{{.Tag}}'])).split('\n').filter(Boolean);
  const old = tags.filter((tag) => /^[0-9a-f]{16}$/.test(tag) && tag !== keep);
  for (const tag of old) await run('docker', ['rmi', `${values.image}:${tag}`]).catch(() => {});
  if (old.length > 0) log(`removed ${old.length} older build(s)`);
}

main().catch((error) => fail(error.message));
