import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mainAgentId, wiredChat } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

let harness: ServerHarness;
beforeAll(async () => {
  harness = await createServerHarness({
    script: [
      { type: 'reply', text: 'one', usage: { inputTokens: 100, outputTokens: 10 } },
      { type: 'reply', text: 'two', usage: { inputTokens: 50, outputTokens: 5 } },
    ],
  });
});
afterAll(() => harness.close());

describe('GET /api/usage', () => {
  it('sums tokens per agent and counts turns per minute over the last hour', async () => {
    const before = Date.now();
    await wiredChat(harness, 'usage-1');
    await wiredChat(harness, 'usage-2');
    await harness.channel.inject({ text: 'first', chat: { id: 'usage-1', isGroup: false } });
    await harness.channel.inject({ text: 'second', chat: { id: 'usage-2', isGroup: false } });
    await harness.gateway.idle();
    const answer = await call(harness, 'GET', '/api/usage');
    expect(answer.status).toBe(200);
    expect(answer.body.since).toBe(0);
    expect(answer.body.agents).toEqual([
      expect.objectContaining({
        agentId: await mainAgentId(harness),
        agentName: 'main',
        turns: 2,
        inputTokens: 150,
        outputTokens: 15,
      }),
    ]);
    const minutes = answer.body.turnsPerMinute as Array<{ minute: number; succeeded: number; failed: number }>;
    expect(minutes).toHaveLength(60);
    expect(minutes.reduce((sum, minute) => sum + minute.succeeded, 0)).toBe(2);
    expect(minutes.at(-1)?.minute).toBeGreaterThanOrEqual(Math.floor(before / 60_000) * 60_000);

    const later = await call(harness, 'GET', `/api/usage?since=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(later.body.agents[0]).toMatchObject({ turns: 0, inputTokens: 0 });
    expect((await call(harness, 'GET', '/api/usage?since=last-week')).status).toBe(400);
  });
});
