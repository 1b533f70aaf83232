import { definePlugin, defineTool } from '@ngb/plugin-sdk';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('plugins', () => {
  it('can change or drop inbound messages, change or cancel outbound ones, and change the system prompt', async () => {
    const plugin = definePlugin({
      name: 'shouty',
      version: '1.0.0',
      configSchema: v.object({ suffix: v.string() }),
      setup(api) {
        api.on('message:received', (message) =>
          message.text.includes('secret') ? false : { ...message, text: message.text.toUpperCase() },
        );
        api.on('message:sending', ({ message }) =>
          message.text.includes('CANCEL') ? false : { ...message, text: `${message.text}${api.config.suffix}` },
        );
        api.on('agent:start', ({ system }) => ({ system: `${system}\nALWAYS BE LOUD` }));
      },
    });
    harness = await createHarness({ plugins: [{ plugin, config: { suffix: ' !!' } }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('hello');
    await harness.say('my secret');
    await harness.say('please cancel');
    expect(harness.texts()).toEqual(['echo: HELLO !!']);
    expect(harness.llm.requests()[0]?.system).toContain('ALWAYS BE LOUD');
    expect(harness.llm.requests()).toHaveLength(2);
  });

  it('isolates a hook that throws or hangs: logged, skipped, gateway keeps working', async () => {
    const plugin = definePlugin({
      name: 'broken',
      version: '0.0.1',
      setup(api) {
        api.on('message:received', () => {
          throw new Error('kaput');
        });
        api.on('message:sending', () => new Promise(() => undefined));
      },
    });
    harness = await createHarness({ hookTimeoutMs: 50, plugins: [{ plugin }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('still works');
    expect(harness.texts()).toEqual(['echo: still works']);
    const errors = harness.events.flatMap((event) => (event.type === 'plugin.error' ? [`${event.hook}: ${event.error}`] : []));
    expect(errors).toEqual(['message:received: kaput', 'message:sending: timed out after 50 ms']);
  });

  it('times a hanging hook out on the gateway clock and passes the message on unchanged; a failing agent:start keeps the prompt', async () => {
    const clock = createManualClock();
    const plugin = definePlugin({
      name: 'stuck',
      version: '0.0.1',
      setup(api) {
        api.on('message:received', () => new Promise<never>(() => undefined));
        api.on('agent:start', () => {
          throw new Error('no prompt today');
        });
      },
    });
    harness = await createHarness({ clock, hookTimeoutMs: 7_777, plugins: [{ plugin }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    const said = harness.say('patience');
    await expect.poll(() => clock.pendingDelays()).toContain(7_777);
    expect(harness.llm.requests()).toHaveLength(0);
    await clock.advance(7_777);
    await said;
    expect(harness.texts()).toEqual(['echo: patience']);
    expect(harness.llm.requests()[0]?.system).not.toContain('no prompt today');
    const errors = harness.events.flatMap((event) => (event.type === 'plugin.error' ? [`${event.hook}: ${event.error}`] : []));
    expect(errors).toEqual(['message:received: timed out after 7777 ms', 'agent:start: no prompt today']);
  });

  it('registers tools the model can call', async () => {
    const plugin = definePlugin({
      name: 'weather',
      version: '1.0.0',
      setup(api) {
        api.registerTool(
          defineTool<{ city: string }>({
            name: 'weather',
            description: 'Weather for a city',
            inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            where: 'host',
            execute: async (input) => ({ output: `sunny in ${input.city}` }),
          }),
        );
      },
    });
    harness = await createHarness({
      plugins: [{ plugin }],
      script: [
        { type: 'reply', toolCalls: [{ name: 'weather', input: { city: 'Oslo' } }] },
        { type: 'reply', text: 'It is sunny.' },
      ],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('weather?');
    expect(harness.llm.requests()[0]?.tools.map((tool) => tool.name)).toContain('weather');
    const result = harness.llm.requests()[1]?.messages.at(-1);
    expect(result).toMatchObject({ role: 'tool', content: 'sunny in Oslo' });
    expect(harness.texts()).toEqual(['It is sunny.']);
  });

  it('refuses a plugin config that fails its schema, naming the key', async () => {
    const plugin = definePlugin({
      name: 'strict',
      version: '1.0.0',
      configSchema: v.object({ level: v.number() }),
      setup: () => undefined,
    });
    await expect(createHarness({ plugins: [{ plugin, config: { level: 'high' } }] })).rejects.toThrow(
      /plugin "strict": config key "level"/,
    );
  });
});

describe('plugin dispose', () => {
  it('runs the dispose setup returned and undoes every hook, tool, channel and provider of the plugin', async () => {
    const { createPluginHost } = await import('./plugin-host');
    const { createRecordingChannel, createRecordingLogger } = await import('@ngb/plugin-sdk/testing');
    const { systemClock } = await import('@ngb/plugin-sdk');
    const calls: string[] = [];
    const contributions = (name: string) =>
      definePlugin({
        name,
        version: '1.0.0',
        setup(api) {
          api.on('message:received', (message) => ({ ...message, text: `${message.text} [${name}]` }));
          api.registerTool(
            defineTool({
              name: `${name}_tool`,
              description: 'x',
              inputSchema: { type: 'object' },
              where: 'host',
              execute: async () => ({ output: '' }),
            }),
          );
          api.registerChannel(createRecordingChannel({ name: `${name}-channel` }));
          api.registerProvider(`${name}-model`, { specificationVersion: 1 } as never);
          return () => void calls.push(`dispose ${name}`);
        },
      });
    const host = createPluginHost({
      logger: createRecordingLogger(),
      clock: systemClock,
      hookTimeoutMs: 1_000,
      setupTimeoutMs: 1_000,
      onError: () => undefined,
      send: async () => undefined,
    });
    await host.load([{ plugin: contributions('first') }, { plugin: contributions('second') }]);
    const inbound = {
      channel: 'fake',
      chat: { id: 'c', isGroup: false },
      sender: { id: 'u', isBot: false },
      text: 'hi',
      mentionsBot: false,
      platformMessageId: 'p',
      timestamp: 1,
    };
    expect(host.tools.map((tool) => tool.name)).toEqual(['first_tool', 'second_tool']);
    expect(((await host.received(inbound)) as { text: string }).text).toBe('hi [first] [second]');

    await host.unload('first');
    expect(calls).toEqual(['dispose first']);
    expect(host.tools.map((tool) => tool.name)).toEqual(['second_tool']);
    expect(host.channels.map((channel) => channel.name)).toEqual(['second-channel']);
    expect([...host.providers.keys()]).toEqual(['second-model']);
    expect(((await host.received(inbound)) as { text: string }).text).toBe('hi [second]');

    await host.unloadAll();
    expect(calls).toEqual(['dispose first', 'dispose second']);
    expect([host.tools.length, host.channels.length, host.providers.size]).toEqual([0, 0, 0]);
    expect(((await host.received(inbound)) as { text: string }).text).toBe('hi');
  });

  it('disposes the plugins when the gateway stops', async () => {
    const calls: string[] = [];
    const plugin = definePlugin({ name: 'tidy', version: '1.0.0', setup: () => () => void calls.push('disposed') });
    harness = await createHarness({ plugins: [{ plugin }] });
    expect(calls).toEqual([]);
    await harness.close();
    harness = undefined;
    expect(calls).toEqual(['disposed']);
  });
});
