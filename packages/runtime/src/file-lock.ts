import { randomBytes } from 'node:crypto';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { SandboxError } from '@ngb/plugin-sdk';
import type { ProcessAliveCheck, ProcessIdentity } from './process-identity';

/** What {@link lockFile} needs. */
export interface FileLockOptions {
  owner: ProcessIdentity;
  processAlive: ProcessAliveCheck;
  /** Give up after this long. @default 120000 */
  timeoutMs?: number;
}

const retryMs = 50;
// A lock file that cannot be read as an owner record and is older than this was left half-done.
const unreadableStaleMs = 10_000;

function parseOwner(text: string): ProcessIdentity | undefined {
  try {
    const value = JSON.parse(text) as Partial<ProcessIdentity> | null;
    if (typeof value?.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return { pid: value.pid, startTime: String(value.startTime ?? ''), bootId: String(value.bootId ?? ''), host: value.host };
  } catch {
    return undefined;
  }
}

/** The content of the lock when its owner is gone, else undefined. */
async function staleContent(lockPath: string, processAlive: ProcessAliveCheck): Promise<string | undefined> {
  const text = await readFile(lockPath, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const owner = parseOwner(text);
  if (owner) return (await processAlive(owner)) === false ? text : undefined;
  const stats = await stat(lockPath).catch(() => undefined);
  return stats !== undefined && Date.now() - stats.mtimeMs > unreadableStaleMs ? text : undefined;
}

/**
 * Takes a lock shared by every process on this host: a file holding the owner's identity, made
 * whole at once (written aside, then hard-linked into place). A lock whose owner process is gone
 * is taken over.
 * @returns a function that gives the lock back
 * @throws SandboxError `disk_limit` when a live process holds it past the timeout
 */
export async function lockFile(lockPath: string, options: FileLockOptions): Promise<() => Promise<void>> {
  const content = JSON.stringify({ ...options.owner, nonce: randomBytes(8).toString('hex') });
  const aside = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(aside, content, { mode: 0o600 });
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  try {
    for (;;) {
      try {
        await link(aside, lockPath);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const stale = await staleContent(lockPath, options.processAlive);
      if (stale !== undefined) {
        // Moved aside before removal, so two processes that both found it stale remove it once; a
        // fresh lock taken meanwhile by a third one is put back.
        const moved = `${lockPath}.stale.${randomBytes(4).toString('hex')}`;
        if (
          await rename(lockPath, moved).then(
            () => true,
            () => false,
          )
        ) {
          if ((await readFile(moved, 'utf8').catch(() => stale)) !== stale) await link(moved, lockPath).catch(() => undefined);
          await unlink(moved).catch(() => undefined);
        }
        continue;
      }
      if (Date.now() > deadline) {
        const holder = parseOwner((await readFile(lockPath, 'utf8').catch(() => '')) ?? '');
        throw new SandboxError(
          'disk_limit',
          `[@ngb/runtime] waited ${Math.round((options.timeoutMs ?? 120_000) / 1000)} s for ${lockPath}, held by process ${holder?.pid ?? '?'}; ` +
            'if no gateway runs, remove the file',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  } finally {
    await unlink(aside).catch(() => undefined);
  }
  return async () => {
    const current = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (current === content) await unlink(lockPath).catch(() => undefined);
  };
}
