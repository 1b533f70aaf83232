import { chmod, lstat, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@ngb/plugin-sdk';
import type { AuthenticationState, SignalDataTypeMap } from 'baileys';

const prefix = '[@ngb/channel-whatsapp]';

/** The parts of Baileys the auth state needs (passed in, so Baileys loads only in web mode). */
export interface BaileysAuthParts {
  initAuthCreds(): AuthenticationState['creds'];
  BufferJSON: { replacer(key: string, value: unknown): unknown; reviver(key: string, value: unknown): unknown };
  proto: { Message: { AppStateSyncKeyData: { fromObject(value: object): unknown } } };
}

/**
 * Makes sure `directory` is fit to hold the linked device's keys: created with mode 0700 when
 * missing; refused when it is a symbolic link, not a directory, or writable by group or others.
 * @throws ConfigError saying what to fix
 */
export async function prepareAuthDirectory(directory: string): Promise<void> {
  const stat = await lstat(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stat === undefined) {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    return;
  }
  if (stat.isSymbolicLink()) {
    throw new ConfigError(`${prefix} the WhatsApp keys directory ${directory} is a symbolic link: use a real directory`, {
      key: 'authDirectory',
    });
  }
  if (!stat.isDirectory()) {
    throw new ConfigError(`${prefix} the WhatsApp keys path ${directory} is not a directory`, { key: 'authDirectory' });
  }
  if ((stat.mode & 0o022) !== 0) {
    throw new ConfigError(
      `${prefix} the WhatsApp keys directory ${directory} is writable by group or others: run chmod 700 on it`,
      { key: 'authDirectory' },
    );
  }
}

/** Writes `text` to a file only its owner can read and write (a file left wider by someone else is narrowed). */
async function writePrivate(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.writeFile(text);
    if (((await handle.stat()).mode & 0o077) !== 0) await chmod(path, 0o600);
  } finally {
    await handle.close();
  }
}

const fileName = (name: string) => name.replace(/\//g, '__').replace(/:/g, '-');

/**
 * Baileys' multi-file auth state (one JSON file per key, the same layout as its `useMultiFileAuthState`),
 * written with mode 0600 in a directory checked by {@link prepareAuthDirectory}: Baileys' own helper
 * writes with the process umask.
 */
export async function useSafeAuthState(directory: string, baileys: BaileysAuthParts) {
  await prepareAuthDirectory(directory);
  const write = (data: unknown, file: string) =>
    writePrivate(join(directory, fileName(file)), JSON.stringify(data, baileys.BufferJSON.replacer));
  const read = async (file: string): Promise<unknown> => {
    try {
      return JSON.parse(await readFile(join(directory, fileName(file)), 'utf8'), baileys.BufferJSON.reviver);
    } catch {
      return null;
    }
  };
  const remove = (file: string) => unlink(join(directory, fileName(file))).catch(() => undefined);
  const creds = ((await read('creds.json')) as AuthenticationState['creds'] | null) ?? baileys.initAuthCreds();
  const state: AuthenticationState = {
    creds,
    keys: {
      async get(type, ids) {
        const data: Record<string, unknown> = {};
        await Promise.all(
          ids.map(async (id) => {
            let value = await read(`${type}-${id}.json`);
            if (type === 'app-state-sync-key' && value) value = baileys.proto.Message.AppStateSyncKeyData.fromObject(value);
            data[id] = value;
          }),
        );
        return data as { [id: string]: SignalDataTypeMap[typeof type] };
      },
      async set(data) {
        const tasks: Promise<unknown>[] = [];
        for (const [category, entries] of Object.entries(data)) {
          for (const [id, value] of Object.entries(entries ?? {})) {
            const file = `${category}-${id}.json`;
            tasks.push(value ? write(value, file) : remove(file));
          }
        }
        await Promise.all(tasks);
      },
    },
  };
  return { state, saveCreds: () => write(state.creds, 'creds.json') };
}
