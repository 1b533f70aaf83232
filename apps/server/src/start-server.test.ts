import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@ngb/host';
import { NotSupportedError } from '@ngb/plugin-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from './start-server';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-server-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('startServer', () => {
  it('composes the gateway through the host, then stops it and closes the store when the server cannot start', async () => {
    mkdirSync(join(scratch, 'agents', 'main'), { recursive: true });
    writeFileSync(
      join(scratch, 'ngb.config.json'),
      JSON.stringify({ runtime: { driver: 'local' }, dashboard: { enabled: true, port: 7171 } }),
    );
    const env = { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    const error = await startServer({ loaded: loadConfig({ env, cwd: scratch }), env, command: 'test', debug: false }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(NotSupportedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'the dashboard is enabled in ngb.config.json but not built yet; set "dashboard.enabled": false',
    );
    // The gateway ran (its store was created) and was closed: SQLite removes its write-ahead log on the last close.
    expect(existsSync(join(scratch, '.ngb', 'ngb.db'))).toBe(true);
    expect(existsSync(join(scratch, '.ngb', 'ngb.db-wal'))).toBe(false);
  });
});
