import { ConfigError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { createDingTalkChannel } from './dingtalk-channel';

const valid = { clientId: 'ding-app', clientSecret: 's' };
const refusal = (options: Record<string, unknown>) => {
  try {
    createDingTalkChannel(options as never);
  } catch (error) {
    return ConfigError.isInstance(error) ? error.message : `not a ConfigError: ${String(error)}`;
  }
  return undefined;
};

describe('DingTalk options', () => {
  it('names the option that is wrong', () => {
    expect(refusal({ clientId: 'ding-app' })).toContain('option "clientSecret"');
    expect(refusal({ clientId: 'ding-app', clientSecret: '' })).toContain('DINGTALK_CLIENT_SECRET');
    expect(refusal({ clientSecret: 's' })).toContain('option "clientId"');
    expect(refusal({ ...valid, apiBaseUrl: 'api.dingtalk.com' })).toContain('option "apiBaseUrl"');
    expect(refusal({ ...valid, maxMessageLength: 30_000 })).toContain('option "maxMessageLength"');
    expect(refusal({ ...valid, watchdogMs: 10 })).toContain('option "watchdogMs"');
  });

  it('accepts only https session webhook origins (http only to this machine), as bare origins', () => {
    expect(refusal({ ...valid, sessionWebhookOrigins: ['http://oapi.dingtalk.com'] })).toContain(
      'option "sessionWebhookOrigins.0"',
    );
    expect(refusal({ ...valid, sessionWebhookOrigins: ['https://oapi.dingtalk.com/robot'] })).toContain('https origin');
    expect(refusal({ ...valid, sessionWebhookOrigins: ['https://oapi.dingtalk.com', 'http://127.0.0.1:8080'] })).toBeUndefined();
  });

  it('defaults: 5000 characters per message, the robot code is the clientId', async () => {
    const channel = createDingTalkChannel(valid);
    expect(channel.limits.maxMessageLength).toBe(5_000);
    expect(channel.self).toBeUndefined();
  });
});
