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
import { buildTagged, checkEngine, chooseBase, imageScript, tagIfBuilt } from '../shared/image-build.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values, log, fail } = imageScript({
  prefix: '[ngb image]',
  usage: 'node container-images/agent/build.mjs [--base auto|registry|offline] [--image NAME] [--sandbox-dist DIR]',
  defaultImage: 'ngb-agent',
  options: { 'sandbox-dist': { type: 'string', default: path.join(here, '../../packages/sandbox/dist') } },
});

async function main() {
  const step = (number, text) => log(`step ${number}/4: ${text}`);
  step(1, 'checking the Docker engine and the sandbox program');
  await checkEngine();
  const program = path.join(values['sandbox-dist'], 'bin.js');
  await stat(program).catch(() => {
    throw new Error(`${program} is missing; build @ngb/sandbox first (\`pnpm build\`)`);
  });

  step(2, 'choosing the base image');
  const base = await chooseBase({ base: values.base, image: values.image, log });

  step(3, 'hashing the build context');
  const dockerfile = await readFile(path.join(here, 'Dockerfile'));
  const programBytes = await readFile(program);
  // The program's split chunks (its MCP client, loaded only by sandboxes with MCP servers) go with it.
  const chunks = await programChunks();
  const hashing = createHash('sha256')
    .update(JSON.stringify({ recipe: 2, baseId: base.id, base: base.reference, installPackages: base.installPackages }))
    .update(dockerfile)
    .update(programBytes);
  for (const chunk of chunks) hashing.update(chunk.name).update(chunk.bytes);
  const hash = hashing.digest('hex').slice(0, 16);
  if (await tagIfBuilt({ image: values.image, hash, log })) return;

  step(4, `building ${values.image}:${hash}`);
  const context = await mkdtemp(path.join(os.tmpdir(), 'ngb-agent-context-'));
  try {
    await writeFile(path.join(context, 'Dockerfile'), dockerfile);
    await mkdir(path.join(context, 'sandbox'));
    await copyFile(program, path.join(context, 'sandbox/bin.js'));
    await mkdir(path.join(context, 'sandbox/bin-chunks'));
    for (const chunk of chunks) await writeFile(path.join(context, 'sandbox/bin-chunks', chunk.name), chunk.bytes);
    await writeFile(path.join(context, 'sandbox/package.json'), '{ "type": "module" }\n');
    await buildTagged({ image: values.image, hash, base, context, log });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
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

main().catch((error) => fail(error.message));
