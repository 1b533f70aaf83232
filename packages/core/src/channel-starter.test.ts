import { createOpenAIProvider } from '@ngb/llm-openai';
import { type ChannelAdapter, ChannelApiError, type ChannelContext, type ChannelStatus } from '@ngb/plugin-sdk';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { createLocalRuntime } from '@ngb/runtime';
import { createSqliteStore } from '@ngb/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultChannelRestartDelaysMs, defaultChannelStartTimeoutMs } from './channel-starter';
import { createGateway } from './create-gateway';
import type { Gateway } from './gateway-options';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A channel whose `start` fails with the given errors in turn, then connects. */
function flakyChannel(name: string, failures: unknown[]) {
  const events: string[] = [];
  const channel: ChannelAdapter = {
    specificationVersion: 1,
    name,
    limits: { maxMessageLength: 100 },
    async start(context: ChannelContext) {
      events.push('start');
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      context.setStatus({ state: 'connected' });
    },
    async stop() {
      events.push('stop');
    },
    async send() {
      return { platformMessageId: '1' };
    },
  };
  return { channel, events };
}

/** A gateway over the given channels, not started yet. */
async function openGateway(channels: ChannelAdapter[]) {
  const clock = createManualClock();
  const store = await createSqliteStore({ path: ':memory:' });
  const runtime = createLocalRuntime({ maxSandboxes: 1 });
  const provider = createOpenAIProvider({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'unused', model: 'unused' });
  const gateway: Gateway = createGateway({
    store,
    runtime,
    providers: { default: provider },
    agentsDirectory: '/nonexistent-agents',
    channels,
    clock,
  });
  const statuses: Array<{ channel: string; status: ChannelStatus }> = [];
  gateway.events.on((event) => {
    if (event.type === 'channel.status') statuses.push({ channel: event.channel, status: event.status });
  });
  cleanups.push(async () => {
    await gateway.stop({ graceMs: 0 });
    await runtime.close();
    await store.close();
  });
  return { gateway, clock, statuses };
}

async function startGateway(channels: ChannelAdapter[]) {
  const opened = await openGateway(channels);
  await opened.gateway.start();
  return opened;
}

/** A channel whose first `start` never settles by itself (it connects late, once stopped); later ones connect. */
function silentChannel(name: string) {
  const events: string[] = [];
  let release: (() => void) | undefined;
  const channel: ChannelAdapter = {
    specificationVersion: 1,
    name,
    limits: { maxMessageLength: 100 },
    async start(context: ChannelContext) {
      events.push('start');
      if (events.filter((event) => event === 'start').length === 1) {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        // The abandoned attempt ends late and claims to be connected.
        context.setStatus({ state: 'connected' });
        return;
      }
      context.setStatus({ state: 'connected' });
    },
    async stop() {
      events.push('stop');
      release?.();
    },
    async send() {
      return { platformMessageId: '1' };
    },
  };
  return { channel, events };
}

describe('starting channels', () => {
  it.each([
    [401, 'token rejected (401)'],
    [403, 'missing permission (403)'],
  ])(
    'a platform answering %i marks the channel failed, never retries it, and the other channels start',
    async (status, words) => {
      const refused = flakyChannel('refused', [new ChannelApiError('refused', 'Unauthorized', { status })]);
      const fine = flakyChannel('fine', []);
      const { gateway, clock, statuses } = await startGateway([refused.channel, fine.channel]);
      expect(gateway.channelStatus()).toMatchObject({ refused: 'failed', fine: 'connected' });
      expect(statuses.find((entry) => entry.channel === 'refused')?.status).toEqual({
        state: 'failed',
        error: `${words}: Unauthorized`,
      });
      await clock.advance(10 * 60_000);
      expect(refused.events).toEqual(['start']);
      expect(clock.pendingDelays()).toEqual([]);
    },
  );

  it('any other failure marks it disconnected and starts it again with backoff until it connects', async () => {
    const flaky = flakyChannel('flaky', [
      new ChannelApiError('flaky', 'connect ECONNREFUSED', { status: 502 }),
      new Error('socket hang up'),
    ]);
    const { gateway, clock, statuses } = await startGateway([flaky.channel]);
    expect(gateway.channelStatus()).toMatchObject({ flaky: 'disconnected' });
    expect(clock.pendingDelays()).toContain(defaultChannelRestartDelaysMs[0]);
    await clock.advance(defaultChannelRestartDelaysMs[0] ?? 0);
    expect(gateway.channelStatus()).toMatchObject({ flaky: 'disconnected' });
    expect(clock.pendingDelays()).toContain(defaultChannelRestartDelaysMs[1]);
    await clock.advance(defaultChannelRestartDelaysMs[1] ?? 0);
    expect(gateway.channelStatus()).toMatchObject({ flaky: 'connected' });
    // Each failed attempt is stopped before the next one, so nothing half-open is left behind.
    expect(flaky.events).toEqual(['start', 'stop', 'start', 'stop', 'start']);
    expect(statuses.filter((entry) => entry.channel === 'flaky').map((entry) => entry.status.state)).toEqual([
      'disconnected',
      'disconnected',
      'connected',
    ]);
  });

  it('stopping the gateway cancels a pending restart', async () => {
    const flaky = flakyChannel('flaky', [new Error('socket hang up')]);
    const { gateway, clock } = await startGateway([flaky.channel]);
    await gateway.stop({ graceMs: 0 });
    await clock.advance(60_000);
    expect(flaky.events.filter((event) => event === 'start')).toHaveLength(1);
  });

  it('a start that says nothing within the start timeout is stopped, marked disconnected and started again', async () => {
    const silent = silentChannel('silent');
    const fine = flakyChannel('fine', []);
    const { gateway, clock, statuses } = await openGateway([silent.channel, fine.channel]);
    let started = false;
    const starting = gateway.start().then(() => {
      started = true;
    });
    await vi.waitFor(() => expect(clock.pendingDelays()).toContain(defaultChannelStartTimeoutMs));
    await clock.advance(defaultChannelStartTimeoutMs - 1);
    // The other channel did not wait for the silent one.
    expect(fine.events).toEqual(['start']);
    expect(started).toBe(false);
    await clock.advance(1);
    await starting;
    expect(statuses.find((entry) => entry.channel === 'silent')?.status).toEqual({
      state: 'disconnected',
      error: `did not connect within ${defaultChannelStartTimeoutMs} ms`,
    });
    // The late "connected" of the abandoned attempt is not believed.
    expect(silent.events).toEqual(['start', 'stop']);
    expect(gateway.channelStatus()).toMatchObject({ silent: 'disconnected', fine: 'connected' });
    await clock.advance(defaultChannelRestartDelaysMs[0] ?? 0);
    expect(silent.events).toEqual(['start', 'stop', 'start']);
    expect(gateway.channelStatus()).toMatchObject({ silent: 'connected' });
  });
});
