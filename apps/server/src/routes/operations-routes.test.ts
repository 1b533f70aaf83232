import { createManualClock, createRecordingChannel, createRecordingWebhookRequest } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { wiredChat } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

let harness: ServerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('/readyz', () => {
  it('is 503 naming the part that does not answer, and 200 when all do', async () => {
    let runtimeUp = false;
    harness = await createServerHarness({
      server: {
        readiness: {
          store: async () => undefined,
          runtime: async () => {
            if (!runtimeUp) throw new Error('Cannot connect to the Docker daemon');
          },
        },
      },
    });
    const down = await harness.request('/readyz');
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      status: 'not_ready',
      checks: { store: { ok: true }, runtime: { ok: false, error: 'Cannot connect to the Docker daemon' } },
      channels: { fake: 'connected' },
    });
    runtimeUp = true;
    expect((await harness.request('/readyz')).status).toBe(200);
  });

  it('is 503 while a channel is disconnected', async () => {
    harness = await createServerHarness();
    await harness.channel.stop();
    const response = await harness.request('/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ channels: { fake: 'disconnected' } });
  });
});

describe('/readyz while memory is short', () => {
  it('is 503 `degraded` with the reason while above the limit, and 200 again once below 90 % of it', async () => {
    const clock = createManualClock();
    const mb = 1024 * 1024;
    const memory = { rss: 600 * mb };
    harness = await createServerHarness({
      gateway: {
        clock,
        leaseMs: 3_600_000,
        memoryLimit: { degradedAboveBytes: 512 * mb, checkIntervalMs: 1_000 },
        readMemory: () => memory.rss,
      },
    });
    const degraded = await harness.request('/readyz');
    expect(degraded.status).toBe(503);
    expect(await degraded.json()).toMatchObject({
      status: 'degraded',
      reason: 'memory 600 MB is above the limit of 512 MB: no new turns start until it is below 461 MB',
      channels: { fake: 'connected' },
    });
    expect(await (await harness.request('/api/status')).json()).toMatchObject({
      health: { state: 'degraded', reason: expect.stringContaining('600 MB') },
    });
    memory.rss = 400 * mb;
    await clock.advance(1_000);
    const ready = await harness.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
    expect(await (await harness.request('/api/status')).json()).toMatchObject({ health: { state: 'ok' } });
  });
});

describe('/metrics', () => {
  it('counts messages, turns, tool calls and tokens in the Prometheus text format', async () => {
    harness = await createServerHarness({
      script: [
        {
          type: 'reply',
          toolCalls: [{ name: 'bash', input: { command: 'echo hi' } }],
          usage: { inputTokens: 10, outputTokens: 5 },
        },
        { type: 'reply', text: 'done', usage: { inputTokens: 20, outputTokens: 7 } },
      ],
      server: { sandboxCount: async () => 3 },
    });
    const agent = (await harness.store.agents.list())[0];
    await wiredChat(harness, 'c1');
    await harness.channel.inject({
      text: 'run it',
      chat: { id: 'c1', isGroup: false },
      sender: { id: 'u1' },
      platformMessageId: 'm1',
    });
    await harness.gateway.idle();
    const response = await harness.request('/metrics');
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('ngb_messages_received_total{channel="fake"} 1');
    expect(text).toContain('ngb_messages_sent_total{channel="fake"} 1');
    expect(text).toContain('ngb_turns_total{status="succeeded"} 1');
    expect(text).toContain('ngb_tool_calls_total{name="bash"} 1');
    expect(text).toContain(`ngb_tokens_total{agent="${agent?.id}",kind="input"} 30`);
    expect(text).toContain('ngb_turn_duration_seconds_count 1');
    expect(text).toContain('ngb_sandboxes_active 3');
    expect(text).toContain('ngb_queue_depth 0');
    expect(text).toMatch(/ngb_nodejs_eventloop_lag_seconds \d/);
  });
});

describe('/channels/<name>/webhook', () => {
  it('hands the request to the channel, which checks its secret before anything is stored', async () => {
    const hooked = createRecordingChannel({ name: 'hooked', capabilities: { webhook: { secret: 'shh' } } });
    harness = await createServerHarness({ channels: [hooked] });
    const forged = createRecordingWebhookRequest({ text: 'hi', platformMessageId: 'w1' }, 'wrong');
    const refused = await harness.request('/channels/hooked/webhook', {
      method: 'POST',
      headers: forged.headers,
      body: await forged.text(),
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    const good = createRecordingWebhookRequest(
      { text: 'hi', platformMessageId: 'w1', chat: { id: 'c9', isGroup: false } },
      'shh',
    );
    const accepted = await harness.request('/channels/hooked/webhook', {
      method: 'POST',
      headers: good.headers,
      body: await good.text(),
    });
    expect(accepted.status).toBeLessThan(300);
    const stored = await harness.store.messages.search('hi');
    expect(stored.length).toBe(1);
  });

  it('answers 404 for a channel without webhooks and for an unknown name', async () => {
    harness = await createServerHarness();
    expect((await harness.request('/channels/fake/webhook', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await harness.request('/channels/nope/webhook', { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
