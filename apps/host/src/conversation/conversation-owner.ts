import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '@ngb/plugin-sdk';
import type { ProcessIdentity } from '@ngb/runtime';
import { cliChannelName } from '../compose/cli-channel';
import { abandonTurn } from './abandon-turn';

/** Who holds a terminal conversation: the process of `ngb run` or `ngb shell`. */
interface OwnerRecord {
  sessionId: string;
  command: string;
  process: ProcessIdentity;
}

const folderName = 'conversations';
const sessionIdPattern = /^[A-Za-z0-9_-]{1,100}$/;

function ownersFolder(dataDir: string): string {
  return join(dataDir, folderName);
}

async function readOwners(dataDir: string): Promise<Array<{ file: string; record: OwnerRecord }>> {
  const folder = ownersFolder(dataDir);
  const names = await readdir(folder).catch(() => [] as string[]);
  const owners: Array<{ file: string; record: OwnerRecord }> = [];
  for (const name of names.filter((candidate) => candidate.endsWith('.json'))) {
    const file = join(folder, name);
    try {
      const record = JSON.parse(await readFile(file, 'utf8')) as OwnerRecord;
      if (typeof record?.sessionId === 'string' && typeof record.process?.pid === 'number') owners.push({ file, record });
    } catch {
      // Half-written or foreign: not an owner anyone can rely on.
    }
  }
  return owners;
}

/**
 * Records that this process holds the terminal conversation of a session (a file under the data
 * folder naming the process by pid, start time and boot), so that a later gateway can tell when the
 * process died in the middle of a turn.
 * @returns a function that removes the record when the conversation closes
 */
export async function claimConversation(dataDir: string, sessionId: string, command: string): Promise<() => Promise<void>> {
  if (!sessionIdPattern.test(sessionId)) throw new Error(`unexpected session id "${sessionId}"`);
  const { readProcessIdentity } = await import('@ngb/runtime');
  const record: OwnerRecord = { sessionId, command, process: await readProcessIdentity() };
  await mkdir(ownersFolder(dataDir), { recursive: true, mode: 0o700 });
  const file = join(ownersFolder(dataDir), `${sessionId}.${process.pid}.json`);
  await writeFile(file, JSON.stringify(record), { mode: 0o600 });
  return () => rm(file, { force: true });
}

/**
 * Ends the turns that a terminal conversation left unfinished when its process died (`kill -9` of
 * `ngb run`, a crash): such a turn is marked failed with the reason and its prompt consumed, as
 * `ngb run --timeout` does, since only that terminal could have shown its answer. Conversations
 * whose process still runs, and the sessions this process owns, are left alone.
 * @returns how many turns were ended
 */
export async function endTurnsOfDeadConversations(
  store: Store,
  dataDir: string,
  ownsSession: (sessionId: string) => Promise<boolean>,
): Promise<number> {
  const unfinished = await store.turns.listUnfinished();
  const owners = await readOwners(dataDir);
  if (unfinished.length === 0 && owners.length === 0) return 0;
  const { isProcessAlive } = await import('@ngb/runtime');
  const alive = new Map<string, boolean>();
  for (const owner of owners) {
    const living = (await isProcessAlive(owner.record.process)) !== false;
    alive.set(owner.file, living);
    if (!living && !unfinished.some((turn) => turn.sessionId === owner.record.sessionId)) await rm(owner.file, { force: true });
  }
  let ended = 0;
  for (const sessionId of new Set(unfinished.map((turn) => turn.sessionId))) {
    if (await ownsSession(sessionId)) continue;
    const session = await store.sessions.get(sessionId);
    const chat = session?.chatId ? await store.chats.get(session.chatId) : undefined;
    if (chat?.channel !== cliChannelName) continue;
    const mine = owners.filter((owner) => owner.record.sessionId === sessionId);
    if (mine.some((owner) => alive.get(owner.file))) continue;
    const dead = mine[0]?.record;
    const who = dead ? `the \`ngb ${dead.command}\` process (pid ${dead.process.pid})` : 'the `ngb run` or `ngb shell` process';
    await abandonTurn(store, sessionId, `${who} running this turn ended before the turn did (killed or crashed)`);
    for (const owner of mine) await rm(owner.file, { force: true });
    ended += 1;
  }
  return ended;
}
