// A channel adapter for "Relay", a small chat platform with an HTTP API: Relay posts each message people
// write to the gateway's webhook (`/channels/relay/webhook`), with the shared secret in `x-relay-secret`;
// the bot reads its own account from `GET <apiUrl>/me` and posts with `POST <apiUrl>/messages`.
import { timingSafeEqual } from 'node:crypto';
import { ChannelApiError, defineChannel } from '@ngb/plugin-sdk';

const prefix = '[ngb-channel-relay]';

function sameSecret(given, expected) {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What Relay posts, or undefined when the body is not that (a webhook body is hostile input). */
function parseUpdate(body) {
  if (typeof body !== 'object' || body === null) return undefined;
  const { id, chat, group, sender, text, replyTo, at } = body;
  const isText = (value) => typeof value === 'string' && value !== '';
  if (!isText(id) || !isText(chat) || typeof text !== 'string') return undefined;
  if (typeof sender !== 'object' || sender === null || !isText(sender.id)) return undefined;
  return {
    id,
    chat,
    group: group === true,
    sender: { id: sender.id, ...(isText(sender.name) ? { name: sender.name } : {}) },
    text,
    replyTo: isText(replyTo) ? replyTo : undefined,
    at: Number.isFinite(at) ? at : Date.now(),
  };
}

/**
 * @param {{ apiUrl: string, token: string, webhookSecret: string, fetch?: typeof fetch }} options
 */
export function createRelayChannel({ apiUrl, token, webhookSecret, fetch = globalThis.fetch }) {
  if (!token || !webhookSecret) throw new TypeError(`${prefix} pass \`token\` and \`webhookSecret\``);
  let context;
  const call = async (method, path, body) => {
    const response = await fetch(new URL(path, apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) {
      throw new ChannelApiError('relay', `${prefix} ${method} ${path} answered ${response.status}`, {
        status: response.status,
        retryAfterMs: Number(response.headers.get('retry-after')) * 1000 || undefined,
      });
    }
    return response.json();
  };
  const channel = defineChannel({
    name: 'relay',
    limits: { maxMessageLength: 2000 },
    self: undefined,
    async start(next) {
      const me = await call('GET', 'me');
      channel.self = { id: String(me.id), name: String(me.name) };
      context = next;
      next.setStatus({ state: 'connected' });
    },
    async stop() {
      context?.setStatus({ state: 'disconnected' });
      context = undefined;
    },
    async send(address, message) {
      const sent = await call('POST', 'messages', {
        chat: address.chatId,
        text: message.text,
        format: message.format,
        ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      });
      return { platformMessageId: String(sent.id) };
    },
    async handleWebhook(request) {
      if (request.method !== 'POST') return new Response('method not allowed', { status: 405 });
      if (!sameSecret(request.headers.get('x-relay-secret'), webhookSecret)) return new Response('forbidden', { status: 403 });
      const receiving = context;
      if (!receiving) return new Response('not started', { status: 503 });
      const update = parseUpdate(await request.json().catch(() => undefined));
      if (!update) return new Response('bad request', { status: 400 });
      try {
        await receiving.receive({
          channel: 'relay',
          chat: { id: update.chat, isGroup: update.group },
          platformMessageId: update.id,
          sender: { ...update.sender, isBot: update.sender.id === channel.self?.id },
          text: update.text,
          mentionsBot: channel.self !== undefined && update.text.includes(`@${channel.self.name}`),
          ...(update.replyTo ? { replyTo: { id: update.replyTo } } : {}),
          timestamp: update.at,
        });
      } catch (error) {
        receiving.logger.error('a message could not be stored; Relay will post it again', { error: String(error) });
        return new Response('try again', { status: 503 });
      }
      return new Response(null, { status: 204 });
    },
  });
  return channel;
}
