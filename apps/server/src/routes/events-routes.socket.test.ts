import { get, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listeningEvents } from '../__tests__/listening-events';
import type { ServerHarness } from '../__tests__/server-harness';
import { readSse, seqOfId } from '../__tests__/sse-reader';

// Over a real socket the live events are written on Node's response directly, not through a web
// stream: these tests hold that path to what the in-process ones hold the other to.

const events = listeningEvents();
afterEach(() => events.close());
const listening = () => events.start();

const emitMarkers = (built: ServerHarness, count: number) => {
  for (let index = 0; index < count; index += 1) built.gateway.events.emit({ type: 'sandbox.reaped', count: index });
};

const waitFor = async (condition: () => boolean, what: string) => {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('GET /api/events over a socket', () => {
  it('streams every event in order with its sequence number, and resumes after Last-Event-ID', async () => {
    const { built, url } = await listening();
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    const first = built.gateway.events.lastSeq() + 1;
    emitMarkers(built, 30);
    const last = built.gateway.events.lastSeq();
    const stream = readSse(response);
    const ids = (await stream.until((message) => seqOfId(message.id) === last)).map((message) => seqOfId(message.id));
    expect(ids).toEqual(Array.from({ length: last - first + 1 }, (_, index) => first + index));
    await stream.cancel();

    const resumed = readSse(await fetch(url, { headers: { 'last-event-id': String(last - 5) } }));
    const replayed = await resumed.until((message) => seqOfId(message.id) === last);
    expect(replayed.map((message) => seqOfId(message.id))).toEqual([last - 4, last - 3, last - 2, last - 1, last]);
    await resumed.cancel();
  });

  it('forgets a client that hangs up: its place on the bus is given back', async () => {
    const { built, clients, url } = await listening();
    const response = await new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).on('error', reject));
    await waitFor(() => clients() === 1, 'the client to join');
    response.destroy();
    await waitFor(() => clients() === 0, 'the listener to be removed');
    // Events after the client left go nowhere and cost nothing.
    emitMarkers(built, 5);
    expect(clients()).toBe(0);
  });

  it('cuts off a client that stops reading once its queue passes the limit, while emitting stays synchronous', async () => {
    const { built, clients, url } = await listening();
    const response = await new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).on('error', reject));
    response.pause();
    const cut = new Promise<string>((resolve) => {
      response.once('error', () => resolve('cut'));
      response.once('aborted', () => resolve('cut'));
      response.once('close', () => resolve('cut'));
    });
    await waitFor(() => clients() === 1, 'the client to join');
    const big = 'x'.repeat(64 * 1024);
    // 32 MiB in all: past what the kernel's socket buffers hold on loopback, then past the 1 MiB queue.
    for (let index = 0; index < 512 && clients() > 0; index += 1) {
      built.gateway.events.emit({ type: 'plugin.error', plugin: 'p', hook: 'h', error: big });
      if (index % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => clients() === 0, 'the slow client to be dropped');
    expect(await cut).toBe('cut');
  });
});
