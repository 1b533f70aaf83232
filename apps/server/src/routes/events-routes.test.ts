import type { TimedGatewayEvent } from '@ngb/core';
import { afterEach, describe, expect, it } from 'vitest';
import { wiredChat } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';
import { readSse, seqOfId } from '../__tests__/sse-reader';

let harness: ServerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const parse = (data: string) => JSON.parse(data) as TimedGatewayEvent;

async function wiredHarness(options: Parameters<typeof createServerHarness>[0] = {}) {
  const built = await createServerHarness(options);
  await wiredChat(built, 'c1');
  return built;
}

let counter = 0;
function say(built: ServerHarness, text: string) {
  counter += 1;
  return built.channel.inject({
    text,
    chat: { id: 'c1', isGroup: false },
    sender: { id: 'u1', name: 'U' },
    platformMessageId: `m${counter}`,
  });
}

describe('GET /api/events', () => {
  it('streams the bus with its run and sequence numbers as ids, and resumes after a disconnect losing no event', async () => {
    harness = await wiredHarness({
      script: [
        { type: 'reply', text: ['one ', 'two'] },
        { type: 'reply', text: 'three' },
      ],
    });
    const first = readSse(await harness.request('/api/events'));
    await say(harness, 'hello');
    const before = await first.until((message) => parse(message.data).type === 'turn.end');
    const ids = before.map((message) => seqOfId(message.id));
    expect(ids).toEqual(before.map((message) => parse(message.data).seq));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(before.map((message) => message.id?.split('-')[0])).size).toBe(1);
    const lastSeen = ids.at(-1) as number;
    const lastId = before.at(-1)?.id as string;
    await first.cancel();

    // While nobody listens, a second turn runs.
    await harness.gateway.idle();
    await say(harness, 'again');
    await harness.gateway.idle();
    const missedWhileAway = harness.gateway.events.since(lastSeen).events.map((event) => event.seq);
    expect(missedWhileAway.length).toBeGreaterThan(3);

    // As a browser does: the id it last saw, as the stream sent it.
    const resumed = readSse(await harness.request('/api/events', { headers: { 'last-event-id': lastId } }));
    const replayed = await resumed.until((message) => seqOfId(message.id) === missedWhileAway.at(-1));
    expect(replayed.map((message) => seqOfId(message.id))).toEqual(missedWhileAway);
    expect(replayed.some((message) => parse(message.data).type === 'turn.end')).toBe(true);
    await resumed.cancel();
    // A bare sequence number (a script's `?after=`) is taken as this run's.
    const bare = readSse(await harness.request(`/api/events?after=${lastSeen}`));
    const bareReplay = await bare.until((message) => seqOfId(message.id) === missedWhileAway.at(-1));
    expect(bareReplay.map((message) => seqOfId(message.id))).toEqual(missedWhileAway);
    await bare.cancel();
  });

  it("starts a client whose last event came from an earlier run from this run's first event, and says it missed some", async () => {
    harness = await wiredHarness();
    for (let index = 0; index < 5; index += 1) harness.gateway.events.emit({ type: 'sandbox.reaped', count: index });
    // The earlier run got further than this one: its number would name an event this run has not had.
    // Or not as far: its number names an event of this run, not the one the client saw.
    for (const lastEventId of ['0badc0de-900', '0badc0de-2', '900']) {
      const stream = readSse(await harness.request('/api/events', { headers: { 'last-event-id': lastEventId } }));
      const missed = await stream.next();
      expect(missed?.event).toBe('missed');
      expect(parse(missed?.data ?? '{}')).toEqual({ after: 0, restarted: true });
      const replay = await stream.until((message) => seqOfId(message.id) === 5);
      expect(replay.map((message) => seqOfId(message.id))).toEqual([1, 2, 3, 4, 5]);
      await stream.cancel();
    }
  });

  it('filters by session and by agent', async () => {
    harness = await wiredHarness({ script: [{ type: 'reply', text: 'hi' }] });
    const agent = (await harness.store.agents.list())[0];
    const other = readSse(await harness.request('/api/events?agent=some-other-agent'));
    const mine = readSse(await harness.request(`/api/events?agent=${agent?.id}`));
    await say(harness, 'hello');
    const events = (await mine.until((message) => parse(message.data).type === 'turn.end')).map((message) => parse(message.data));
    const sessionId = events.find((event) => event.type === 'turn.start' && 'sessionId' in event)?.sessionId;
    expect(sessionId).toBeDefined();
    // Events without an agent of their own (text deltas) are matched through their session.
    expect(events.some((event) => event.type === 'text.delta')).toBe(true);
    for (const event of events) if ('sessionId' in event) expect(event.sessionId).toBe(sessionId);
    await harness.gateway.idle();
    // The other agent's stream saw nothing of this turn: the first thing it gets is a marker of its own agent.
    harness.gateway.events.emit({
      type: 'message.dropped',
      agentId: 'some-other-agent',
      reason: 'marker',
      channel: 'fake',
      chatId: 'c1',
    });
    const firstOther = await other.next();
    expect(parse(firstOther?.data ?? '{}')).toMatchObject({ type: 'message.dropped', reason: 'marker' });
    const sessionStream = readSse(await harness.request(`/api/events?session=${sessionId}&after=0`));
    const replay = await sessionStream.until((message) => parse(message.data).type === 'turn.end');
    expect(replay.every((message) => 'sessionId' in parse(message.data))).toBe(true);
    await Promise.all([other.cancel(), mine.cancel(), sessionStream.cancel()]);
  });

  it('says so when the events asked for already left the buffer', async () => {
    harness = await wiredHarness({ gateway: { eventBufferSize: 10 } });
    for (let index = 0; index < 30; index += 1) harness.gateway.events.emit({ type: 'sandbox.reaped', count: index });
    const stream = readSse(await harness.request('/api/events', { headers: { 'last-event-id': '1' } }));
    const first = await stream.next();
    expect(first?.event).toBe('missed');
    const next = await stream.next();
    expect(seqOfId(next?.id)).toBe(harness.gateway.events.lastSeq() - 9);
    await stream.cancel();
  });

  it('drops a client that stops reading, and the gateway never waits for it', async () => {
    harness = await wiredHarness();
    const response = await harness.request('/api/events');
    const big = 'x'.repeat(64 * 1024);
    // 64 KiB events: past the 1 MiB queue after ~16 of them. Emitting stays synchronous and quick.
    for (let index = 0; index < 100; index += 1) {
      harness.gateway.events.emit({ type: 'plugin.error', plugin: 'p', hook: 'h', error: big });
    }
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let bytes = 0;
    const ending = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return 'ended';
        bytes += value.byteLength;
      }
    })().catch((error: Error) => error.message);
    // The stream was cut by itself, having queued no more than its limit (plus the event that overflowed it).
    expect(ending).toBe('the client fell too far behind');
    expect(bytes).toBeLessThan(1024 * 1024 + 2 * big.length);
  });

  it('refuses a Last-Event-ID that is not an event id', async () => {
    harness = await wiredHarness();
    for (const lastEventId of ['abc', '-1', '1e3', 'abc-', 'a b-1', 'A1-1', `${'a'.repeat(17)}-1`, '1'.repeat(16), 'x-1-2']) {
      const response = await harness.request('/api/events', { headers: { 'last-event-id': lastEventId } });
      expect(response.status, lastEventId).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    }
  });
});
