import { ConfigError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { createFeishuChannel } from './feishu-channel';

const base = { appId: 'cli_a', appSecret: 's', mode: 'webhook' as const, verificationToken: 't' };
const refusal = (build: () => unknown) => {
  try {
    build();
  } catch (error) {
    return error;
  }
  throw new Error('[test] expected a refusal');
};

describe('feishu options', () => {
  it('the webhook mode without the verification token is refused, naming it', () => {
    const error = refusal(() => createFeishuChannel({ ...base, verificationToken: undefined }));
    expect(ConfigError.isInstance(error) && error.key).toBe('verificationToken');
    expect(String(error)).toContain('FEISHU_VERIFICATION_TOKEN');
  });

  it('domain: feishu, lark, https, and http only for loopback', () => {
    for (const domain of ['feishu', 'lark', 'https://open.example.com', 'http://127.0.0.1:1234', 'http://localhost:9'])
      expect(createFeishuChannel({ ...base, domain }).name).toBe('feishu');
    const error = refusal(() => createFeishuChannel({ ...base, domain: 'http://open.feishu.cn' }));
    expect(ConfigError.isInstance(error) && error.key).toBe('domain');
  });

  it('the long connection is the default mode: no verification token needed, no webhook served', () => {
    const channel = createFeishuChannel({ appId: 'cli_a1b2c3d4e5f60718', appSecret: 's' });
    expect(channel.handleWebhook).toBeUndefined();
    expect(createFeishuChannel(base).handleWebhook).toBeTypeOf('function');
  });

  it('the long connection refuses an App ID the SDK would silently not connect with, naming it', () => {
    const error = refusal(() => createFeishuChannel({ appId: 'cli_a', appSecret: 's' }));
    expect(ConfigError.isInstance(error) && error.key).toBe('appId');
  });
});
