import { definePlugin, defineTool, type InboundMessage, type PluginApi, systemClock } from '@ngb/plugin-sdk';
import { createRecordingChannel, createRecordingLogger, type RecordingChannel } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';
import { createPluginHost } from './plugin-host';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A plugin named `swappy` whose every contribution carries `tag`. */
function swappy(tag: string, calls: string[], extra: { channel?: RecordingChannel } = {}) {
  return definePlugin({
    name: 'swappy',
    version: tag,
    setup(api) {
      calls.push(`setup ${tag}`);
      api.on('message:received', (message) => ({ ...message, text: `${message.text} [${tag}]` }));
      api.registerTool(
        defineTool({
          name: `${tag}_tool`,
          description: tag,
          inputSchema: { type: 'object' },
          where: 'host',
          execute: async () => ({ output: tag }),
        }),
      );
      if (extra.channel) api.registerChannel(extra.channel);
      return () => void calls.push(`dispose ${tag}`);
    },
  });
}

const toolNames = (h: Harness, request: number) => h.llm.requests()[request]?.tools.map((tool) => tool.name) ?? [];
const statuses = (h: Harness) =>
  h.events.flatMap((event) =>
    event.type === 'plugin.status' ? [`${event.plugin} ${event.state}${event.version ? ` ${event.version}` : ''}`] : [],
  );

