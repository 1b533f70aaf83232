import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createWhatsAppChannel } from './whatsapp-channel';
import { whatsAppChannelOptionsSchema, whatsappManifest } from './whatsapp-options';

const cloud = { phoneNumberId: '1065', accessToken: 'token', appSecret: 'secret', verifyToken: 'verify' };

describe('WhatsApp options', () => {
  it('refuses a cloud config without one of its secrets, naming the variable', () => {
    for (const [option, variable] of [
      ['phoneNumberId', 'WHATSAPP_PHONE_NUMBER_ID'],
      ['accessToken', 'WHATSAPP_ACCESS_TOKEN'],
      ['appSecret', 'WHATSAPP_APP_SECRET'],
      ['verifyToken', 'WHATSAPP_VERIFY_TOKEN'],
    ] as const) {
      const { [option]: _left, ...without } = cloud;
      const result = v.safeParse(whatsAppChannelOptionsSchema, without);
      expect(result.success).toBe(false);
      const issue = result.issues?.[0];
      expect(issue && v.getDotPath(issue)).toBe(option);
      expect(issue?.message).toContain(variable);
    }
    expect(v.safeParse(whatsAppChannelOptionsSchema, cloud).success).toBe(true);
    expect(v.safeParse(whatsAppChannelOptionsSchema, { mode: 'web' }).success).toBe(true);
  });

  it('names a bad option in the factory', () => {
    expect(() => createWhatsAppChannel({ ...cloud, apiBaseUrl: 'not a url' })).toThrow(/option "apiBaseUrl"/);
    expect(() => createWhatsAppChannel({ ...cloud, maxMessageLength: 1 })).toThrow(ConfigError);
  });

  it('builds the web mode only with a directory for its keys, by default auth/ in the state directory', async () => {
    expect(() => createWhatsAppChannel({ mode: 'web' })).toThrow(/authDirectory/);
    const root = mkdtempSync(join(tmpdir(), 'ngb-whatsapp-options-'));
    try {
      const channel = await whatsappManifest.create(v.parse(whatsAppChannelOptionsSchema, { mode: 'web' }), {
        stateDirectory: root,
      });
      expect(channel.name).toBe('whatsapp');
      expect('edit' in channel).toBe(true);
      expect('handleWebhook' in channel).toBe(false);
      expect('handleWebhook' in (await whatsappManifest.create(v.parse(whatsAppChannelOptionsSchema, cloud)))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
