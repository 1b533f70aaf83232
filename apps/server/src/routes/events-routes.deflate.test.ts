import { randomBytes } from 'node:crypto';
import { get, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { createInflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { TimedGatewayEvent } from '@ngb/core';
import { afterEach, describe, expect, it } from 'vitest';
import { listeningEvents } from '../__tests__/listening-events';
import type { ServerHarness } from '../__tests__/server-harness';
import { readSse } from '../__tests__/sse-reader';
import { acceptsDeflate, deflateEnd } from '../http/sse-deflate';

// Live events compressed for the clients that ask (every browser does): each batch is compressed once
// and the same bytes go to every client, so a client that joins later must still be able to read them.

const events = listeningEvents();
afterEach(() => events.close());
const listening = () => events.start();

/** A client over a socket, as a browser: the raw bytes it was sent, and the messages read from them. */
async function attach(url: string, headers: Record<string, string> = {}) {
  const response = await new Promise<IncomingMessage>((resolve, reject) => get(url, { headers }, resolve).on('error', reject));
  const wire: Buffer[] = [];
  response.on('data', (chunk: Buffer) => wire.push(chunk));
  const ended = new Promise<void>((resolve) => response.once('end', resolve));
  const deflated = response.headers['content-encoding'] === 'deflate';
  const body = deflated ? response.pipe(createInflateRaw()) : response;
  const messages = readSse(new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>));
  return { response, messages, wire: () => Buffer.concat(wire), ended };
}

const emitMarkers = (built: ServerHarness, count: number, error = 'marker') => {
  for (let index = 0; index < count; index += 1) {
    built.gateway.events.emit({ type: 'plugin.error', plugin: 'p', hook: `h${index}`, error });
  }
};

const seqOf = (data: string) => (JSON.parse(data) as TimedGatewayEvent).seq;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('GET /api/events, compressed', () => {
  it('compresses for a client that accepts deflate, and a later client reads the shared bytes from where it joined', async () => {
    const { built, url } = await listening();
    const early = await attach(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(early.response.headers['content-encoding']).toBe('deflate');
    expect(early.response.headers.vary).toBe('accept-encoding');
    const plain = await attach(url);
    expect(plain.response.headers['content-encoding']).toBeUndefined();
    const first = built.gateway.events.lastSeq() + 1;
    emitMarkers(built, 200);
    const joinedAfter = built.gateway.events.lastSeq();
    await early.messages.until((message) => seqOf(message.data) === joinedAfter);
    // Joins after 200 events went out compressed to the first client, resuming after the 150th.
    const late = await attach(url, { 'accept-encoding': 'deflate', 'last-event-id': String(first + 149) });
    emitMarkers(built, 200);
    const last = built.gateway.events.lastSeq();
    const seqs = async (client: Awaited<ReturnType<typeof attach>>) =>
      (await client.messages.until((message) => seqOf(message.data) === last)).map((message) => seqOf(message.data));
    expect(await seqs(late)).toEqual(range(first + 150, last));
    expect(await seqs(plain)).toEqual(range(first, last));
    // The first client's reading went on across the join: nothing lost, nothing repeated.
    const rest = await early.messages.until((message) => seqOf(message.data) === last);
    expect(rest.map((message) => seqOf(message.data))).toEqual(range(joinedAfter + 1, last));
    // The same 400 events, in far fewer bytes.
    expect(early.wire().length).toBeLessThan(plain.wire().length / 4);
  });

  it('ends a compressed stream with a final block when the server shuts down, so the client sees an end, not a cut', async () => {
    const { built, url } = await listening();
    const client = await attach(url, { 'accept-encoding': 'deflate' });
    emitMarkers(built, 20);
    const last = built.gateway.events.lastSeq();
    await client.messages.until((message) => seqOf(message.data) === last);
    await events.stopServer();
    await client.ended;
    // A stream cut short makes the one-shot inflate fail with "unexpected end of file".
    const text = inflateRawSync(client.wire()).toString();
    expect(text.startsWith(': connected\n\n')).toBe(true);
    expect(text).toMatch(new RegExp(`id: [0-9a-f]{8}-${last}\n`));
  });

  it('compresses a filtered client on its own', async () => {
    const { built, url } = await listening();
    const client = await attach(`${url}?session=s-2`, { 'accept-encoding': 'deflate' });
    expect(client.response.headers['content-encoding']).toBe('deflate');
    for (const sessionId of ['s-1', 's-2', 's-1', 's-2']) {
      built.gateway.events.emit({ type: 'text.delta', turnId: 't', sessionId, text: 'hello' });
    }
    const last = built.gateway.events.lastSeq();
    const read = await client.messages.until((message) => seqOf(message.data) === last);
    expect(read.map((message) => (JSON.parse(message.data) as { sessionId: string }).sessionId)).toEqual(['s-2', 's-2']);
  });

  it('still cuts off a compressed client that stops reading, while emitting stays synchronous', async () => {
    const { built, clients, url } = await listening();
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      get(url, { headers: { 'accept-encoding': 'deflate' } }, resolve).on('error', reject),
    );
    expect(response.headers['content-encoding']).toBe('deflate');
    response.pause();
    const cut = new Promise<string>((resolve) => {
      response.once('error', () => resolve('cut'));
      response.once('aborted', () => resolve('cut'));
      response.once('close', () => resolve('cut'));
    });
    await expect.poll(clients).toBe(1);
    // Random text does not compress: 32 MiB in all, past the socket buffers and the 1 MiB queue.
    for (let index = 0; index < 512 && clients() > 0; index += 1) {
      emitMarkers(built, 1, randomBytes(48 * 1024).toString('base64'));
      if (index % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
    }
    await expect.poll(clients, { timeout: 5_000 }).toBe(0);
    // What the kernel still holds for the client comes before the end of the connection.
    response.resume();
    expect(await cut).toBe('cut');
  });
});

describe('deflateEnd', () => {
  it('is the empty final block zlib itself ends a raw deflate stream with', () => {
    expect(Buffer.from(deflateEnd)).toEqual(deflateRawSync(Buffer.alloc(0)));
  });
});

describe('acceptsDeflate', () => {
  it.each([
    ['gzip, deflate, br, zstd', true],
    ['deflate', true],
    ['DEFLATE;q=0.5', true],
    ['gzip;q=1, deflate;q=0', false],
    ['deflate; q=0.000', false],
    ['gzip, br', false],
    ['*', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (header, expected) => {
    expect(acceptsDeflate(header)).toBe(expected);
  });
});