describe('replacing a plugin at run time', () => {
  it('sets up the new instance while the old one serves, then swaps hooks, tools and channels and disposes the old one', async () => {
    const calls: string[] = [];
    const oldChannel = createRecordingChannel({ name: 'side-v1' });
    const newChannel = createRecordingChannel({ name: 'side-v2' });
    harness = await createHarness({ plugins: [{ plugin: swappy('v1', calls, { channel: oldChannel }), source: './swappy' }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('one');
    expect(oldChannel.running).toBe(true);

    const swapped = await harness.gateway.replacePlugin('swappy', async () => {
      calls.push('load v2');
      return { plugin: swappy('v2', calls, { channel: newChannel }), source: './swappy' };
    });
    expect(swapped).toEqual({ name: 'swappy', version: 'v2' });
    expect(calls).toEqual(['setup v1', 'load v2', 'setup v2', 'dispose v1']);
    await harness.say('two');

    expect(harness.texts()).toEqual(['echo: one [v1]', 'echo: two [v2]']);
    expect(toolNames(harness, 0)).toContain('v1_tool');
    expect(toolNames(harness, 1)).toContain('v2_tool');
    expect(toolNames(harness, 1)).not.toContain('v1_tool');
    expect([oldChannel.running, newChannel.running]).toEqual([false, true]);
    expect(Object.keys(harness.gateway.channelStatus())).toContain('side-v2');
    expect(statuses(harness)).toEqual(['swappy loaded v1', 'swappy reloaded v2']);
    expect(harness.events.find((event) => event.type === 'plugin.status' && event.state === 'reloaded')).toMatchObject({
      source: './swappy',
    });
  });

  it('keeps the previous instance running when the new one fails to load or to set up, and says why', async () => {
    const calls: string[] = [];
    harness = await createHarness({ plugins: [{ plugin: swappy('v1', calls), source: './swappy' }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });

    await expect(
      harness.gateway.replacePlugin('swappy', async () => {
        throw new Error('SyntaxError: Unexpected token');
      }),
    ).rejects.toThrow('Unexpected token');
    const broken = definePlugin({
      name: 'swappy',
      version: 'v2',
      setup(api) {
        api.on('message:received', () => false);
        api.registerTool(
          defineTool({
            name: 'half_tool',
            description: 'x',
            inputSchema: { type: 'object' },
            where: 'host',
            execute: async () => ({ output: '' }),
          }),
        );
        throw new Error('cannot reach the weather service');
      },
    });
    await expect(harness.gateway.replacePlugin('swappy', async () => ({ plugin: broken }))).rejects.toThrow(
      'plugin "swappy" failed to set up: cannot reach the weather service',
    );
    await harness.say('still here');

    expect(harness.texts()).toEqual(['echo: still here [v1]']);
    expect(toolNames(harness, 0)).toContain('v1_tool');
    expect(toolNames(harness, 0)).not.toContain('half_tool');
    expect(calls).toEqual(['setup v1']);
    const failures = harness.events.flatMap((event) =>
      event.type === 'plugin.status' && event.state === 'failed' ? [`${event.source}: ${event.error}`] : [],
    );
    expect(failures).toEqual([
      './swappy: SyntaxError: Unexpected token',
      './swappy: [@ngb/core] plugin "swappy" failed to set up: cannot reach the weather service',
    ]);
  });

  it('refuses a new instance whose channel is named like another channel, keeping the old one', async () => {
    const calls: string[] = [];
    harness = await createHarness({ plugins: [{ plugin: swappy('v1', calls) }] });
    const clash = createRecordingChannel({ name: 'fake' });
    await expect(
      harness.gateway.replacePlugin('swappy', async () => ({ plugin: swappy('v2', calls, { channel: clash }) })),
    ).rejects.toThrow('two channels are named "fake"');
    expect(calls).toEqual(['setup v1', 'setup v2', 'dispose v2']);
    expect(clash.running).toBe(false);
  });

  it('lets an unloaded instance neither send nor register anything', async () => {
    const apis: PluginApi[] = [];
    const keeper = (version: string) =>
      definePlugin({
        name: 'keeper',
        version,
        setup(api) {
          apis.push(api);
        },
      });
    harness = await createHarness({ plugins: [{ plugin: keeper('1') }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.gateway.replacePlugin('keeper', async () => ({ plugin: keeper('2') }));
    const old = apis[0] as PluginApi;
    await expect(old.send({ channel: 'fake', chatId: 'c1' }, 'late')).rejects.toThrow('was unloaded');
    old.on('message:received', () => false);
    await harness.say('passes');
    expect(harness.texts()).toEqual(['echo: passes']);
  });
});

describe('the plugin host during a swap', () => {
  it('finishes a hook pass that started before the swap with the instance it started with', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const twoHooks = (tag: string, wait: boolean) =>
      definePlugin({
        name: 'pair',
        version: tag,
        setup(api) {
          api.on('message:received', async (message) => {
            if (wait) await gate;
            return { ...message, text: `${message.text} first-${tag}` };
          });
          api.on('message:received', (message) => ({ ...message, text: `${message.text} second-${tag}` }));
        },
      });
    const host = createPluginHost({
      logger: createRecordingLogger(),
      clock: systemClock,
      hookTimeoutMs: 10_000,
      setupTimeoutMs: 10_000,
      onError: () => undefined,
      send: async () => undefined,
    });
    await host.load([{ plugin: twoHooks('old', true) }]);
    const inbound: InboundMessage = {
      channel: 'fake',
      chat: { id: 'c', isGroup: false },
      sender: { id: 'u' },
      text: 'hi',
      mentionsBot: false,
      platformMessageId: 'p',
      timestamp: 1,
    };
    const during = host.received(inbound);
    await host.replace('pair', async () => ({ plugin: twoHooks('new', false) }));
    release();
    expect(((await during) as InboundMessage).text).toBe('hi first-old second-old');
    expect(((await host.received(inbound)) as InboundMessage).text).toBe('hi first-new second-new');
  });
});

describe('PluginApi.send', () => {
  it('queues a plain text in the outbox, delivered through the plugins’ message:sending like any message', async () => {
    const echoer = definePlugin({
      name: 'pong',
      version: '1.0.0',
      setup(api) {
        api.on('message:received', async (message) => {
          if (message.text !== 'ping') return undefined;
          await api.send({ channel: message.channel, chatId: message.chat.id }, 'pong');
          return false;
        });
        api.on('message:sending', ({ message }) => ({ ...message, text: `${message.text}!` }));
      },
    });
    harness = await createHarness({ plugins: [{ plugin: echoer }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('ping');
    expect(harness.channel.sent.map((sent) => [sent.message.text, sent.message.format])).toEqual([['pong!', 'plain']]);
    expect(harness.llm.requests()).toHaveLength(0);
    // A chat the gateway does not serve gets nothing, whatever a plugin asks.
    await harness.say('ping', { chatId: 'stranger' });
    expect(harness.channel.sent).toHaveLength(1);
    expect(harness.events).toContainEqual(
      expect.objectContaining({
        type: 'plugin.error',
        plugin: 'pong',
        error: '[@ngb/core] plugin "pong": fake:stranger is not a chat the gateway serves',
      }),
    );
  });
});
