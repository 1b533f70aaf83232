import { createOpenAIProvider } from '@ngb/llm-openai';
import { ConfigError, definePlugin } from '@ngb/plugin-sdk';
import { createRecordingChannel } from '@ngb/plugin-sdk/testing';
import { createLocalRuntime } from '@ngb/runtime';
import { createSqliteStore } from '@ngb/store';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';
import { createGateway } from './create-gateway';
import type { GatewayOptions } from './gateway-options';

let harness: Harness | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function gatewayParts(): Promise<Pick<GatewayOptions, 'store' | 'runtime' | 'providers' | 'agentsDirectory'>> {
  const store = await createSqliteStore({ path: ':memory:' });
  const runtime = createLocalRuntime({ maxSandboxes: 1 });
  cleanups.push(async () => {
    await runtime.close();
    await store.close();
  });
  const provider = createOpenAIProvider({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'unused', model: 'unused' });
  return { store, runtime, providers: { default: provider }, agentsDirectory: '/nonexistent-agents' };
}

describe('channel limits', () => {
  it.each([0, -5, 1, 2.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'a channel whose maxMessageLength is %s is refused when the gateway is built, naming the channel',
    async (limit) => {
      const channel = createRecordingChannel({ name: 'tiny', limits: { maxMessageLength: limit } });
      const build = async () => createGateway({ ...(await gatewayParts()), channels: [channel] });
      await expect(build()).rejects.toThrow(ConfigError);
      await expect(build()).rejects.toThrow(
        `[@ngb/core] channel "tiny": limits.maxMessageLength must be a whole number of at least 2 (UTF-16 units per message), got ${limit}`,
      );
    },
  );

  it('a channel whose maxMessageBytes is below 4 is refused, naming the channel', async () => {
    const channel = createRecordingChannel({ name: 'bytes', limits: { maxMessageLength: 100, maxMessageBytes: 3 } });
    const build = async () => createGateway({ ...(await gatewayParts()), channels: [channel] });
    await expect(build()).rejects.toThrow(
      '[@ngb/core] channel "bytes": limits.maxMessageBytes must be a whole number of at least 4 (UTF-8 bytes per message), got 3',
    );
  });

  it('a reply is split by the bytes of a channel that counts bytes, every part within them', async () => {
    harness = await createHarness({
      maxMessageLength: 100,
      maxMessageBytes: 24,
      script: [{ type: 'reply', text: '你好世界。'.repeat(4) }],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('hi');
    const texts = harness.texts();
    expect(texts.join('')).toBe('你好世界。'.repeat(4));
    expect(texts.map((text) => Buffer.byteLength(text, 'utf8'))).toEqual([24, 24, 12]);
  });

  it('a plugin channel with a bad limit is refused when the gateway starts, before anything is sent', async () => {
    const channel = createRecordingChannel({ name: 'from-plugin', limits: { maxMessageLength: 0 } });
    const plugin = definePlugin({ name: 'adds-a-channel', version: '1.0.0', setup: (api) => api.registerChannel(channel) });
    const gateway = createGateway({ ...(await gatewayParts()), plugins: [{ plugin }] });
    await expect(gateway.start()).rejects.toMatchObject({
      key: 'channels.from-plugin.limits.maxMessageLength',
      message: expect.stringContaining('channel "from-plugin"'),
    });
    expect(channel.running).toBe(false);
  });

  it('an outbound text made empty is not sent: it fails for good and the chat goes on', async () => {
    let first = true;
    const plugin = definePlugin({
      name: 'blanks-the-first-reply',
      version: '1.0.0',
      setup: (api) =>
        api.on('message:sending', ({ message }) => {
          if (!first) return undefined;
          first = false;
          return { ...message, text: '' };
        }),
    });
    harness = await createHarness({ plugins: [{ plugin }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('one');
    await harness.say('two');
    expect(harness.texts()).toEqual(['echo: two']);
    expect(harness.events).toContainEqual(
      expect.objectContaining({ type: 'delivery.failed', error: 'nothing to send: the text is empty', permanent: true }),
    );
  });
});
