import { randomBytes } from 'node:crypto';
import { loadChannelManifest, parseChannelOptions } from '@ngb/host';
import type { ChannelAdapter } from '@ngb/plugin-sdk';
import {
  createFakeFeishuServer,
  createFakeSlackServer,
  createFakeTelegramServer,
  createFakeWeComServer,
  createFakeWhatsAppCloudServer,
  encryptFeishuPayload,
  feishuSignature,
  slackSignature,
  weComCallbackSignature,
  weComEncrypt,
  whatsAppSignature,
} from '@ngb/testing';

/**
 * One HTTP-facing channel as the server mounts it, with what a test needs to speak for its platform:
 * a valid message body, and any body made into a request the channel authenticates (signed, with
 * the secret header, encrypted) exactly as the platform would.
 */
export interface WebhookChannel {
  name: string;
  adapter: ChannelAdapter;
  /** A valid payload carrying one message from a person, as the platform sends it (each call a new message). */
  messagePayload(text: string): Record<string, unknown>;
  /** A payload of a kind the platform sends but the channel does not take (it answers 200 and stores nothing). */
  unknownKindPayload(): Record<string, unknown>;
  /** The body text of a payload: JSON, or for WeCom the inner XML (a field that is not a string written as JSON). */
  encode(payload: unknown): string;
  /** `body` authenticated as the platform would, so only the channel's parsing stands between it and the store. */
  signed(body: string, contentType?: string): Request;
  /** `body` as a forger without the secret would send it. */
  unsigned(body: string): Request;
  close(): Promise<void>;
}

const base = (name: string) => `http://127.0.0.1:7070/channels/${name}/webhook`;
const nowSeconds = () => Math.floor(Date.now() / 1000);
// `undefined` (a payload garbled away entirely) becomes an empty body.
const json = (payload: unknown) => JSON.stringify(payload) ?? '';

async function build(name: string, options: Record<string, unknown>): Promise<ChannelAdapter> {
  const manifest = await loadChannelManifest(name);
  if (manifest === undefined) throw new Error(`[test] no manifest named ${name}`);
  return manifest.create(parseChannelOptions(manifest, options));
}

async function telegram(): Promise<WebhookChannel> {
  const fake = await createFakeTelegramServer();
  const secret = 'tg-secret_0123';
  const adapter = await build('telegram', {
    botToken: fake.token,
    apiRoot: fake.apiRoot,
    mode: 'webhook',
    webhookUrl: 'https://bot.example.com/channels/telegram/webhook',
    webhookSecret: secret,
  });
  let updateId = 1000;
  const nextUpdateId = () => {
    updateId += 1;
    return updateId;
  };
  const request = (body: string, headers: Record<string, string>) =>
    new Request(base('telegram'), { method: 'POST', headers, body });
  return {
    name: 'telegram',
    adapter,
    messagePayload: (text) => ({ ...fake.buildMessageUpdate({ chatId: 77, text }), update_id: nextUpdateId() }),
    encode: json,
    unknownKindPayload: () => ({ update_id: nextUpdateId(), poll: { id: '1', question: 'q?', options: [], is_closed: false } }),
    signed: (body, contentType = 'application/json') =>
      request(body, { 'content-type': contentType, 'x-telegram-bot-api-secret-token': secret }),
    unsigned: (body) => request(body, { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'guess' }),
    close: () => fake.close(),
  };
}

async function slack(): Promise<WebhookChannel> {
  const fake = await createFakeSlackServer({ users: [{ id: 'U1', name: 'ann', displayName: 'Ann' }] });
  const adapter = await build('slack', {
    botToken: fake.botToken,
    signingSecret: fake.signingSecret,
    mode: 'events',
    apiUrl: fake.apiUrl,
  });
  const request = (body: string, contentType: string, secret: string) => {
    const timestamp = nowSeconds();
    return new Request(base('slack'), {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(secret, timestamp, body),
      },
      body,
    });
  };
  return {
    name: 'slack',
    adapter,
    messagePayload: (text) =>
      fake.eventCallback(fake.postMessage({ channel: 'D1', user: 'U1', text }).events[0] ?? { type: 'none' }),
    unknownKindPayload: () => ({ type: 'app_rate_limited', token: 'x', team_id: 'T1', minute_rate_limited: 1 }),
    encode: json,
    signed: (body, contentType = 'application/json') => request(body, contentType, fake.signingSecret),
    unsigned: (body) => request(body, 'application/json', 'not-the-signing-secret'),
    close: () => fake.close(),
  };
}

