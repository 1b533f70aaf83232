import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from '@ngb/plugin-sdk';
import { createSqliteStore } from '@ngb/store';
import { afterEach, describe, expect, it } from 'vitest';

// The backup and restore of docs/operations.md, run as written: the commands are read from the page.
const root = fileURLToPath(new URL('..', import.meta.url));
const page = readFileSync(join(root, 'docs/operations.md'), 'utf8');

/** The one shell line of the code block under a `## <heading>` of the page. */
function documentedCommand(heading: string): string {
  const section = page.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? '';
  const command = /```sh\n([^\n]+)\n```/.exec(section)?.[1];
  if (command === undefined) throw new Error(`docs/operations.md has no command under "## ${heading}"`);
  return command;
}

const run = (command: string, cwd: string) => execFileSync('bash', ['-c', command], { cwd, stdio: 'pipe' });

let project: string;
const open: Store[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  rmSync(project, { recursive: true, force: true });
});

describe('backup and restore, as docs/operations.md documents them', () => {
  it('backs up a live store with uncheckpointed writes, and the restored copy opens with them', async () => {
    project = mkdtempSync(join(tmpdir(), 'ngb-docs-backup-'));
    mkdirSync(join(project, '.ngb'));
    const live = await createSqliteStore({ path: join(project, '.ngb/ngb.db') });
    open.push(live);
    await live.kv.set('docs', 'before', { written: 'before the backup' });
    // The write sits in the WAL: copying ngb.db alone would miss it.
    expect(existsSync(join(project, '.ngb/ngb.db-wal'))).toBe(true);

    run(documentedCommand('Backup'), project);
    await live.kv.set('docs', 'after', { written: 'after the backup' });
    await live.close();
    open.splice(0);

    run(documentedCommand('Restore'), project);
    expect(existsSync(join(project, '.ngb/ngb.db-wal'))).toBe(false);
    const restored = await createSqliteStore({ path: join(project, '.ngb/ngb.db') });
    open.push(restored);
    expect(await restored.kv.get('docs', 'before')).toEqual({ written: 'before the backup' });
    expect(await restored.kv.get('docs', 'after')).toBeUndefined();
  });
});
