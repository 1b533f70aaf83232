import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository's root folder. */
const root = fileURLToPath(new URL('../..', import.meta.url));

/** A packed package: its name, version, and the tarball `npm pack` wrote. */
export interface PackedPackage {
  name: string;
  version: string;
  tarball: string;
  manifest: {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  };
}

/**
 * The packed packages a set of our packages needs: them and every `@ngb/*` package they reach through
 * `dependencies` and required peer dependencies (what npm would fetch from the registry for them).
 * @throws Error naming a package that was not packed
 */
function closureOf(names: readonly string[], packed: ReadonlyMap<string, PackedPackage>): PackedPackage[] {
  const found = new Map<string, PackedPackage>();
  const visit = (name: string) => {
    if (found.has(name)) return;
    const entry = packed.get(name);
    if (entry === undefined) throw new Error(`${name} was not packed (is it private?)`);
    found.set(name, entry);
    const optional = entry.manifest.peerDependenciesMeta ?? {};
    const needed = [
      ...Object.keys(entry.manifest.dependencies ?? {}),
      ...Object.keys(entry.manifest.peerDependencies ?? {}).filter((peer) => optional[peer]?.optional !== true),
    ];
    for (const dependency of needed) if (dependency.startsWith('@ngb/')) visit(dependency);
  };
  for (const name of names) visit(name);
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Makes a project folder as a stranger would have it: `files` copied from `example` (if any), and a
 * `package.json` whose `@ngb/*` dependencies point at the packed tarballs (with every `@ngb/*` package
 * they need beside them, as the registry would provide), plus `extra` dependencies.
 * @returns the `@ngb/*` packages it will install
 */
export function writeProject(
  directory: string,
  options: {
    example?: string;
    name?: string;
    ngb: readonly string[];
    extra?: Record<string, string>;
    packed: ReadonlyMap<string, PackedPackage>;
  },
): PackedPackage[] {
  let manifest: Record<string, unknown> = { name: options.name ?? 'scenario', private: true, type: 'module' };
  if (options.example !== undefined) {
    cpSync(join(root, 'examples', options.example), directory, {
      recursive: true,
      filter: (source) => !source.includes('node_modules'),
    });
    manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
  }
  const closure = closureOf(options.ngb, options.packed);
  const dependencies = { ...(manifest.dependencies as Record<string, string> | undefined) };
  for (const name of Object.keys(dependencies)) {
    if (name.startsWith('@ngb/') && !options.ngb.includes(name)) throw new Error(`${options.example} depends on ${name} too`);
  }
  for (const entry of closure) dependencies[entry.name] = `file:${entry.tarball}`;
  Object.assign(dependencies, options.extra);
  writeFileSync(join(directory, 'package.json'), `${JSON.stringify({ ...manifest, dependencies }, null, 2)}\n`);
  return closure;
}

/**
 * The environment of a spawned npm, npx or node: this process's, without the `npm_*` variables a package
 * manager running this test set (a stranger's shell has none of them), with colours off.
 */
export function strangerEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^npm_/i.test(key)) env[key] = value;
  }
  return { ...env, NO_COLOR: '1', npm_config_update_notifier: 'false', ...extra };
}

/**
 * `npm install` in `directory`, from the registry and the packed tarballs; resolves with how long it took.
 * better-sqlite3 builds from source here (no prebuilt binary is reachable for Node 20): it is compiled
 * without optimisation, the same build otherwise, which takes a tenth of the time.
 */
export async function npmInstall(directory: string): Promise<number> {
  const started = performance.now();
  try {
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: directory,
      maxBuffer: 64 * 1024 * 1024,
      env: strangerEnv({ CFLAGS: '-O0', CXXFLAGS: '-O0' }),
    });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm install failed in ${directory}:\n${failure.stderr || failure.stdout || failure.message}`);
  }
  return performance.now() - started;
}

/** Every package under `node_modules` (nested ones too), as `name@version`. */
export function installedPackages(directory: string): string[] {
  const found: string[] = [];
  const walk = (modules: string) => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const folders = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((name) => join(entry, name)) : [entry];
      for (const folder of folders) {
        const manifestFile = join(modules, folder, 'package.json');
        if (!existsSync(manifestFile)) continue;
        const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { name: string; version: string };
        found.push(`${manifest.name}@${manifest.version}`);
        walk(join(modules, folder, 'node_modules'));
      }
    }
  };
  walk(join(directory, 'node_modules'));
  return found.sort();
}

/** The names of installed packages, without versions. */
export const namesOf = (packages: readonly string[]) => [...new Set(packages.map((entry) => entry.replace(/@[^@]+$/, '')))];

/** What a finished command left. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (a non-zero exit is a result, not an error). */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: strangerEnv(options.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end();
  });
}

/** Polls until `check` returns a value, or throws after `timeoutMs` naming `what`. */
export async function waitFor<T>(check: () => T | undefined | false, what: () => string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Packs an example as its author would publish it (its manifest as written); returns the tarball. */
export async function packExample(example: string, scratch: string, out: string): Promise<string> {
  const directory = join(scratch, `publish-${example}`);
  cpSync(join(root, 'examples', example), directory, { recursive: true, filter: (source) => !source.includes('node_modules') });
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', out], { cwd: directory, env: strangerEnv() });
  const [entry] = JSON.parse(stdout) as { filename: string }[];
  if (entry === undefined) throw new Error(`npm pack wrote no tarball for examples/${example}`);
  return join(out, entry.filename);
}
