import { ConfigError, type LlmProvider } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';
import { createResolveProvider } from './resolve-provider';

const provider = (name: string): LlmProvider => ({ specificationVersion: 1, name, doStream: () => ({}) as never }) as never;

describe('resolveProvider', () => {
  const openai = provider('openai');
  const fallback = provider('default');

  it('picks the named provider, else `default`, else the only one', () => {
    expect(
      createResolveProvider(
        () =>
          new Map([
            ['openai', openai],
            ['default', fallback],
          ]),
      )({ folder: 'a', model: { provider: 'openai' } }),
    ).toBe(openai);
    expect(
      createResolveProvider(
        () =>
          new Map([
            ['openai', openai],
            ['default', fallback],
          ]),
      )({ folder: 'a', model: {} }),
    ).toBe(fallback);
    expect(createResolveProvider(() => new Map([['openai', openai]]))({ folder: 'a', model: {} })).toBe(openai);
  });

  it('refuses an unknown provider name with a ConfigError naming the key, never another vendor', () => {
    const resolve = createResolveProvider(
      () =>
        new Map([
          ['openai', openai],
          ['default', fallback],
        ]),
    );
    let thrown: unknown;
    try {
      resolve({ folder: 'andy', model: { provider: 'anthropic' } });
    } catch (error) {
      thrown = error;
    }
    expect(ConfigError.isInstance(thrown)).toBe(true);
    expect((thrown as ConfigError).key).toBe('agents.andy.model.provider');
    expect((thrown as ConfigError).message).toMatch(
      /no model provider "anthropic" is configured \(configured: openai, default\)/,
    );
  });

  it('refuses to guess among several providers when the agent names none and none is `default`', () => {
    const resolve = createResolveProvider(
      () =>
        new Map([
          ['openai', openai],
          ['other', fallback],
        ]),
    );
    expect(() => resolve({ folder: 'andy', model: {} })).toThrow(/agents\.andy\.model\.provider/);
  });
});

describe('a turn of an agent naming an unknown provider', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
  });

  it('fails with the ConfigError and never calls the configured provider', async () => {
    harness = await createHarness({ retryDelaysMs: [] });
    const agent = await harness.addAgent('andy');
    await harness.store.agents.update(agent.id, { model: { provider: 'anthropic' } });
    await harness.addChat('c1', { agent });
    await harness.say('hello');
    expect(harness.llm.requests()).toHaveLength(0);
    const ended = harness.events.find((event) => event.type === 'turn.end');
    expect(ended).toMatchObject({ status: 'failed', error: expect.stringContaining('agents.andy.model.provider') });
    expect(harness.texts()).toEqual(['Sorry, I could not answer that (ConfigError). Please try again later.']);
  });
});
