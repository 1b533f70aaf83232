import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mountSmallDisk } from '@ngb/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServeProcess, waitFor } from '../../apps/cli/test/cli-harness';
import { claimOwner, createServeFault, owner, queryReadOnly, type ServeFault } from './serve-fault-fixture';

// The data folder lives on its own small filesystem, which the test fills up and frees again.
const disk = mountSmallDisk('fault-disk-full', { size: '8m', required: process.env.CI === 'true' });
let fault: ServeFault | undefined;
let serve: ServeProcess | undefined;

afterAll(async () => {
  // Whatever happened, no gateway is left holding files on the filesystem that is about to go.
  if (serve !== undefined && serve.child.exitCode === null && serve.child.signalCode === null) {
    serve.child.kill('SIGKILL');
    await serve.exited;
  }
  await fault?.remove();
  disk.remove();
});

const question = 'are you there with a full disk?';
const answer = `echo: ${question}`;
/** The line the Telegram channel writes when the store refused an update because the disk is full. */
const fullDiskLine =
  /telegram update not stored; fetching it again .*the disk holding the database .*ngb\.db is full \(SQLITE_FULL\)/g;

/** What the test saw, for a failure message: enough to tell a deaf poller from a stuck store or a dead process. */
function seen(): string {
  if (fault === undefined || serve === undefined) return 'no gateway';
  const polls = fault.telegram.calls
    .filter((call) => call.method === 'getUpdates')
    .slice(-3)
    .map((call) => `offset ${String(call.params.offset)} → ${call.status ?? 'held'}`);
  const free = disk.folder === undefined ? '' : execFileSync('df', ['-k', disk.folder], { encoding: 'utf8' }).trim();
  return [
    `ngb serve: ${serve.child.exitCode === null ? 'running' : `exited with ${serve.child.exitCode}`}`,
    `updates the platform still holds: ${fault.telegram.pendingUpdates()}; last polls: ${polls.join(', ')}`,
    `the bot's messages: ${JSON.stringify(fault.messages())}`,
    free,
    `stderr (last 15 lines):\n${serve.stderr().trim().split('\n').slice(-15).join('\n')}`,
  ].join('\n');
}

/** Waits for `check` at most `timeoutMs`, then fails naming what was awaited and what was seen instead. */
async function within<T>(check: () => T | undefined | false, what: string, timeoutMs: number): Promise<T> {
  try {
    return await waitFor(check, what, timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${seen()}`);
  }
}

/** SIGTERM, then at most `timeoutMs` for the gateway to stop; a gateway that does not is killed and the test fails. */
async function stopWithin(process: ServeProcess, timeoutMs: number): Promise<number | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  const code = await Promise.race([process.stop(), late]).finally(() => clearTimeout(timer));
  if (code !== 'late') return code;
  const last = seen();
  process.child.kill('SIGKILL');
  await process.exited;
  throw new Error(`ngb serve did not stop within ${timeoutMs} ms of SIGTERM\n${last}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(disk.folder === undefined)('disk full on the data folder', { timeout: 150_000 }, () => {
  it('says so clearly and keeps running, loses nothing, corrupts nothing, and answers once space returns', async () => {
    fault = await createServeFault('disk-full', { dataDir: disk.folder });
    serve = await fault.serve();
    await claimOwner(fault, serve);
    const database = fault.database;
    // The claim answer's delivery is recorded before the disk fills (what a full disk does to a
    // send whose record fails is the core's disk-full test).
    await within(
      () => queryReadOnly(database, "SELECT id FROM outbox WHERE status != 'sent'").length === 0,
      'the claim answer recorded as sent',
      15_000,
    );
    const messagesBefore = fault.messages().length;
    const sentBefore = fault.said().length;

    disk.fill();
    await fault.telegram.injectMessage({ ...owner, text: question });
    // The store refuses the message; the channel says why, and keeps fetching it (it is not deaf).
    const stderr = () => serve?.stderr() ?? '';
    await within(() => (stderr().match(fullDiskLine)?.length ?? 0) >= 1, 'a clear error naming the full disk', 30_000);
    await within(
      () => (stderr().match(fullDiskLine)?.length ?? 0) >= 3,
      'the update fetched again while the disk is full',
      30_000,
    );
    expect(serve.child.exitCode).toBeNull();
    expect(fault.telegram.pendingUpdates()).toBe(1);
    expect(fault.messages()).toHaveLength(messagesBefore);

    disk.free();
    // A reply may be streamed: sent short, then edited to its whole text.
    await within(() => fault?.messages().slice(messagesBefore).includes(answer), 'the answer once space returned', 45_000);
    await sleep(1_500);
    expect(fault.messages().slice(messagesBefore)).toEqual([answer]);
    expect(fault.said()).toHaveLength(sentBefore + 1);
    expect(fault.telegram.pendingUpdates()).toBe(0);
    expect(await stopWithin(serve, 20_000)).toBe(0);

    expect(queryReadOnly<{ integrity_check: string }>(database, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(queryReadOnly(database, `SELECT id FROM messages WHERE text = '${question}'`)).toHaveLength(1);
    expect(queryReadOnly(database, 'SELECT id FROM session_inbox WHERE processed_at IS NULL')).toEqual([]);
    expect(queryReadOnly(database, "SELECT id FROM outbox WHERE status != 'sent'")).toEqual([]);
    // The log file, on the same full disk, holds whole records only (each line parses).
    const log = join(fault.dataDir, 'logs', 'gateway.jsonl');
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  });
});
