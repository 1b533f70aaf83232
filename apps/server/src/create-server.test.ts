import { type ChannelAdapter, ConfigError } from '@ngb/plugin-sdk';
import { createRecordingChannel } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createServerHarness, type ServerHarness } from './__tests__/server-harness';
import { readSse } from './__tests__/sse-reader';
import { checkExposure, createServer } from './create-server';

let harness: ServerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('checkExposure', () => {
  it.each([
    ['0.0.0.0', undefined, 'refusing to listen on 0.0.0.0 without an auth token'],
    ['192.168.1.5', undefined, 'without an auth token'],
    ['::', undefined, 'without an auth token'],
    ['127.0.0.1', 'short', 'use at least 16'],
  ])('refuses %s with token %s', (host, token, reason) => {
    let error: unknown;
    try {
      checkExposure(host, token);
    } catch (thrown) {
      error = thrown;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(reason);
  });

  it.each([
    ['127.0.0.1', undefined],
    ['127.8.9.10', undefined],
    ['localhost', undefined],
    ['::1', undefined],
    ['0.0.0.0', 'a-token-of-sixteen+'],
  ])('accepts %s with token %s', (host, token) => {
    expect(() => checkExposure(host, token)).not.toThrow();
  });
});

describe('createServer', () => {
  it('drains a request in flight on close, ends live streams, and takes no new connection', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: () => void = () => undefined;
    const inFlight = new Promise<void>((resolve) => {
      started = resolve;
    });
    const slow: ChannelAdapter & { handleWebhook(request: Request): Promise<Response> } = {
      ...createRecordingChannel({ name: 'slow' }),
      async handleWebhook() {
        started();
        await gate;
        return new Response('ok');
      },
    };
    harness = await createServerHarness({ channels: [slow] });
    const server = await createServer({ gateway: harness.gateway, store: harness.store, channels: [slow], port: 0 });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const events = readSse(await fetch(`${server.url}/api/events`));
    const pending = fetch(`${server.url}/channels/slow/webhook`, { method: 'POST', body: '{}' });
    await inFlight;
    const closing = server.close({ graceMs: 10_000 });
    // The live stream ends at once; the webhook still gets its answer.
    expect(await events.next()).toBeUndefined();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    release();
    const answered = await pending;
    expect(answered.status).toBe(200);
    expect(await answered.text()).toBe('ok');
    await closing;
  });

  it('cuts what is left when the grace period ends', async () => {
    const stuck: ChannelAdapter & { handleWebhook(request: Request): Promise<Response> } = {
      ...createRecordingChannel({ name: 'stuck' }),
      handleWebhook: () => new Promise<Response>(() => undefined),
    };
    harness = await createServerHarness({ channels: [stuck] });
    const server = await createServer({ gateway: harness.gateway, store: harness.store, channels: [stuck], port: 0 });
    const pending = fetch(`${server.url}/channels/stuck/webhook`, { method: 'POST', body: '{}' }).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close({ graceMs: 100 });
    expect(await pending).toBe('cut');
  });

  it('fails to start on a port in use, saying so', async () => {
    harness = await createServerHarness();
    const first = await createServer({ gateway: harness.gateway, store: harness.store, port: 0 });
    try {
      await expect(createServer({ gateway: harness.gateway, store: harness.store, port: first.port })).rejects.toThrow(
        /EADDRINUSE/,
      );
    } finally {
      await first.close();
    }
  });
});
