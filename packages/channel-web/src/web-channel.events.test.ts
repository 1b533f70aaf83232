import { createManualClock, type ManualClock } from '@ngb/plugin-sdk/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebChannel, type WebChannel } from './web-channel';
import { createTestContext, harnessSecret, visitorCookie } from './web-channel-harness';
import { type ReadEvent, readWebEvents } from './web-event-reader';
import type { WebChannelOptions } from './web-options';

const ann = { channel: 'web', chatId: 'ann' };

function eventsRequest(visitor: string, options: { lastEventId?: string; query?: string } = {}): Request {
  const headers: Record<string, string> = { cookie: visitorCookie(visitor) };
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  return new Request(`http://localhost/chat/api/events${options.query ?? ''}`, { headers });
}

const summary = (events: ReadEvent[]) =>
  events.map((event) => {
    const data = JSON.parse(event.data ?? '{}') as { text?: string; id?: string };
    return `${event.id} ${event.event} ${data.text ?? ''}`.trim();
  });

describe('GET /chat/api/events and /chat/api/history', () => {
  let clock: ManualClock;
  let channel: WebChannel;
  let test: ReturnType<typeof createTestContext>;

  const create = async (options: Partial<WebChannelOptions> = {}) => {
    channel = createWebChannel({ secret: harnessSecret, clock, ...options });
    await channel.start(test.context);
  };
  const say = (text: string, address = ann) => channel.send(address, { text, format: 'markdown' });
  /** The visitor's page reads its history, which names the latest event id: from now on it knows this run's ids. */
  const readHistory = (visitor = 'ann') =>
    channel.handleRequest(new Request('http://localhost/chat/api/history', { headers: { cookie: visitorCookie(visitor) } }));

  beforeEach(async () => {
    clock = createManualClock();
    test = createTestContext();
    await create();
  });
  afterEach(() => channel.stop());

  it('streams the agent messages, edits, deletions and typing of this visitor only, each with an id', async () => {
    const response = await channel.handleRequest(eventsRequest('ann'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = readWebEvents(response);
    await channel.sendTyping(ann);
    const { platformMessageId } = await say('Hel');
    await say('for bob', { channel: 'web', chatId: 'bob' });
    await channel.edit(ann, platformMessageId, 'Hello, wor', 'markdown');
    await channel.edit(ann, platformMessageId, 'Hello, **world**', 'markdown');
    await channel.delete(ann, platformMessageId);
    const events = await reader.until((event) => event.event === 'delete');
    expect(summary(events)).toEqual(['1 typing', '2 message Hel', '3 edit Hello, wor', '4 edit Hello, **world**', '5 delete']);
    expect(JSON.parse(events[3]?.data ?? '')).toEqual({
      id: platformMessageId,
      text: 'Hello, **world**',
      format: 'markdown',
      at: clock.now(),
    });
    await reader.cancel();
  });

  it('keeps what is sent while the visitor has no page open, and delivers it on the next connection only', async () => {
    await say('while you were away');
    await say('and this');
    const first = readWebEvents(await channel.handleRequest(eventsRequest('ann')));
    expect(summary(await first.until((event) => event.id === '2'))).toEqual([
      '1 message while you were away',
      '2 message and this',
    ]);
    await first.cancel();
    // A second page (or a reload) is not sent again what a connection already got: it reads the history.
    const second = readWebEvents(await channel.handleRequest(eventsRequest('ann')));
    await say('new');
    expect(summary(await second.until(() => true))).toEqual(['3 message new']);
    await second.cancel();
  });

  it('resumes after Last-Event-ID losing nothing, from the header or the query', async () => {
    const first = readWebEvents(await channel.handleRequest(eventsRequest('ann')));
    const { platformMessageId } = await say('one');
    await say('two');
    expect(summary(await first.until((event) => event.id === '2'))).toEqual(['1 message one', '2 message two']);
    await first.cancel();
    await say('three');
    await channel.edit(ann, platformMessageId, 'one, edited', 'markdown');
    await channel.sendTyping(ann);
    const resumed = readWebEvents(await channel.handleRequest(eventsRequest('ann', { lastEventId: '2' })));
    await say('four');
    expect(summary(await resumed.until((event) => event.id === '6'))).toEqual([
      '3 message three',
      '4 edit one, edited',
      '5 typing',
      '6 message four',
    ]);
    await resumed.cancel();
    const fromQuery = readWebEvents(await channel.handleRequest(eventsRequest('ann', { query: '?lastEventId=4' })));
    expect(summary(await fromQuery.until((event) => event.id === '6'))).toEqual(['5 typing', '6 message four']);
    await fromQuery.cancel();
  });

  it('resumes from a buffer of eventBufferSize events, and says reset when the id is older than it', async () => {
    await channel.stop();
    await create({ eventBufferSize: 3 });
    await readHistory();
    for (const text of ['1', '2', '3', '4', '5']) await say(text);
    const within = readWebEvents(await channel.handleRequest(eventsRequest('ann', { lastEventId: '2' })));
    expect(summary(await within.until((event) => event.id === '5'))).toEqual(['3 message 3', '4 message 4', '5 message 5']);
    await within.cancel();
    const older = readWebEvents(await channel.handleRequest(eventsRequest('ann', { lastEventId: '1' })));
    expect(summary(await older.until(() => true))).toEqual(['5 reset']);
    await older.cancel();
    const unknown = readWebEvents(await channel.handleRequest(eventsRequest('ann', { lastEventId: '99' })));
    expect(summary(await unknown.until(() => true))).toEqual(['5 reset']);
    await unknown.cancel();
  });

  it("says reset to an id this conversation never showed a client (an earlier run's), even one this run already passed", async () => {
    // After a restart the gateway finishes a reply before the page is back: this run counts from 1 again.
    for (const text of ['1', '2', '3', '4', '5']) await say(text);
    const back = readWebEvents(await channel.handleRequest(eventsRequest('ann', { lastEventId: '2' })));
    expect(summary(await back.until(() => true))).toEqual(['5 reset']);
    await back.cancel();
    // Once a stream showed this run's ids, the same number resumes after it.
    const resumed = readWebEvents(await channel.handleRequest(eventsRequest('ann', { lastEventId: '2' })));
    expect(summary(await resumed.until((event) => event.id === '5'))).toEqual(['3 message 3', '4 message 4', '5 message 5']);
    await resumed.cancel();
  });

  it('bounds the buffer by the weight of its events too, keeping the newest one always', async () => {
    await channel.stop();
    await create({ eventBufferChars: 500 });
    await readHistory();
    const { platformMessageId } = await say('a'.repeat(100));
    await channel.edit(ann, platformMessageId, 'b'.repeat(150), 'markdown');
    await channel.edit(ann, platformMessageId, 'c'.repeat(150), 'markdown');
    const recent = readWebEvents(await channel.handleRequest(eventsRequest('ann', { lastEventId: '1' })));
    expect(summary(await recent.until((event) => event.id === '3')).map((line) => line.slice(0, 9))).toEqual([
      '2 edit bb',
      '3 edit cc',
    ]);
    await recent.cancel();
    const older = readWebEvents(await channel.handleRequest(eventsRequest('ann', { lastEventId: '0' })));
    expect(summary(await older.until(() => true))).toEqual(['3 reset']);
    await older.cancel();
    await say('d'.repeat(1_000));
    const newest = readWebEvents(await channel.handleRequest(eventsRequest('ann', { lastEventId: '3' })));
    expect(summary(await newest.until(() => true))).toEqual([`4 message ${'d'.repeat(1_000)}`]);
    await newest.cancel();
  });

  it('keeps one typing event in the buffer, so typing never pushes messages out', async () => {
    await channel.stop();
    await create({ eventBufferSize: 2 });
    await readHistory();
    await say('kept');
    for (let count = 0; count < 10; count += 1) await channel.sendTyping(ann);
    const reader = readWebEvents(await channel.handleRequest(eventsRequest('ann', { lastEventId: '0' })));
    expect(summary(await reader.until((event) => event.id === '11'))).toEqual(['1 message kept', '11 typing']);
    await reader.cancel();
  });

  it('never lets a stalled reader slow send: its queue is bounded and it is dropped, then resumes', async () => {
    await channel.stop();
    await create({ connectionQueueSize: 3 });
    const stalled = (await channel.handleRequest(eventsRequest('ann'))).body?.getReader();
    const live = readWebEvents(await channel.handleRequest(eventsRequest('ann')));
    const liveEvents = live.until((event) => event.id === '1000');
    for (let count = 1; count <= 1_000; count += 1) {
      await say(`message ${count}`);
      // A reader that keeps up reads between two sends.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await liveEvents).length).toBe(1_000);
    await live.cancel();
    // The stalled one got the connection greeting and three events queued, then it was dropped.
    await expect(stalled?.read()).rejects.toThrow(/fell too far behind/);
    // Its page reconnects with the last id it saw and gets the rest from the buffer.
    const resumed = readWebEvents(await channel.handleRequest(eventsRequest('ann', { lastEventId: '800' })));
    const rest = await resumed.until((event) => event.id === '1000');
    expect(rest.map((event) => event.id)).toEqual(Array.from({ length: 200 }, (_, index) => String(801 + index)));
    await resumed.cancel();
  });

  it('sends a heartbeat comment every heartbeatMs on the injected clock', async () => {
    const reader = readWebEvents(await channel.handleRequest(eventsRequest('ann')));
    expect(await reader.next()).toEqual({ comment: 'connected' });
    expect(clock.pendingDelays()).toEqual([15_000]);
    await clock.advance(15_000);
    expect(await reader.next()).toEqual({ comment: 'heartbeat' });
    await clock.advance(15_000);
    expect(await reader.next()).toEqual({ comment: 'heartbeat' });
    await reader.cancel();
    expect(clock.pendingDelays()).toEqual([]);
  });

  it('closes every stream on stop, and answers 503 to a new one', async () => {
    const reader = readWebEvents(await channel.handleRequest(eventsRequest('ann')));
    expect(await reader.next()).toEqual({ comment: 'connected' });
    await channel.stop();
    expect(await reader.next()).toBeUndefined();
    expect(clock.pendingDelays()).toEqual([]);
    expect((await channel.handleRequest(eventsRequest('ann'))).status).toBe(503);
  });

  it('refuses a Last-Event-ID it never sent', async () => {
    const response = await channel.handleRequest(eventsRequest('ann', { lastEventId: 'abc' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid-last-event-id' } });
  });

  it('gives a new visitor a cookie with the stream', async () => {
    const response = await channel.handleRequest(new Request('http://localhost/chat/api/events'));
    expect(response.headers.get('set-cookie')).toMatch(/^ngb_visitor=/);
    await response.body?.cancel();
  });

  it('serves the dashboard its own chat when the server says so', async () => {
    await say('for the owner', { channel: 'web', chatId: 'dashboard' });
    const response = await channel.handleRequest(new Request('http://localhost/chat/api/events'), { speaker: 'dashboard' });
    expect(response.headers.get('set-cookie')).toBeNull();
    const reader = readWebEvents(response);
    expect(summary(await reader.until(() => true))).toEqual(['1 message for the owner']);
    await reader.cancel();
  });

  it('gives the conversation both ways as history, current texts, bounded to historySize', async () => {
    await channel.stop();
    await create({ historySize: 3 });
    const cookie = visitorCookie('ann');
    const post = (text: string) =>
      channel.handleRequest(
        new Request('http://localhost/chat/api/messages', {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ text }),
        }),
      );
    await post('dropped from the history');
    await post('hi');
    const { platformMessageId } = await say('Hel');
    await channel.edit(ann, platformMessageId, 'Hello!', 'markdown');
    const gone = await say('soon gone');
    await channel.delete(ann, gone.platformMessageId);
    await post('bye');
    const response = await channel.handleRequest(new Request('http://localhost/chat/api/history', { headers: { cookie } }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { messages: Array<{ from: string; text: string }>; lastEventId: number };
    expect(body.messages.map((message) => `${message.from}: ${message.text}`)).toEqual([
      'visitor: hi',
      'agent: Hello!',
      'visitor: bye',
    ]);
    expect(body.lastEventId).toBe(4);
    expect(body).toMatchObject({ visitor: { id: 'ann', name: 'Visitor ann' }, assistant: { id: 'ngb', name: 'Assistant' } });
  });

  it('forgets the visitor idle the longest past maxVisitors, never one with an open page', async () => {
    await channel.stop();
    await create({ maxVisitors: 2 });
    const open = readWebEvents(await channel.handleRequest(eventsRequest('ann')));
    await say('to bob', { channel: 'web', chatId: 'bob' });
    await say('to carl', { channel: 'web', chatId: 'carl' });
    const history = async (visitor: string) => {
      const response = await channel.handleRequest(
        new Request('http://localhost/chat/api/history', { headers: { cookie: visitorCookie(visitor) } }),
      );
      return ((await response.json()) as { messages: Array<{ text: string }> }).messages.map((message) => message.text);
    };
    expect(await history('carl')).toEqual(['to carl']);
    expect(await history('bob')).toEqual([]);
    await say('still here');
    expect(summary(await open.until(() => true))).toEqual(['1 message still here']);
    await open.cancel();
  });

  it('refuses to edit a message it does not hold, and to send past the length limit', async () => {
    await expect(channel.edit(ann, 'unknown', 'x')).rejects.toMatchObject({ entity: 'message', id: 'unknown' });
    await expect(say('x'.repeat(100_001))).rejects.toMatchObject({ status: 400, retryable: false });
  });
});
