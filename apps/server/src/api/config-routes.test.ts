import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@ngb/host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';
import { secretValuesOf } from './redact-config';

const secrets = {
  telegramInline: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
  slackApp: 'xapp-1-A0000-0000000000-abcdefabcdef',
  slackSigning: 'f3c1a2b4d5e6f708192a3b4c5d6e7f80',
  qqUrlToken: 'qqsecret-5d1c0ffee',
  urlPassword: 'hunter2pass',
  openaiEnv: 'sk-proj-abcdefghijklmnopqrstuvwx0123',
  discordEnv: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.fghijklmnopqrstuvwxyz0123456',
  dashboardEnv: 'dashboard-token-0123456789',
};

const folder = mkdtempSync(join(tmpdir(), 'ngb-config-api-'));
let harness: ServerHarness;
beforeAll(async () => {
  mkdirSync(join(folder, 'agents', 'main'), { recursive: true });
  writeFileSync(
    join(folder, 'ngb.config.json'),
    JSON.stringify({
      runtime: { driver: 'local' },
      model: { baseURL: `https://ops:${secrets.urlPassword}@llm.example/v1`, model: 'gpt-test' },
      channels: {
        telegram: { botToken: secrets.telegramInline },
        slack: { appToken: secrets.slackApp, signingSecret: secrets.slackSigning },
        qq: { url: `ws://127.0.0.1:6700/?access_token=${secrets.qqUrlToken}` },
        discord: { note: `copied by mistake: ${secrets.discordEnv}`, mentionOnly: true },
      },
      agents: { main: { name: 'Main', assistantName: `bot ${secrets.openaiEnv}` } },
      dashboard: { port: 7171 },
    }),
  );
  const env = {
    OPENAI_API_KEY: secrets.openaiEnv,
    DISCORD_BOT_TOKEN: secrets.discordEnv,
    NGB_DASHBOARD_TOKEN: secrets.dashboardEnv,
    HOME: '/home/someone',
  };
  const loaded = loadConfig({ env, cwd: folder });
  harness = await createServerHarness({ server: { config: loaded.config, secretValues: () => secretValuesOf(env) } });
});
afterAll(async () => {
  await harness.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('GET /api/config', () => {
  it('answers the loaded config with no secret anywhere in it', async () => {
    const response = await harness.request('/api/config');
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const [name, secret] of Object.entries(secrets)) expect(text, name).not.toContain(secret);
    const config = JSON.parse(text);
    expect(config.channels.telegram.botToken).toBe('[redacted]');
    expect(config.channels.slack).toMatchObject({ appToken: '[redacted]', signingSecret: '[redacted]' });
    expect(config.channels.qq.url).toBe('ws://127.0.0.1:6700/?access_token=[redacted]');
    expect(config.channels.discord).toMatchObject({ note: 'copied by mistake: [redacted]', mentionOnly: true });
    expect(config.model).toMatchObject({ baseURL: 'https://ops:[redacted]@llm.example/v1', model: 'gpt-test' });
    expect(config).toMatchObject({ runtime: { driver: 'local' }, dashboard: { port: 7171 }, agents: { main: { name: 'Main' } } });
  });

  it('answers 501 when the server has no config', async () => {
    const bare = await createServerHarness();
    try {
      const answer = await call(bare, 'GET', '/api/config');
      expect(answer.status).toBe(501);
    } finally {
      await bare.close();
    }
  });
});
