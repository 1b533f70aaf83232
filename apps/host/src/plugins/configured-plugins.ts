import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, errorMessage } from '@ngb/plugin-sdk';
import type { NgbConfig } from '../config/config-schema';
import type { ProjectPaths } from '../config/project-paths';
import { agentWritableProblem } from './agent-writable';
import { hashPackage, hashTree, type PackageHash } from './hash-package';
import { findPackageDirectory, packageEntryFile, readManifest } from './plugin-package';
import type { PluginPin, PluginPins } from './plugin-pins';

/** One entry of `plugins`, with where it is. */
export type ConfiguredPlugin = {
  /** `plugins.<index>`, for reports. */
  key: string;
  /** How the config names it: the package's name, or the folder as written. */
  label: string;
  config: unknown;
} & ({ kind: 'package'; packageName: string } | { kind: 'folder'; folder: string });

/** The config's `plugins`, in order, folders resolved against the project folder. */
export function configuredPlugins(config: NgbConfig, root: string): ConfiguredPlugin[] {
  return config.plugins.map((entry, index) => {
    const key = `plugins.${index}`;
    if (typeof entry === 'string') return { key, label: entry, config: undefined, kind: 'package', packageName: entry };
    if ('package' in entry)
      return { key, label: entry.package, config: entry.config, kind: 'package', packageName: entry.package };
    return { key, label: entry.path, config: entry.config, kind: 'folder', folder: resolve(root, entry.path) };
  });
}

/** Where a configured plugin's code is, and (for a package) how it compares with its pin. */
export interface PluginLocation {
  /** The module to import. */
  entryFile: string;
  /** The package's folder (links resolved), or the plugin folder. */
  directory: string;
  /** A package's version from its `package.json`. */
  version?: string;
  /** A package's fingerprint. */
  hash?: PackageHash;
  /** `new`: never pinned; `approved`: as pinned; `changed`: another version or other files than pinned. */
  pin?: { state: 'new' | 'approved' | 'changed'; pinned?: PluginPin };
}

/** The fingerprint of a plugin folder's files (its `node_modules` and dot-folders such as `.git` aside). */
export async function hashFolder(folder: string): Promise<string> {
  const tree = await hashTree(folder, (path) => path.split('/').some((part) => part === 'node_modules' || part.startsWith('.')));
  return `sha256-${createHash('sha256').update(tree.lines.join('\n')).digest('hex')}`;
}

/**
 * Finds a configured plugin's code: a package in the project's own `node_modules` (looked up from
 * the project folder upwards, as an import from a project file would), hashed and compared with its
 * pin (from `pins`, which packages need); a folder checked to be out of the agents' reach.
 * @throws ConfigError naming `plugins.<index>` when it is not installed, not a folder, within the
 *   agents' reach, or has no entry module
 */
export async function locatePlugin(
  entry: ConfiguredPlugin,
  context: { paths: ProjectPaths; config: NgbConfig; pins?: PluginPins },
): Promise<PluginLocation> {
  const refuse = (reason: string): never => {
    throw new ConfigError(`[@ngb/host] plugin "${entry.label}" (${entry.key}): ${reason}`, { key: entry.key });
  };
  const directory =
    entry.kind === 'package'
      ? (findPackageDirectory(entry.packageName, context.paths.root) ??
        refuse(`the package is not installed in ${context.paths.root}: run \`npm install ${entry.packageName}\` there`))
      : entry.folder;
  if (entry.kind === 'folder' && !statSync(directory, { throwIfNoEntry: false })?.isDirectory())
    refuse(`${directory} is not a folder`);
  const problem = agentWritableProblem(directory, {
    agentsDir: context.paths.agentsDir,
    dataDir: context.paths.dataDir,
    config: context.config,
  });
  if (problem !== undefined) refuse(`host plugins never load from where an agent can write: ${problem}`);
  let entryFile: string;
  let version: string | undefined;
  try {
    const manifest = readManifest(directory);
    version = manifest?.version;
    entryFile = packageEntryFile(directory, manifest);
  } catch (error) {
    return refuse(errorMessage(error));
  }
  if (entry.kind === 'folder') return { entryFile, directory };
  const hash = await hashPackage(directory).catch((error: unknown) => refuse(`cannot hash its files: ${errorMessage(error)}`));
  const pinned = context.pins?.get(entry.packageName);
  const state = pinned === undefined ? 'new' : pinned.version === version && pinned.hash === hash.hash ? 'approved' : 'changed';
  return { entryFile, directory, version: version ?? '(no version)', hash, pin: { state, pinned } };
}

/** Why a changed package is refused, and how to approve it. */
export function changedSinceApproved(entry: ConfiguredPlugin, location: PluginLocation): string {
  const pinned = location.pin?.pinned;
  const was = pinned ? `${pinned.version} ${pinned.hash.slice(0, 19)}` : 'nothing';
  const now = `${location.version} ${location.hash?.hash.slice(0, 19)}`;
  return `changed since approved (approved ${was}, installed ${now}): run \`ngb plugin approve ${entry.label}\``;
}
