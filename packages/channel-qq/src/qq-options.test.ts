import { ConfigError } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createQQChannel } from './qq-channel';
import { qqManifest } from './qq-options';

const refusal = (options: Parameters<typeof createQQChannel>[0]) => {
  try {
    createQQChannel(options);
  } catch (error) {
    return ConfigError.isInstance(error) ? { key: error.key, message: error.message } : error;
  }
  return undefined;
};

describe('QQ options', () => {
  it('loopback needs no token; the default is ws://127.0.0.1:3001', () => {
    expect(refusal({})).toBeUndefined();
    expect(refusal({ url: 'ws://localhost:3001' })).toBeUndefined();
    expect(refusal({ url: 'ws://[::1]:3001' })).toBeUndefined();
  });

  it('another machine needs the access token', () => {
    expect(refusal({ url: 'wss://onebot.example.com' })).toMatchObject({
      key: 'accessToken',
      message: expect.stringMatching(
        /^\[@ngb\/channel-qq\] option "accessToken" is invalid: must be set when `url` is not on this machine.*QQ_ONEBOT_ACCESS_TOKEN/,
      ),
    });
    expect(refusal({ url: 'wss://onebot.example.com', accessToken: 't' })).toBeUndefined();
  });

  it('ws:// to another machine is refused unless allowInsecureRemote is set', () => {
    expect(refusal({ url: 'ws://192.168.1.20:3001', accessToken: 't' })).toMatchObject({
      key: 'url',
      message: expect.stringContaining('allowInsecureRemote: true'),
    });
    expect(refusal({ url: 'ws://192.168.1.20:3001', accessToken: 't', allowInsecureRemote: true })).toBeUndefined();
    // The token is still required: allowInsecureRemote never opens the port to anyone.
    expect(refusal({ url: 'ws://192.168.1.20:3001', allowInsecureRemote: true })).toMatchObject({ key: 'accessToken' });
  });

  it('refuses a URL that is not a WebSocket and a length QQ would cut', () => {
    expect(refusal({ url: 'http://127.0.0.1:3000' })).toMatchObject({ key: 'url' });
    expect(refusal({ maxMessageLength: 1 })).toMatchObject({ key: 'maxMessageLength' });
  });

  it('the manifest reads the optional token from QQ_ONEBOT_ACCESS_TOKEN and checks the same rules', () => {
    expect(qqManifest.secrets).toEqual([
      expect.objectContaining({ option: 'accessToken', env: 'QQ_ONEBOT_ACCESS_TOKEN', optional: true }),
    ]);
    expect(v.safeParse(qqManifest.optionsSchema, { url: 'wss://far.example' }).success).toBe(false);
    expect(v.parse(qqManifest.optionsSchema, {})).toMatchObject({ url: 'ws://127.0.0.1:3001', maxMessageLength: 4500 });
  });
});
