import { ConfigError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { createSlackChannel } from './slack-channel';
import { slackManifest } from './slack-options';

const refusal = (create: () => unknown) => {
  try {
    create();
  } catch (error) {
    return error as ConfigError & { key?: string };
  }
  throw new Error('expected a ConfigError');
};

describe('Slack options', () => {
  it('Socket Mode (the default) needs the app token, and says where it comes from', () => {
    const error = refusal(() => createSlackChannel({ botToken: 'xoxb-1' }));
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error.message).toContain('pass `appToken` or set SLACK_APP_TOKEN');
  });

  it('the Events API mode needs the signing secret', () => {
    const error = refusal(() => createSlackChannel({ botToken: 'xoxb-1', mode: 'events' }));
    expect(error.message).toContain('pass `signingSecret` or set SLACK_SIGNING_SECRET');
    expect(createSlackChannel({ botToken: 'xoxb-1', mode: 'events', signingSecret: 's' }).handleWebhook).toBeTypeOf('function');
  });

  it('names a bad option', () => {
    expect(refusal(() => createSlackChannel({ botToken: 'xoxb-1', appToken: 'xapp-1', apiUrl: 'not a url' })).message).toMatch(
      /option "apiUrl" is invalid/,
    );
    expect(refusal(() => createSlackChannel({ botToken: 'xoxb-1', appToken: 'xapp-1', watchdogMs: 0 })).message).toMatch(
      /option "watchdogMs" is invalid: must be at least 1/,
    );
  });

  it('streams by default no faster than chat.update allows (tier 3), and needs no public URL in its default mode', () => {
    expect(slackManifest.streamsByDefault?.editIntervalMs).toBeGreaterThanOrEqual(1_500);
    expect(slackManifest.needsPublicUrl).toBe(false);
  });

  it('has no typing capability: Slack gives bots no typing indicator for messages', () => {
    const channel = createSlackChannel({ botToken: 'xoxb-1', appToken: 'xapp-1' });
    expect('sendTyping' in channel).toBe(false);
    expect(channel.supportsThreads).toBe(true);
  });
});