async function whatsapp(): Promise<WebhookChannel> {
  const fake = await createFakeWhatsAppCloudServer();
  const adapter = await build('whatsapp', {
    mode: 'cloud',
    phoneNumberId: fake.phoneNumberId,
    apiBaseUrl: fake.url,
    accessToken: fake.accessToken,
    appSecret: fake.appSecret,
    verifyToken: fake.verifyToken,
  });
  const request = (body: string, contentType: string, secret: string) =>
    new Request(base('whatsapp'), {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-hub-signature-256': whatsAppSignature(secret, body) },
      body,
    });
  return {
    name: 'whatsapp',
    adapter,
    messagePayload: (text) => ({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: fake.displayPhoneNumber, phone_number_id: fake.phoneNumberId },
                contacts: [{ profile: { name: 'Ann' }, wa_id: '4915550001' }],
                messages: [
                  {
                    from: '4915550001',
                    id: `wamid.${randomBytes(12).toString('base64url')}`,
                    timestamp: String(nowSeconds()),
                    type: 'text',
                    text: { body: text },
                  },
                ],
              },
            },
          ],
        },
      ],
    }),
    unknownKindPayload: () => ({ object: 'page', entry: [{ id: '1', changes: [{ field: 'feed', value: {} }] }] }),
    encode: json,
    signed: (body, contentType = 'application/json') => request(body, contentType, fake.appSecret),
    unsigned: (body) => request(body, 'application/json', 'not-the-app-secret'),
    close: () => fake.close(),
  };
}

async function feishu(): Promise<WebhookChannel> {
  const encryptKey = 'the-encrypt-key';
  const fake = await createFakeFeishuServer({ encryptKey });
  const adapter = await build('feishu', {
    appId: fake.appId,
    appSecret: fake.appSecret,
    domain: fake.url,
    mode: 'webhook',
    verificationToken: fake.verificationToken,
    encryptKey,
  });
  // The plain event is encrypted into `{ encrypt }` and that envelope signed, as Feishu does with an encrypt key.
  const request = (plain: string, contentType: string, key: string) => {
    const body = JSON.stringify({ encrypt: encryptFeishuPayload(key, plain) });
    const timestamp = String(nowSeconds());
    const nonce = randomBytes(8).toString('hex');
    return new Request(base('feishu'), {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-lark-request-timestamp': timestamp,
        'x-lark-request-nonce': nonce,
        'x-lark-signature': feishuSignature(key, timestamp, nonce, body),
      },
      body,
    });
  };
  return {
    name: 'feishu',
    adapter,
    messagePayload: (text) => ({ ...fake.postMessage({ chatId: 'oc_1', senderOpenId: 'ou_ann', text }) }),
    unknownKindPayload: () => ({
      ...fake.envelopeOf('contact.user.created_v3', { object: { open_id: 'ou_new', name: 'New person' } }),
    }),
    encode: json,
    signed: (plain, contentType = 'application/json') => request(plain, contentType, encryptKey),
    unsigned: (plain) => request(plain, 'application/json', 'not-the-encrypt-key'),
    close: () => fake.close(),
  };
}

async function wecom(): Promise<WebhookChannel> {
  const fake = await createFakeWeComServer();
  const adapter = await build('wecom', {
    corpId: fake.corpId,
    agentId: fake.agentId,
    secret: fake.secret,
    token: fake.token,
    encodingAesKey: fake.encodingAesKey,
    apiBaseUrl: fake.url,
  });
  let msgId = 7_000_000;
  const nextMsgId = () => {
    msgId += 1;
    return String(msgId);
  };
  const cdata = (value: string) => `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
  const encode = (payload: unknown) =>
    typeof payload === 'object' && payload !== null && !Array.isArray(payload)
      ? `<xml>${Object.entries(payload)
          .map(([key, value]) =>
            typeof value === 'number'
              ? `<${key}>${value}</${key}>`
              : `<${key}>${cdata(typeof value === 'string' ? value : json(value))}</${key}>`,
          )
          .join('')}</xml>`
      : json(payload);
  // The inner XML is encrypted for the CorpID and `msg_signature` computed over it: WeCom's own envelope.
  const request = (plain: string, contentType: string, token: string) => {
    const encrypted = weComEncrypt(fake.encodingAesKey, plain, fake.corpId);
    const timestamp = String(nowSeconds());
    const nonce = randomBytes(6).toString('hex');
    const query = new URLSearchParams({
      msg_signature: weComCallbackSignature(token, timestamp, nonce, encrypted),
      timestamp,
      nonce,
    });
    const body = `<xml><ToUserName>${cdata(fake.corpId)}</ToUserName><Encrypt>${cdata(encrypted)}</Encrypt><AgentID>${cdata(String(fake.agentId))}</AgentID></xml>`;
    return new Request(`${base('wecom')}?${query}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  };
  const common = () => ({ ToUserName: fake.corpId, FromUserName: 'ann', CreateTime: nowSeconds() });
  return {
    name: 'wecom',
    adapter,
    messagePayload: (text) => ({
      ...common(),
      MsgType: 'text',
      Content: text,
      MsgId: nextMsgId(),
      AgentID: fake.agentId,
    }),
    unknownKindPayload: () => ({ ...common(), MsgType: 'event', Event: 'enter_agent', EventKey: '', AgentID: fake.agentId }),
    encode,
    signed: (plain, contentType = 'text/xml') => request(plain, contentType, fake.token),
    unsigned: (plain) => request(plain, 'text/xml', 'not-the-token'),
    close: () => fake.close(),
  };
}

/**
 * Every channel that takes webhooks, each against its own fake platform (DingTalk has no HTTP path:
 * its Stream mode dials out over a WebSocket, so it is not here).
 */
export async function createWebhookChannels(): Promise<WebhookChannel[]> {
  return Promise.all([telegram(), slack(), whatsapp(), feishu(), wecom()]);
}
