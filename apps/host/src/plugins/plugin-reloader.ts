import { watch } from 'node:fs';
import type { Gateway } from '@ngb/core';
import { type Clock, ConfigError, type Logger, type TimerHandle } from '@ngb/plugin-sdk';
import type { NgbConfig } from '../config/config-schema';
import type { ProjectPaths } from '../config/project-paths';
import { hashFolder, locatePlugin } from './configured-plugins';
import { importPlugin } from './import-plugin';
import type { FolderPlugin } from './load-plugins';

/** Watches a folder recursively; returns how to stop. */
export type WatchFolder = (
  folder: string,
  onChange: (path: string | undefined) => void,
  onError: (error: Error) => void,
) => () => void;

const watchRecursively: WatchFolder = (folder, onChange, onError) => {
  const watcher = watch(folder, { recursive: true, persistent: false }, (_event, path) => onChange(path ?? undefined));
  watcher.on('error', onError);
  return () => watcher.close();
};

/** Options of {@link startPluginReloader}. */
export interface PluginReloaderOptions {
  folders: readonly FolderPlugin[];
  replacePlugin: Gateway['replacePlugin'];
  paths: ProjectPaths;
  config: NgbConfig;
  clock: Clock;
  logger: Logger;
  /** How long a folder must stay unchanged before it is reloaded: an editor's save is several writes. @default 300 */
  debounceMs?: number;
  /**
   * The most times one plugin is imported again in this process. Node.js cannot unload an ES
   * module, so every version's modules stay in memory: past this, a change is refused (reported,
   * the running version kept) until the gateway restarts.
   * @default 100
   */
  maxReloads?: number;
  watch?: WatchFolder;
}

/** Files whose change never reloads a plugin: dependencies and dot-files (`.git`, editors' swap files). */
const ignored = (path: string | undefined) =>
  path?.split(/[\\/]/).some((part) => part === 'node_modules' || part.startsWith('.')) === true;

/**
 * Hot reload of the plugins loaded from local folders: a change in a folder (debounced on the
 * clock) imports the plugin again as a new module instance, every file of the folder included, and
 * swaps it in with `replacePlugin`; a failed import or setup keeps the running version (the gateway
 * logs and reports it). A folder whose files are as loaded, or as they were when the last attempt
 * failed, is not imported again, so no module graph is loaded for nothing; and past `maxReloads`
 * nothing more is loaded until a restart.
 * @returns a function that stops watching
 */
export function startPluginReloader(options: PluginReloaderOptions): () => void {
  const { clock, logger } = options;
  const debounceMs = options.debounceMs ?? 300;
  const maxReloads = options.maxReloads ?? 100;
  const stops: Array<() => void> = [];
  const timers = new Set<TimerHandle>();
  let closed = false;

  for (const loaded of options.folders) {
    const { entry } = loaded;
    const state = { name: loaded.name, contentHash: loaded.contentHash, failedHash: undefined as string | undefined, version: 1 };
    let timer: TimerHandle | undefined;
    let running: Promise<void> | undefined;
    let again = false;

    const reload = async () => {
      const contentHash = await hashFolder(entry.folder);
      if (closed || contentHash === state.contentHash || contentHash === state.failedHash) return;
      const exhausted = state.version > maxReloads;
      state.version += 1;
      const version = state.version;
      try {
        const swapped = await options.replacePlugin(state.name, async () => {
          if (exhausted)
            throw new ConfigError(
              `[@ngb/host] not reloaded: ${maxReloads} hot reloads in this process already keep their modules in memory ` +
                '(Node.js cannot unload them); restart the gateway to load the change',
              { key: entry.key },
            );
          const location = await locatePlugin(entry, { paths: options.paths, config: options.config });
          const plugin = await importPlugin(location.entryFile, entry.key, { folder: location.directory, version });
          return { plugin, config: entry.config, source: entry.label };
        });
        Object.assign(state, { name: swapped.name, contentHash, failedHash: undefined });
        logger.debug('plugin imported again', {
          plugin: swapped.name,
          reloads: version - 1,
          rssBytes: process.memoryUsage().rss,
        });
      } catch {
        // Reported by the gateway (log and `plugin.status`); the running version stays.
        state.failedHash = contentHash;
      }
    };
    const fire = () => {
      timer = undefined;
      if (closed) return;
      if (running) {
        again = true;
        return;
      }
      running = reload()
        .catch((error: unknown) => logger.warn('plugin folder could not be read for a reload', { plugin: entry.label, error }))
        .finally(() => {
          running = undefined;
          if (again) {
            again = false;
            schedule();
          }
        });
    };
    const schedule = () => {
      if (timer !== undefined) {
        clock.clearTimeout(timer);
        timers.delete(timer);
      }
      const handle = clock.setTimeout(() => {
        timers.delete(handle);
        fire();
      }, debounceMs);
      timer = handle;
      timers.add(handle);
    };
    try {
      stops.push(
        (options.watch ?? watchRecursively)(
          entry.folder,
          (path) => {
            if (!ignored(path)) schedule();
          },
          (error) => logger.warn('watching a plugin folder failed: it no longer hot-reloads', { plugin: entry.label, error }),
        ),
      );
    } catch (error) {
      logger.warn('cannot watch a plugin folder: it will not hot-reload', { plugin: entry.label, error });
    }
  }
  return () => {
    closed = true;
    for (const stop of stops) stop();
    for (const timer of timers) clock.clearTimeout(timer);
    timers.clear();
  };
}
