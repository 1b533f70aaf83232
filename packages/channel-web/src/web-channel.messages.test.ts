import { ConfigError } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingChannel, type ManualClock } from '@ngb/plugin-sdk/testing';
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebChannel, isWebChannel, type WebChannel } from './web-channel';
import { createTestContext, harnessSecret, visitorCookie } from './web-channel-harness';
import type { WebChannelOptions } from './web-options';
import { readVisitorCookie } from './web-visitor-cookie';

const url = 'http://localhost/chat/api/messages';

function post(body: string, headers: Record<string, string> = {}): Request {
  return new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return body.error;
}

/** The visitor id the response's Set-Cookie gives, checked with the channel's secret. */
function cookieIdOf(response: Response): string | undefined {
  const header = response.headers.get('set-cookie');
  return header === null ? undefined : readVisitorCookie(header.split(';')[0] ?? '', harnessSecret);
}

describe('POST /chat/api/messages', () => {
  let clock: ManualClock;
  let channel: WebChannel;
  let test: ReturnType<typeof createTestContext>;

  const create = async (options: Partial<WebChannelOptions> = {}) => {
    channel = createWebChannel({ secret: harnessSecret, clock, ...options });
    await channel.start(test.context);
  };

  beforeEach(async () => {
    clock = createManualClock();
    test = createTestContext();
    await create();
  });
  afterEach(() => channel.stop());

  it('hands the message to receive as a DM of the visitor, and answers 202 with its id only after receive resolved', async () => {
    const release = test.hold();
    let answered = false;
    const answer = channel.handleRequest(post('{"text":"hello *there*"}', { cookie: visitorCookie('visitor-1') })).finally(() => {
      answered = true;
    });
    for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(test.calls()).toBe(1);
    expect(answered).toBe(false);
    release();
    const response = await answer;
    expect(response.status).toBe(202);
    const body = (await response.json()) as { id: string };
    expect(test.received).toEqual([
      {
        kind: 'message',
        channel: 'web',
        chat: { id: 'visitor-1', name: 'Visitor visito', isGroup: false },
        platformMessageId: body.id,
        sender: { id: 'visitor-1', name: 'Visitor visito', isBot: false },
        text: 'hello *there*',
        mentionsBot: false,
        timestamp: clock.now(),
      },
    ]);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('answers 500 when receive throws, and keeps the message out of the history', async () => {
    test.fail(new Error('disk full'));
    const cookie = visitorCookie('visitor-1');
    const response = await channel.handleRequest(post('{"text":"lost?"}', { cookie }));
    expect(response.status).toBe(500);
    expect(await errorOf(response)).toMatchObject({ code: 'receive-failed' });
    const history = await channel.handleRequest(new Request('http://localhost/chat/api/history', { headers: { cookie } }));
    expect(((await history.json()) as { messages: unknown[] }).messages).toEqual([]);
  });

  it('answers 503 before start and after stop, without calling receive', async () => {
    await channel.stop();
    const fresh = createWebChannel({ secret: harnessSecret, clock });
    for (const target of [fresh, channel]) {
      const response = await target.handleRequest(post('{"text":"anyone?"}'));
      expect(response.status).toBe(503);
      expect(await errorOf(response)).toMatchObject({ code: 'not-started' });
    }
    expect(test.calls()).toBe(0);
  });

  it.each([
    ['invalid JSON', post('{"text":'), 400, 'invalid-json'],
    ['a body that is not an object', post('"hello"'), 400, 'invalid-message'],
    ['a missing text', post('{"replyTo":"x"}'), 400, 'invalid-message'],
    ['an empty text', post('{"text":"   "}'), 400, 'invalid-message'],
    ['a text that is not a string', post('{"text":42}'), 400, 'invalid-message'],
    ['a name with control characters', post('{"text":"hi","name":"Ann\\u0000"}'), 400, 'invalid-message'],
    ['a text over maxMessageLength', post(JSON.stringify({ text: 'x'.repeat(101) })), 400, 'text-too-long'],
    ['a form post', post('text=hi', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported-media-type'],
    ['no content type', new Request(url, { method: 'POST', body: '{"text":"hi"}' }), 415, 'unsupported-media-type'],
    ['a body over maxBodyBytes', post(JSON.stringify({ text: 'é'.repeat(600) })), 413, 'body-too-large'],
    [
      'bytes that are not UTF-8',
      new Request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Uint8Array([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
      }),
      400,
      'invalid-json',
    ],
  ])('refuses %s without calling receive', async (_what, request, status, code) => {
    await channel.stop();
    await create({ maxMessageLength: 100, maxBodyBytes: 1000 });
    const response = await channel.handleRequest(request);
    expect(response.status).toBe(status);
    expect(await errorOf(response)).toMatchObject({ code, message: expect.any(String) });
    expect(test.calls()).toBe(0);
  });

  it('accepts a text of exactly maxMessageLength', async () => {
    await channel.stop();
    await create({ maxMessageLength: 100 });
    const response = await channel.handleRequest(post(JSON.stringify({ text: 'x'.repeat(100) })));
    expect(response.status).toBe(202);
    expect(test.received.map((message) => message.text.length)).toEqual([100]);
  });

  it('refuses a body that grows past maxBodyBytes without reading the rest of it', async () => {
    await channel.stop();
    await create({ maxBodyBytes: 1000 });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new TextEncoder().encode('x'.repeat(100)));
      },
    });
    const request = new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: endless,
      duplex: 'half',
    } as RequestInit);
    const response = await channel.handleRequest(request);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(20);
    expect(test.calls()).toBe(0);
  });

  it('refuses a declared Content-Length over maxBodyBytes unread', async () => {
    await channel.stop();
    await create({ maxBodyBytes: 1000 });
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new TextEncoder().encode('{}'));
      },
    });
    const request = new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '5000' },
      body,
      duplex: 'half',
    } as RequestInit);
    const response = await channel.handleRequest(request);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('limits each visitor to rateLimit.messages per rateLimit.perSeconds, answering 429 with Retry-After', async () => {
    await channel.stop();
    await create({ rateLimit: { messages: 2, perSeconds: 10 } });
    const ann = { cookie: visitorCookie('ann') };
    expect((await channel.handleRequest(post('{"text":"one"}', ann))).status).toBe(202);
    expect((await channel.handleRequest(post('{"text":"two"}', ann))).status).toBe(202);
    const refused = await channel.handleRequest(post('{"text":"three"}', ann));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await errorOf(refused)).toMatchObject({ code: 'rate-limited' });
    // Another visitor has a bucket of their own.
    expect((await channel.handleRequest(post('{"text":"mine"}', { cookie: visitorCookie('bob') }))).status).toBe(202);
    await clock.advance(4_999);
    expect((await channel.handleRequest(post('{"text":"still three"}', ann))).status).toBe(429);
    await clock.advance(1);
    expect((await channel.handleRequest(post('{"text":"three"}', ann))).status).toBe(202);
    expect(test.received.map((message) => `${message.sender.id}: ${message.text}`)).toEqual([
      'ann: one',
      'ann: two',
      'bob: mine',
      'ann: three',
    ]);
  });

  it('hands out at most newVisitorRateLimit new identities, so dropping the cookie does not escape the rate limit', async () => {
    await channel.stop();
    await create({ rateLimit: { messages: 1, perSeconds: 60 }, newVisitorRateLimit: { visitors: 2, perSeconds: 60 } });
    expect((await channel.handleRequest(post('{"text":"one"}'))).status).toBe(202);
    expect((await channel.handleRequest(new Request('http://localhost/chat/api/history'))).status).toBe(200);
    const refused = await channel.handleRequest(post('{"text":"three"}'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect((await channel.handleRequest(new Request('http://localhost/chat/api/events'))).status).toBe(429);
    // Known visitors and the dashboard are not new identities.
    expect((await channel.handleRequest(post('{"text":"known"}', { cookie: visitorCookie('ann') }))).status).toBe(202);
    expect((await channel.handleRequest(post('{"text":"owner"}'), { speaker: 'dashboard' })).status).toBe(202);
    await clock.advance(30_000);
    expect((await channel.handleRequest(post('{"text":"later"}'))).status).toBe(202);
    expect(test.received.map((message) => message.text)).toEqual(['one', 'known', 'owner', 'later']);
  });

  it('gives a visitor with no cookie a new signed identity, and recognises it on the next request', async () => {
    const first = await channel.handleRequest(post('{"text":"hi"}'));
    expect(first.status).toBe(202);
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^ngb_visitor=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('Path=/chat');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    const id = cookieIdOf(first);
    expect(test.received[0]?.sender.id).toBe(id);
    const second = await channel.handleRequest(post('{"text":"again"}', { cookie: `other=1; ${setCookie.split(';')[0]}` }));
    expect(second.headers.get('set-cookie')).toBeNull();
    expect(test.received.map((message) => message.chat.id)).toEqual([id, id]);
  });

  it.each([
    ['a forged signature', `ngb_visitor=visitor-1.${'A'.repeat(43)}`],
    ['another visitor id under a valid signature', visitorCookie('visitor-1').replace('visitor-1', 'visitor-2')],
    ['a cookie signed with another secret', visitorCookie('visitor-1', 'another-secret-of-at-least-32-characters')],
    ['a reserved id', visitorCookie('dashboard')],
    ["the agent's own id", visitorCookie('ngb')],
    ['a malformed value', 'ngb_visitor=visitor-1'],
  ])('gives %s a new identity, never the one it names', async (_what, cookie) => {
    const response = await channel.handleRequest(post('{"text":"who am I"}', { cookie }));
    expect(response.status).toBe(202);
    const id = cookieIdOf(response);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(test.received.map((message) => [message.sender.id, message.chat.id])).toEqual([[id, id]]);
  });

  it('speaks as the dashboard only when the server says so, with no cookie', async () => {
    const response = await channel.handleRequest(post('{"text":"from the owner"}'), { speaker: 'dashboard' });
    expect(response.status).toBe(202);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(test.received[0]).toMatchObject({
      chat: { id: 'dashboard', isGroup: false },
      sender: { id: 'dashboard', name: 'Dashboard' },
    });
    // A request cannot claim it: headers, query and body are ignored.
    const claimed = post('{"text":"me too","speaker":"dashboard"}', { 'x-speaker': 'dashboard' });
    await channel.handleRequest(claimed, { speaker: 'visitor' } as unknown as { speaker: 'dashboard' });
    expect(test.received[1]?.sender.id).not.toBe('dashboard');
  });

  it('uses the name the visitor chose as the display name, never as the identity', async () => {
    await channel.handleRequest(post('{"text":"hi","name":"  Ann  "}', { cookie: visitorCookie('visitor-1') }));
    expect(test.received[0]?.sender).toEqual({ id: 'visitor-1', name: 'Ann', isBot: false });
  });

  it('quotes the message replied to from the conversation', async () => {
    const cookie = visitorCookie('visitor-1');
    const { platformMessageId } = await channel.send(
      { channel: 'web', chatId: 'visitor-1' },
      { text: 'a question?', format: 'plain' },
    );
    await channel.handleRequest(post(JSON.stringify({ text: 'yes', replyTo: platformMessageId }), { cookie }));
    await channel.handleRequest(post(JSON.stringify({ text: 'and?', replyTo: 'unknown-id' }), { cookie }));
    expect(test.received.map((message) => message.replyTo)).toEqual([
      { id: platformMessageId, author: { id: 'ngb', name: 'Assistant' }, text: 'a question?' },
      { id: 'unknown-id' },
    ]);
  });

  it('answers 404 outside its routes and 405 for a wrong method, with Allow', async () => {
    const missing = await channel.handleRequest(new Request('http://localhost/chat/api/nothing'));
    expect(missing.status).toBe(404);
    const other = await channel.handleRequest(new Request('http://localhost/elsewhere/api/messages', { method: 'POST' }));
    expect(other.status).toBe(404);
    for (const inherited of ['constructor', '__proto__', 'toString', 'messages/', 'messages/x']) {
      const response = await channel.handleRequest(new Request(`http://localhost/chat/api/${inherited}`, { method: 'POST' }));
      expect(response.status).toBe(404);
    }
    const wrong = await channel.handleRequest(new Request(url));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(await errorOf(wrong)).toMatchObject({ code: 'method-not-allowed' });
    expect(test.calls()).toBe(0);
  });

  it('is told apart from other channels, also when built through its manifest', async () => {
    const { manifest } = await import('./manifest');
    const built = await manifest.create(v.parse(manifest.optionsSchema, { secret: harnessSecret }));
    expect(isWebChannel(built)).toBe(true);
    expect(isWebChannel(createRecordingChannel({ name: 'web' }))).toBe(false);
  });

  it('refuses invalid options naming the key', () => {
    expect(() => createWebChannel({ secret: 'short' })).toThrow(ConfigError);
    expect(() => createWebChannel({ secret: 'short' })).toThrow(/option "secret"/);
    expect(() => createWebChannel({ secret: harnessSecret, rateLimit: { messages: 0, perSeconds: 1 } })).toThrow(
      /option "rateLimit.messages"/,
    );
    expect(() => createWebChannel({ secret: harnessSecret, path: '/chat/' })).toThrow(/option "path"/);
  });
});
