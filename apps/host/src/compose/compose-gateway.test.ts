import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@ngb/plugin-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config';
import { composeGateway } from './compose-gateway';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-compose-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// A local OpenAI-compatible endpoint is enough to choose a model; nothing here calls it.
const env = { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };

function project(name: string, config: object): string {
  const root = join(scratch, name);
  mkdirSync(join(root, 'agents', 'main'), { recursive: true });
  writeFileSync(join(root, 'ngb.config.json'), JSON.stringify({ runtime: { driver: 'local' }, ...config }));
  return root;
}

describe('composeGateway', () => {
  it('builds a serving gateway from the config: store opened, agents synced, runtime and gateway started', async () => {
    const root = project('serving', { channels: { telegram: { enabled: false } } });
    const loaded = loadConfig({ env, cwd: root });
    const composed = await composeGateway({ loaded, env, command: 'test', debug: false });
    try {
      expect(composed.project.agents.map((agent) => agent.folder)).toEqual(['main']);
      expect(composed.channelNames).toEqual([]);
      expect(composed.model).toMatchObject({ provider: 'openai', baseURL: env.OPENAI_BASE_URL });
      expect(composed.runtime.driver).toBe('local');
      expect(composed.runtime.warning).toContain('NOT ISOLATED');
      expect(Object.keys(composed.providers).sort()).toEqual(['default', 'openai']);
      expect(await composed.project.store.agents.getByFolder('main')).toMatchObject({ isMain: true });
    } finally {
      await composed.close(0);
    }
    await composed.close(0);
    expect(existsSync(join(root, '.ngb', 'ngb.db'))).toBe(true);
  });

  it('refuses an enabled channel whose config is incomplete before anything is written', async () => {
    const root = project('refused', { channels: { feishu: { enabled: true } } });
    const loaded = loadConfig({ env, cwd: root });
    const error = await composeGateway({
      loaded,
      env: { ...env, FEISHU_APP_SECRET: '123:secret' },
      command: 'test',
      debug: false,
    }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ key: 'channels.feishu.appId' });
    expect(existsSync(join(root, '.ngb'))).toBe(false);
  });

  it('refuses to serve without a model before anything is written', async () => {
    const root = project('no-model', {});
    const loaded = loadConfig({ env, cwd: root });
    const error = await composeGateway({ loaded, env: {}, command: 'test', debug: false }).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.message).toContain('no model is configured');
    expect(existsSync(join(root, '.ngb'))).toBe(false);
  });
});
