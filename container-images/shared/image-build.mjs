// What the image build scripts (../agent/build.mjs, ../gateway/build.mjs) share: their command line,
// the engine check, the choice of base (the registry's node image, else the offline base), and the
// build of a content-hashed tag that also moves `latest` and untags older builds.
import { parseArgs } from 'node:util';
import { ensureOfflineBase, imageExists, run } from './offline-base.mjs';

const registryBase = 'node:20-bookworm-slim';

/**
 * Parses `--base auto|registry|offline`, `--image NAME`, `--help` and the script's own options; prints
 * the usage for `--help` and stops with a clear error for a bad `--base`.
 * @param prefix how the script's lines start, such as `[ngb image]`
 * @returns the parsed values, a `log` that adds the seconds since the start, and `fail`
 */
export function imageScript({ prefix, usage, defaultImage, options = {} }) {
  const started = Date.now();
  const log = (line) => process.stdout.write(`${prefix} ${line} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  const fail = (message) => {
    process.stderr.write(`${prefix} error: ${message}\n`);
    process.exit(1);
  };
  const { values } = parseArgs({
    options: {
      base: { type: 'string', default: 'auto' },
      image: { type: 'string', default: defaultImage },
      help: { type: 'boolean', default: false },
      ...options,
    },
  });
  if (values.help) {
    process.stdout.write(`usage: ${usage}\n`);
    process.exit(0);
  }
  if (!['auto', 'registry', 'offline'].includes(values.base))
    fail(`--base must be auto, registry or offline, not "${values.base}"`);
  return { values, log, fail };
}

/** Rejects with how to start the engine when no Docker engine answers. */
export async function checkEngine() {
  await run('docker', ['info', '--format', '{{.ServerVersion}}']).catch(() => {
    throw new Error('the Docker engine is not answering; start it (`sudo systemctl start docker`, or `bash .ci/docker.sh`)');
  });
}

/**
 * The base image: the registry's node image when it is here or can be pulled (unless `base` is
 * `offline`), else the offline base with `packages` (never when `base` is `registry`).
 * @returns `{ reference, id, installPackages }`: `installPackages` tells the Dockerfile whether the
 *   base still needs the Debian packages (the offline base already has them)
 */
export async function chooseBase({ base, image, packages, log }) {
  const chosen = await pickBase({ base, image, packages, log });
  const id = (await run('docker', ['image', 'inspect', '--format', '{{.Id}}', chosen.reference])).trim();
  log(`base ${chosen.reference} (${id.slice(7, 19)})`);
  return { ...chosen, id };
}

async function pickBase({ base, image, packages, log }) {
  if (base !== 'offline') {
    if (await imageExists(registryBase)) return { reference: registryBase, installPackages: true };
    log(`pulling ${registryBase} ...`);
    const failure = await run('docker', ['pull', registryBase]).then(
      () => undefined,
      (error) => error.message.split('\n').at(-1),
    );
    if (failure === undefined) return { reference: registryBase, installPackages: true };
    if (base === 'registry') throw new Error(`cannot pull ${registryBase}: ${failure}`);
    log(`no image registry answers (${failure.slice(0, 160)}); using the offline base`);
  }
  const reference = await ensureOfflineBase({
    repository: `${image}-base`,
    nodeBinary: process.execPath,
    ...(packages ? { packages } : {}),
    log,
  });
  return { reference, installPackages: false };
}

/** When `image:hash` is already built, points `image:latest` at it and says so: true; else false. */
export async function tagIfBuilt({ image, hash, log }) {
  const reference = `${image}:${hash}`;
  if (!(await imageExists(reference))) return false;
  await run('docker', ['tag', reference, `${image}:latest`]);
  log(`${reference} is up to date; ${image}:latest points at it. Nothing to do.`);
  return true;
}

/**
 * Builds `context` as `image:hash` and `image:latest` on `base` (labelled with the hash and the base),
 * then untags earlier content-hash builds; ones still used by a container stay.
 */
export async function buildTagged({ image, hash, base, context, log }) {
  const reference = `${image}:${hash}`;
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
      `${image}:latest`,
      context,
    ],
    { inherit: true },
  );
  log(`built ${reference}, tagged ${image}:latest`);
  const tags = (await run('docker', ['image', 'ls', image, '--format', '{{.Tag}}'])).split('\n').filter(Boolean);
  const old = tags.filter((tag) => /^[0-9a-f]{16}$/.test(tag) && tag !== hash);
  for (const tag of old) await run('docker', ['rmi', `${image}:${tag}`]).catch(() => {});
  if (old.length > 0) log(`removed ${old.length} older build(s)`);
}
