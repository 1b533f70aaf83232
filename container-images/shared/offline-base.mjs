// The offline base of the images (the sandbox's in ../agent, the gateway's in ../gateway): a Debian root made
// with debootstrap from the mirror this machine's apt already uses, plus this machine's node binary,
// imported into Docker as an image. Used when no image registry answers. Cached by a tag derived from
// everything that goes into it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** Debian packages of the sandbox image's base; its Dockerfile checks that each tool is there. */
export const basePackages = ['bash', 'ca-certificates', 'coreutils', 'git', 'procps', 'python3', 'ripgrep', 'tini'];
const recipeVersion = 1;

/**
 * Reads the Debian mirror and suite out of the apt configuration: deb822 `.sources` files first,
 * then the one-line `sources.list` format. Security and update suites are skipped.
 * @returns `{ mirror, suite }`, or undefined when no plain Debian entry is configured
 */
export async function readAptMirror(aptDirectory = '/etc/apt', codename = undefined) {
  const entries = [];
  const sourcesDirectory = path.join(aptDirectory, 'sources.list.d');
  const names = await readdir(sourcesDirectory).catch(() => []);
  for (const name of names.filter((file) => file.endsWith('.sources')).sort()) {
    const text = await readFile(path.join(sourcesDirectory, name), 'utf8');
    for (const stanza of text.split(/\n\s*\n/)) {
      const field = (key) =>
        stanza
          .match(new RegExp(`^${key}:\\s*(.+)$`, 'mi'))?.[1]
          ?.trim()
          .split(/\s+/) ?? [];
      if (!field('Types').includes('deb') || field('Enabled')[0] === 'no') continue;
      for (const uri of field('URIs')) for (const suite of field('Suites')) entries.push({ mirror: uri, suite });
    }
  }
  const listFiles = [
    path.join(aptDirectory, 'sources.list'),
    ...names
      .filter((file) => file.endsWith('.list'))
      .sort()
      .map((file) => path.join(sourcesDirectory, file)),
  ];
  for (const file of listFiles) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      const match = line.trim().match(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/);
      if (match) entries.push({ mirror: match[1], suite: match[2] });
    }
  }
  const wanted = codename ?? (await readCodename());
  const plain = entries.filter(
    (entry) => !entry.suite.includes('-') && !entry.suite.includes('/') && /^https?:\/\//.test(entry.mirror),
  );
  return plain.find((entry) => entry.suite === wanted) ?? plain[0];
}

async function readCodename() {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return text.match(/^VERSION_CODENAME=(.+)$/m)?.[1]?.replace(/"/g, '');
}

/** Runs a command; resolves its stdout, rejects with its stderr. `inherit` streams output live. */
export function run(command, args, { inherit = false, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: [input ? 'pipe' : 'ignore', inherit ? 'inherit' : 'pipe', inherit ? 'inherit' : 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    if (input) input.pipe(child.stdin);
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}${stderr ? `:\n${stderr.trim()}` : ''}`)),
    );
  });
}

/** True when the engine has an image by that reference. */
export async function imageExists(reference) {
  return run('docker', ['image', 'inspect', '--format', '{{.Id}}', reference]).then(
    () => true,
    () => false,
  );
}

async function sha256File(file) {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

/**
 * Makes sure the offline base exists and returns its reference. Needs root (debootstrap) and
 * network access to the apt mirror, but no image registry.
 * @param packages the Debian packages added to the minimal root (default: the sandbox image's)
 */
export async function ensureOfflineBase({ repository, nodeBinary, log, packages = basePackages }) {
  const source = await readAptMirror();
  if (!source) throw new Error('no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list');
  const recipe = { recipeVersion, suite: source.suite, packages, node: await sha256File(nodeBinary) };
  const tag = createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 16);
  const reference = `${repository}:${tag}`;
  if (await imageExists(reference)) {
    log(`offline base ${reference} is cached`);
    return reference;
  }
  if (process.getuid?.() !== 0) throw new Error('building the offline base needs root (debootstrap); run the build as root');
  const root = await mkdtemp(`/var/tmp/${repository.replace(/[^a-z0-9-]/g, '-')}-`);
  try {
    log(`debootstrap ${source.suite} (minbase + ${packages.join(' ')}) from the machine's apt mirror into ${root} ...`);
    await run('debootstrap', ['--variant=minbase', `--include=${packages.join(',')}`, source.suite, root, source.mirror], {
      inherit: true,
    });
    log(`adding node ${process.version} from ${nodeBinary}`);
    await copyFile(nodeBinary, path.join(root, 'usr/local/bin/node'));
    await chmod(path.join(root, 'usr/local/bin/node'), 0o755);
    for (const junk of ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/locale']) {
      await rm(path.join(root, junk), { recursive: true, force: true });
    }
    log(`importing the root as ${reference}`);
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await run(
      'docker',
      [
        'import',
        '--change',
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        '--message',
        'ngb offline base',
        '-',
        reference,
      ],
      { input: tar.stdout },
    );
    return reference;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
