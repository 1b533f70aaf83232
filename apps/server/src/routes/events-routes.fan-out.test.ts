import type { TimedGatewayEvent } from '@ngb/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countSubscriptions } from '../__tests__/bus-subscriptions';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';
import { readSse } from '../__tests__/sse-reader';

let harness: ServerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const seqOf = (data: string) => (JSON.parse(data) as TimedGatewayEvent).seq;

const emitMarkers = (built: ServerHarness, from: number, count: number) => {
  for (let index = from; index < from + count; index += 1) built.gateway.events.emit({ type: 'sandbox.reaped', count: index });
};

describe('GET /api/events without a filter: one listener for every client', () => {
  it('gives every client every event once, in order, through a single listener on the bus', async () => {
    harness = await createServerHarness();
    const subscriptions = countSubscriptions(harness);
    const clients = await Promise.all(Array.from({ length: 20 }, async () => readSse(await harness!.request('/api/events'))));
    const first = harness.gateway.events.lastSeq() + 1;
    emitMarkers(harness, 0, 50);
    const last = harness.gateway.events.lastSeq();
    const expected = Array.from({ length: last - first + 1 }, (_, index) => first + index);
    for (const client of clients) {
      const got = await client.until((message) => seqOf(message.data) === last);
      expect(got.map((message) => seqOf(message.data))).toEqual(expected);
    }
    expect(subscriptions.count(), 'listeners added to the bus for 20 clients').toBe(1);
    await Promise.all(clients.map((client) => client.cancel()));
    await harness.gateway.idle();
    // The last client gone, the bus has no listener left for them (once the cancels reached the streams).
    await vi.waitFor(() => expect(subscriptions.live()).toBe(0), { timeout: 5_000, interval: 10 });
  });

  it('resumes a client that joins while a batch waits, with no gap and no repeat, and the others lose nothing', async () => {
    harness = await createServerHarness();
    const early = readSse(await harness.request('/api/events'));
    const first = harness.gateway.events.lastSeq() + 1;
    emitMarkers(harness, 0, 5);
    const seenBeforeJoin = first + 1;
    // Five events wait in the batch when the second client resumes after the second of them.
    const late = readSse(await harness.request('/api/events', { headers: { 'last-event-id': String(seenBeforeJoin) } }));
    emitMarkers(harness, 5, 5);
    const last = harness.gateway.events.lastSeq();
    const range = (from: number) => Array.from({ length: last - from + 1 }, (_, index) => from + index);
    const earlySeqs = (await early.until((message) => seqOf(message.data) === last)).map((message) => seqOf(message.data));
    const lateSeqs = (await late.until((message) => seqOf(message.data) === last)).map((message) => seqOf(message.data));
    expect(earlySeqs).toEqual(range(first));
    expect(lateSeqs).toEqual(range(seenBeforeJoin + 1));
    await Promise.all([early.cancel(), late.cancel()]);
  });
});
