import { ConfigError } from '@ngb/plugin-sdk';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { createLocalRuntime } from '@ngb/runtime';
import { createSqliteStore } from '@ngb/store';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';
import { createGateway } from './create-gateway';
import type { GatewayOptions } from './gateway-options';

const mb = 1024 * 1024;
const hour = 3_600_000;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Lets the gateway's promise chains run (the manual clock fires no timer by itself). */
const settle = async () => {
  for (let round = 0; round < 20; round += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('gateway short of memory', () => {
  it('stores messages and starts no turn while degraded, reaps the idle sandbox, then runs each waiting message once', async () => {
    const clock = createManualClock();
    const memory = { rss: 200 * mb };
    const runtime = createLocalRuntime({ maxSandboxes: 4 });
    harness = await createHarness({
      runtime,
      clock,
      leaseMs: hour,
      typingIntervalMs: hour,
      memoryLimit: { degradedAboveBytes: 500 * mb, checkIntervalMs: 1_000 },
      readMemory: () => memory.rss,
    });
    const current = harness;
    const agent = await current.addAgent('main', { isMain: true });
    await current.addChat('c1', { agent });
    await current.say('run: echo warm');
    const warm = current.texts()[0];
    expect(warm).toMatch(/^`echo warm` printed:/);
    expect(await runtime.list()).toHaveLength(1);

    memory.rss = 600 * mb;
    await clock.advance(1_000);
    await settle();
    expect(current.gateway.health()).toMatchObject({ state: 'degraded', reason: expect.stringContaining('600 MB') });
    expect(current.events.filter((event) => event.type === 'gateway.health').map((event) => event.health.state)).toEqual([
      'degraded',
    ]);
    await expect.poll(() => runtime.list()).toHaveLength(0);
    await expect.poll(() => current.events.find((event) => event.type === 'sandbox.reaped')).toMatchObject({ count: 1 });

    const requests = current.llm.requests().length;
    await current.channel.inject({
      text: 'first while short',
      chat: { id: 'c1', isGroup: false },
      sender: { id: 'u1', name: 'U' },
    });
    await current.channel.inject({
      text: 'second while short',
      chat: { id: 'c1', isGroup: false },
      sender: { id: 'u1', name: 'U' },
    });
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(current.llm.requests()).toHaveLength(requests);
    expect(current.gateway.queueState().running).toEqual([]);
    expect(current.gateway.queueState().waiting).toHaveLength(1);
    expect(current.texts()).toHaveLength(1);

    // Still above the lower threshold (90 % of the limit): still degraded.
    memory.rss = 460 * mb;
    await clock.advance(1_000);
    await settle();
    expect(current.gateway.health().state).toBe('degraded');
    expect(current.llm.requests()).toHaveLength(requests);

    memory.rss = 400 * mb;
    await clock.advance(1_000);
    await current.gateway.idle();
    expect(current.gateway.health()).toEqual({ state: 'ok' });
    expect(current.llm.requests()).toHaveLength(requests + 1);
    // Both waiting messages went into one turn, which ran once.
    expect(current.texts()).toEqual([warm, 'echo: second while short']);
    expect(current.events.filter((event) => event.type === 'gateway.health').map((event) => event.health.state)).toEqual([
      'degraded',
      'ok',
    ]);
  });

  it.each<[string, Partial<GatewayOptions>, string]>([
    ['readMemory', { memoryLimit: { degradedAboveBytes: 500 * mb } }, ': pass how to read resident memory with "memoryLimit"'],
    [
      'memoryLimit.recoverBelowBytes',
      { memoryLimit: { degradedAboveBytes: 500 * mb, recoverBelowBytes: 500 * mb }, readMemory: () => 0 },
      ' is invalid: must be below degradedAboveBytes',
    ],
    [
      'memoryLimit.degradedAboveBytes',
      { memoryLimit: { degradedAboveBytes: 512 }, readMemory: () => 0 },
      ' is invalid: must be at least',
    ],
  ])('refuses a memory limit with a bad %s, naming it', async (key, options, message) => {
    const store = await createSqliteStore({ path: ':memory:' });
    const runtime = createLocalRuntime();
    try {
      const attempt = () => createGateway({ store, runtime, providers: {}, agentsDirectory: '/srv/ngb/agents', ...options });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(`[@ngb/core] option "${key}"${message}`);
    } finally {
      await runtime.close();
      await store.close();
    }
  });
});
