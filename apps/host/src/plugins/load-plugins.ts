import { createRateLimitPlugin, type PluginEntry } from '@ngb/core';
import type { Clock, Logger } from '@ngb/plugin-sdk';
import type { NgbConfig } from '../config/config-schema';
import type { ProjectPaths } from '../config/project-paths';
import { type ConfiguredPlugin, changedSinceApproved, configuredPlugins, hashFolder, locatePlugin } from './configured-plugins';
import { importPlugin } from './import-plugin';
import { openPluginPins } from './plugin-pins';

/** A plugin loaded from a local folder: what its hot reload needs. */
export interface FolderPlugin {
  entry: Extract<ConfiguredPlugin, { kind: 'folder' }>;
  /** The name the plugin loaded under (it may change with a reload). */
  name: string;
  /** The fingerprint of the folder's files as loaded (see `hashFolder`). */
  contentHash: string;
}

/** A package refused because it changed since it was approved. */
interface RefusedPlugin {
  label: string;
  version: string;
  reason: string;
}

/** The config's plugins, ready for the gateway. */
export interface LoadedPlugins {
  /** For `createGateway`, in order: the rate limiter first when configured, then `plugins`. */
  entries: PluginEntry[];
  refused: RefusedPlugin[];
  folders: FolderPlugin[];
}

/**
 * Loads the plugins the config names: the built-in rate limiter (`rateLimit`), then each of
 * `plugins`. An npm package is hashed first: never pinned, it is pinned as it is (trust on first
 * use, logged); as pinned, it loads; changed, it is refused (listed in `refused`, not loaded) until
 * `ngb plugin approve` pins it again. Folders load as they are.
 * @throws ConfigError naming `plugins.<index>` when a plugin is missing, within the agents' reach,
 *   or cannot be imported, and the pins file when it cannot be read
 */
export async function loadPlugins(options: {
  config: NgbConfig;
  paths: ProjectPaths;
  clock: Clock;
  logger: Logger;
}): Promise<LoadedPlugins> {
  const { config, paths, clock, logger } = options;
  const loaded: LoadedPlugins = { entries: [], refused: [], folders: [] };
  if (config.rateLimit !== undefined) loaded.entries.push({ plugin: createRateLimitPlugin({ ...config.rateLimit, clock }) });
  const configured = configuredPlugins(config, paths.root);
  if (configured.length === 0) return loaded;
  const pins = openPluginPins(paths.dataDir);
  for (const entry of configured) {
    const location = await locatePlugin(entry, { paths, config, pins });
    if (entry.kind === 'package' && location.pin && location.hash) {
      if (location.pin.state === 'changed') {
        const reason = changedSinceApproved(entry, location);
        logger.warn('plugin not loaded: it changed since it was approved', { plugin: entry.label, reason });
        loaded.refused.push({ label: entry.label, version: location.version ?? '', reason });
        continue;
      }
      if (location.pin.state === 'new') {
        pins.set(entry.packageName, { version: location.version ?? '', hash: location.hash.hash }, new Date(clock.now()));
        logger.info('plugin pinned on first load', { plugin: entry.label, version: location.version, hash: location.hash.hash });
      }
    }
    const contentHash = entry.kind === 'folder' ? await hashFolder(location.directory) : undefined;
    const plugin = await importPlugin(location.entryFile, entry.key);
    loaded.entries.push({ plugin, config: entry.config, source: entry.label });
    if (entry.kind === 'folder' && contentHash !== undefined) loaded.folders.push({ entry, name: plugin.name, contentHash });
  }
  return loaded;
}
