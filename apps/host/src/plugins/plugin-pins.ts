import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, errorMessage } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** The file in the data directory that holds the approved version and hash of each npm plugin. */
export const pluginPinsFileName = 'plugin-pins.json';

const pinSchema = v.object({
  version: v.string(),
  hash: v.pipe(v.string(), v.regex(/^sha256-[0-9a-f]{64}$/)),
  approvedAt: v.string(),
});
const pinsSchema = v.object({ pins: v.record(v.string(), pinSchema) });

/** What was approved of one npm plugin. */
export type PluginPin = v.InferOutput<typeof pinSchema>;

/** The pins of a project, read from and written to its data directory. */
export interface PluginPins {
  readonly file: string;
  get(packageName: string): PluginPin | undefined;
  /** Records (or replaces) the pin of a package, written to disk at once (atomically). */
  set(packageName: string, pin: Omit<PluginPin, 'approvedAt'>, approvedAt: Date): PluginPin;
}

/**
 * Opens the pins of the project whose data directory is `dataDir` (none yet when the file does not
 * exist).
 * @throws ConfigError naming the file when it exists but cannot be read (it is never overwritten then)
 */
export function openPluginPins(dataDir: string): PluginPins {
  const file = join(dataDir, pluginPinsFileName);
  const read = (): Record<string, PluginPin> => {
    if (!existsSync(file)) return {};
    try {
      return v.parse(pinsSchema, JSON.parse(readFileSync(file, 'utf8'))).pins;
    } catch (error) {
      throw new ConfigError(
        `[@ngb/host] cannot read the plugin pins ${file}: ${errorMessage(error)}; restore it, or remove it to pin every npm plugin again as it is now`,
        { key: 'plugins', cause: error },
      );
    }
  };
  let pins = read();
  return {
    file,
    get: (packageName) => pins[packageName],
    set(packageName, pin, approvedAt) {
      const recorded = { version: pin.version, hash: pin.hash, approvedAt: approvedAt.toISOString() };
      // Read again: another process (`ngb plugin approve`, a second gateway) may have pinned meanwhile.
      pins = { ...read(), [packageName]: recorded };
      mkdirSync(dataDir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify({ pins }, null, 2)}\n`);
      renameSync(temporary, file);
      return recorded;
    },
  };
}
