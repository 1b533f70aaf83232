import { ConfigError } from '@ngb/plugin-sdk';
import { createLocalRuntime } from '@ngb/runtime';
import { createSqliteStore } from '@ngb/store';
import { describe, expect, it } from 'vitest';
import { createGateway } from './create-gateway';
import type { GatewayOptions } from './gateway-options';

describe('createGateway options', () => {
  // A timer past 2^31-1 ms fires at once: 3,000,000 s of tool time made every call time out at once.
  it.each<[string, Partial<GatewayOptions>]>([
    ['toolTimeoutMs', { toolTimeoutMs: 3_000_000_000 }],
    ['toolTimeoutMs', { toolTimeoutMs: 86_400_001 }],
    ['hookTimeoutMs', { hookTimeoutMs: 2 ** 31 }],
    ['typingIntervalMs', { typingIntervalMs: 2 ** 31 }],
    ['retryDelaysMs.0', { retryDelaysMs: [2 ** 31] }],
    ['deliveryRetryDelaysMs.1', { deliveryRetryDelaysMs: [1_000, 3e12] }],
    ['streaming.telegram.editIntervalMs', { streaming: { telegram: { editIntervalMs: 2 ** 31 } } }],
  ])('refuses a %s no timer can wait, naming it', async (key, options) => {
    const store = await createSqliteStore({ path: ':memory:' });
    const runtime = createLocalRuntime();
    try {
      const attempt = () => createGateway({ store, runtime, providers: {}, agentsDirectory: '/srv/ngb/agents', ...options });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(new RegExp(`^\\[@ngb/core\\] option "${key.replaceAll('.', '\\.')}" is invalid: must be at most`));
    } finally {
      await runtime.close();
      await store.close();
    }
  });

  it('refuses streaming settings that are not whole positive numbers, naming the channel and the key', async () => {
    const store = await createSqliteStore({ path: ':memory:' });
    const runtime = createLocalRuntime();
    try {
      const attempt = () =>
        createGateway({
          store,
          runtime,
          providers: {},
          agentsDirectory: '/srv/ngb/agents',
          streaming: { slack: { firstAfterChars: 0 } },
        });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(/^\[@ngb\/core\] option "streaming\.slack\.firstAfterChars" is invalid: /);
    } finally {
      await runtime.close();
      await store.close();
    }
  });
});
