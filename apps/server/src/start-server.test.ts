import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@ngb/host';
import { ConfigError } from '@ngb/plugin-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from './start-server';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-server-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function project(name: string, dashboard: Record<string, unknown>): string {
  const folder = join(scratch, name);
  mkdirSync(join(folder, 'agents', 'main'), { recursive: true });
  writeFileSync(
    join(folder, 'ngb.config.json'),
    JSON.stringify({ runtime: { driver: 'local' }, dashboard: { enabled: true, ...dashboard } }),
  );
  return folder;
}

describe('startServer', () => {
  it('refuses a non-loopback address without a token before anything is opened', async () => {
    const folder = project('exposed', { host: '0.0.0.0', port: 0 });
    const env = { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    const error = await startServer({ loaded: loadConfig({ env, cwd: folder }), env, command: 'test', debug: false }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('refusing to listen on 0.0.0.0 without an auth token');
    expect(existsSync(join(folder, '.ngb', 'ngb.db'))).toBe(false);
  });

  it('composes the gateway, serves it on loopback, and closes both', async () => {
    const folder = project('served', { port: 0 });
    const env = { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    const served = await startServer({ loaded: loadConfig({ env, cwd: folder }), env, command: 'test', debug: false });
    try {
      expect(served.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${served.server.url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${served.server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: { store: { ok: true }, runtime: { ok: true } } });
      const status = await (await fetch(`${served.server.url}/api/status`)).json();
      expect(status).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), isolated: false });
      const config = await (await fetch(`${served.server.url}/api/config`)).json();
      expect(config).toMatchObject({ runtime: { driver: 'local' }, dashboard: { enabled: true } });
      expect((await fetch(`${served.server.url}/api/logs`)).status).toBe(200);
      expect((await fetch(`${served.server.url}/api/sandboxes`)).status).toBe(200);
    } finally {
      await served.close(1000);
    }
    // SQLite removes its write-ahead log on the last close: the store was closed.
    expect(existsSync(join(folder, '.ngb', 'ngb.db'))).toBe(true);
    expect(existsSync(join(folder, '.ngb', 'ngb.db-wal'))).toBe(false);
    await expect(fetch(`${served.server.url}/healthz`)).rejects.toThrow();
  });
});
