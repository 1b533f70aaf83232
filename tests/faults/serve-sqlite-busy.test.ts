import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../apps/cli/test/cli-harness';
import { claimOwner, createServeFault, owner, queryReadOnly, type ServeFault } from './serve-fault-fixture';

let fault: ServeFault | undefined;
const holders: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  for (const holder of holders.splice(0)) holder.kill('SIGKILL');
  await fault?.remove();
  fault = undefined;
});

/**
 * Opens the live database in the `sqlite3` CLI and runs `statements`, keeping the session (and so
 * any transaction they began) open until `end` is called; resolves once they ran.
 */
async function holdWithSqlite(database: string, statements: string) {
  const holder = spawn('sqlite3', [database]);
  holders.push(holder);
  let output = '';
  holder.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  holder.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  holder.stdin.write(`${statements}\nSELECT 'holding';\n`);
  await waitFor(() => output.includes('holding'), `sqlite3 to take its lock (${output})`, 15_000);
  if (/Error/.test(output)) throw new Error(`sqlite3 failed: ${output}`);
  return {
    end: async () => {
      const closed = new Promise((resolve) => holder.once('close', resolve));
      holder.stdin.end('COMMIT;\n');
      await closed;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SQLite busy: another process holds the live database', { timeout: 120_000 }, () => {
  it('a long read transaction, then a write lock for seconds: every message is answered once, no error reaches anyone', async () => {
    fault = await createServeFault('sqlite-busy');
    const serve = await fault.serve();
    try {
      await claimOwner(fault, serve);
      const asked: string[] = [];
      const ask = async (text: string) => {
        asked.push(text);
        await fault?.telegram.injectMessage({ ...owner, text });
      };

      // A reader (an operator's query, a backup) keeps a snapshot open: WAL lets the gateway write on.
      const reader = await holdWithSqlite(fault.database, 'BEGIN; SELECT count(*) FROM messages;');
      await ask('while someone reads');
      await waitFor(
        () => fault?.said().some((text) => text.includes('while someone reads')),
        'the answer under a reader',
        30_000,
      );

      // A writer holds the write lock for three seconds while two messages arrive.
      const writer = await holdWithSqlite(fault.database, 'BEGIN IMMEDIATE;');
      await ask('while the database is locked');
      await ask('and one more');
      await sleep(3_000);
      await writer.end();
      await reader.end();
      // Both may be answered in one turn (the fake model echoes the last line it was given).
      await waitFor(() => fault?.said().some((said) => said.includes('and one more')), 'the answer after the lock', 30_000);
      await sleep(1_500);

      const stored = queryReadOnly<{ text: string }>(fault.database, "SELECT text FROM messages WHERE direction = 'inbound'");
      for (const text of asked) expect(stored.filter((row) => row.text === text)).toHaveLength(1);
      expect(queryReadOnly(fault.database, 'SELECT id FROM session_inbox WHERE processed_at IS NULL')).toEqual([]);
      const turns = queryReadOnly<{ status: string }>(fault.database, 'SELECT status FROM turns');
      expect(
        turns.every((turn) => turn.status === 'succeeded'),
        JSON.stringify(turns),
      ).toBe(true);
      const answers = fault.said().filter((text) => !/owner/.test(text));
      expect(
        answers.every((text) => text.startsWith('echo: ')),
        answers.join('\n'),
      ).toBe(true);
      expect(new Set(answers).size).toBe(answers.length);
      expect(answers).toHaveLength(turns.length);
      const log = join(fault.dataDir, 'logs', 'gateway.jsonl');
      const logged = existsSync(log) ? readFileSync(log, 'utf8') : '';
      expect(`${serve.stderr()}\n${logged}`).not.toMatch(/database is locked|SQLITE_BUSY/i);
    } finally {
      await serve.stop();
    }
  });
});
