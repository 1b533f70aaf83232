import { garblePayload } from '@ngb/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';
import { createWebhookChannels, type WebhookChannel } from '../__tests__/webhook-channels';

// Every webhook channel behind the real route (`POST /channels/<name>/webhook`) of a real gateway on
// real SQLite. Bodies are authenticated exactly as the platform would (signed, secret header,
// encrypted): past the signature, the channel's parsing is all that stands between a body and the store.

const seed = 16_4402;
let harness: ServerHarness;
let channels: WebhookChannel[] = [];

beforeAll(async () => {
  channels = await createWebhookChannels();
  harness = await createServerHarness({ channels: channels.map((channel) => channel.adapter) });
}, 60_000);
afterAll(async () => {
  await harness.close();
  await Promise.all(channels.map((channel) => channel.close()));
});

const channelNamed = (name: string) => channels.find((channel) => channel.name === name) as WebhookChannel;

/** Answers a request through the server app, as if it came over loopback; the body is read to the end. */
async function send(request: Request): Promise<number> {
  const url = new URL(request.url);
  const method = request.method;
  const body = method === 'GET' || method === 'HEAD' ? undefined : await request.text();
  const response = await harness.request(`${url.pathname}${url.search}`, {
    method,
    headers: request.headers,
    ...(body === undefined ? {} : { body }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** What the store holds of chats and messages, to see that a refused request changed nothing. */
async function stored(): Promise<string> {
  const [chats, messages] = await Promise.all([harness.store.chats.list(), harness.store.messages.find({ limit: 1000 })]);
  return JSON.stringify({ chats: chats.map((chat) => chat.id), messages: messages.map((message) => message.id) });
}

interface Case {
  what: string;
  request(channel: WebhookChannel): Request;
  /** The status the platform must see, per channel; otherwise any 4xx. */
  status?: (channel: string) => number | undefined;
}

const billionLaughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><xml><ToUserName>&lol3;</ToUserName><Content>&lol3;</Content><MsgType>text</MsgType></xml>`;
const garbage = '{"update_id": 1, "message": {"text": "cut off';
const cases: Case[] = [
  { what: 'an empty body', request: (channel) => channel.signed('') },
  { what: 'a body that is not JSON or XML', request: (channel) => channel.signed(garbage) },
  { what: 'binary noise', request: (channel) => channel.signed('\u0000\uFFFE\uD800\u0001<xml>') },
  { what: 'a JSON array', request: (channel) => channel.signed('[{"update_id":1}]') },
  { what: 'a JSON number', request: (channel) => channel.signed('42') },
  { what: 'JSON null', request: (channel) => channel.signed('null') },
  { what: 'a JSON string', request: (channel) => channel.signed('"hello"') },
  { what: 'deeply nested JSON', request: (channel) => channel.signed(`${'['.repeat(50_000)}${']'.repeat(50_000)}`) },
  { what: 'XML entities (a billion laughs)', request: (channel) => channel.signed(billionLaughs) },
  {
    what: 'a form body whose payload is not the platform’s',
    request: (channel) => channel.signed('payload=%7B%22type%22%3A1%7D', 'application/x-www-form-urlencoded'),
    // Slack's Interactivity posts exactly this shape; an interaction of a kind the channel does not
    // take is acknowledged (Slack shows the person an error otherwise) and changes nothing.
    status: (channel) => (channel === 'slack' ? 200 : undefined),
  },
  {
    what: 'a message body over the route’s 1 MiB limit',
    request: (channel) => channel.signed(channel.encode(channel.messagePayload(`big ${'x'.repeat(2 * 1024 * 1024)}`))),
    status: () => 413,
  },
  {
    what: 'a valid message without the secret',
    request: (channel) => channel.unsigned(channel.encode(channel.messagePayload('forged'))),
  },
  { what: 'a GET without a handshake', request: (channel) => new Request(channel.signed('').url, { method: 'GET' }) },
  { what: 'a PUT', request: (channel) => new Request(channel.signed('').url, { method: 'PUT', body: '{}' }) },
  // Platforms retry (and in the end turn the webhook off) unless they get 200: an event the channel
  // does not take is acknowledged and dropped, not refused.
  {
    what: 'an event kind the channel does not take (200, ignored)',
    request: (channel) => channel.signed(channel.encode(channel.unknownKindPayload())),
    status: () => 200,
  },
];

describe.each(['telegram', 'slack', 'whatsapp', 'feishu', 'wecom'])(
  'POST /channels/%s/webhook under malformed bodies',
  (name) => {
    it.each(cases)('$what: 4xx (or the platform’s 200-ignore), never 5xx, nothing stored', async (item) => {
      const channel = channelNamed(name);
      const before = await stored();
      const status = await send(item.request(channel));
      const expected = item.status?.(name);
      if (expected !== undefined) expect(status, `${name}: ${item.what}`).toBe(expected);
      else expect(status, `${name}: ${item.what}`).toBeGreaterThanOrEqual(400);
      expect(status, `${name}: ${item.what}`).toBeLessThan(500);
      expect(await stored(), `${name}: ${item.what} stored something`).toBe(before);
    });

    it('a correctly signed payload garbled anywhere (wrong types, missing fields, hostile strings): never 5xx, nothing stored when refused', async () => {
      const channel = channelNamed(name);
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat(), { minLength: 3, maxLength: 12 }), async (choices) => {
          const before = await stored();
          const status = await send(channel.signed(channel.encode(garblePayload(channel.messagePayload('garbled'), choices))));
          expect(status, `${name}: ${JSON.stringify(choices)}`).toBeLessThan(500);
          if (status >= 400) expect(await stored()).toBe(before);
        }),
        { seed, numRuns: 60 },
      );
    }, 60_000);

    it('a correctly signed body cut or spliced at any place: never 5xx, nothing stored when refused', async () => {
      const channel = channelNamed(name);
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.nat(), fc.string({ maxLength: 8 }), async (start, length, insert) => {
          const body = channel.encode(channel.messagePayload('spliced'));
          const at = start % (body.length + 1);
          const cut = `${body.slice(0, at)}${insert}${body.slice(at + (length % 16))}`;
          const before = await stored();
          const status = await send(channel.signed(cut));
          expect(status, `${name}: ${JSON.stringify(cut.slice(Math.max(0, at - 20), at + 20))}`).toBeLessThan(500);
          if (status >= 400) expect(await stored()).toBe(before);
        }),
        { seed, numRuns: 60 },
      );
    }, 60_000);

    it('still takes a valid message afterwards, and stores it once', async () => {
      const channel = channelNamed(name);
      const text = `still alive on ${name}`;
      expect(await send(channel.signed(channel.encode(channel.messagePayload(text))))).toBe(200);
      const found = await harness.store.messages.find({ text, limit: 5 });
      console.log(name, JSON.stringify(await harness.store.messages.find({ limit: 5 })));
      expect(found.map((message) => message.text)).toEqual([text]);
      expect((await harness.request('/healthz')).status).toBe(200);
    });
  },
);
