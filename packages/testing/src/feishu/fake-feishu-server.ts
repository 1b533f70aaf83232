// A fake Feishu / Lark for tests, on 127.0.0.1: the Open API the bot uses (tenant access token with
// expiry and rejection, bot info, user names, message create / reply / update (PUT) / patch / delete,
// message resources, image and file uploads) answering Feishu's `{ code, msg, data }` bodies, and the
// event subscription's side: `im.message.receive_v1` and `im.message.recalled_v1` envelopes, plain or
// encrypted and signed, posted to a webhook URL (or built as a Request), and posted again as Feishu
// redelivers when it got no 200. It records what the bot sent as people see it, fails calls on demand
// (rate limit 99991400, token codes, 230002, permission violations, HTTP 5xx) and can refuse a post's
// content (230001) to exercise the plain-text resend. The long connection too: the endpoint lookup
// (`/callback/ws/endpoint`, refusing wrong credentials with code 514) and a WebSocket speaking the
// `pbbp2.Frame` protobuf framing (pongs, event frames, acks recorded, redelivery of what was not acked
// with 200 on the next connection, a silent mode answering no pong, dropped connections).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeFeishuApi } from './fake-feishu-api';
import {
  envelope,
  type FakeFeishuDelivery,
  type FakeFeishuEnvelope,
  type FakeFeishuUserMessage,
  feishuWebhookRequest,
  messageEvent,
} from './fake-feishu-events';
import { createFakeFeishuLongConnection, type FakeFeishuAck } from './fake-feishu-long-connection';
import type { FakeFeishuCall, FakeFeishuFailure, FakeFeishuSent } from './fake-feishu-types';

/** Options of {@link createFakeFeishuServer}. */
export interface FakeFeishuServerOptions {
  /** @default 'cli_fa4e0000000000a1' (the SDK's long connection wants `cli_` and 16 hex digits) */
  appId?: string;
  /** @default 'fake-app-secret' */
  appSecret?: string;
  /** @default 'fake-verification-token' */
  verificationToken?: string;
  /** Events are encrypted and signed with it when set. */
  encryptKey?: string;
  /** The bot's open_id. @default 'ou_bot0001' */
  botOpenId?: string;
  /** @default 'ngb' */
  botName?: string;
  /** People's names by open_id (for the contact API). */
  users?: Record<string, string>;
}

/** A running fake Feishu. */
export interface FakeFeishuServer {
  /** `http://127.0.0.1:<port>`: the `domain` option. */
  readonly url: string;
  readonly appId: string;
  readonly appSecret: string;
  readonly verificationToken: string;
  readonly encryptKey: string | undefined;
  readonly botOpenId: string;
  /** Adds a person's name (by open_id). */
  addUser(openId: string, name: string): void;
  /** Stores a file a person uploads to a message; @returns its key (`file_…` or `img_…`). */
  addResource(file: { data: Uint8Array; kind: 'image' | 'file' }): string;
  /** A person posts a message: @returns its envelope (not delivered: see {@link deliver} and {@link request}). */
  postMessage(input: FakeFeishuUserMessage): FakeFeishuEnvelope;
  /** A person recalls a message (`im.message.recalled_v1`). */
  recallMessage(chatId: string, messageId: string, operatorOpenId: string): FakeFeishuEnvelope;
  /** Wraps any event (a fixture's `event`) in a new envelope. */
  envelopeOf(eventType: string, event: Record<string, unknown>): FakeFeishuEnvelope;
  /** The request the subscription posts for `payload`, encrypted and signed when the fake has an encrypt key. */
  request(payload: unknown, delivery?: FakeFeishuDelivery): Request;
  /** Posts `payload` to `url` as the subscription does; @returns the HTTP status answered. */
  deliver(url: string, payload: unknown, delivery?: FakeFeishuDelivery): Promise<number>;
  /** A `url_verification` body with `challenge`. */
  urlVerification(challenge: string, token?: string): Record<string, unknown>;
  /**
   * Sends an event envelope over the newest open long connection, as Feishu pushes events; @returns the
   * `code` of the client's ack (200 handled, 500 failed). Not acked with 200, the event is sent again on
   * the next connection (as Feishu redelivers).
   */
  push(envelope: FakeFeishuEnvelope): Promise<number>;
  /** The acks the long connection's client sent, in order. */
  acks(): FakeFeishuAck[];
  /** Long connections opened so far, and open now. */
  connections(): { opened: number; open: number };
  /** Pings received on the long connection. */
  pings(): number;
  /** The open long connections stay open but answer no more pings (a deaf connection); new ones answer. */
  goSilent(): void;
  /** Closes every long connection abruptly. */
  dropConnections(): void;
  /** Makes the current tenant access token refused (99991663) from now on, as when it expired early. */
  revokeToken(): void;
  /** Tenant access tokens handed out so far. */
  tokensIssued(): number;
  /** Open API calls received, in order (of one route when given). */
  calls(route?: string): FakeFeishuCall[];
  /** What the bot sent, edited, deleted and uploaded. */
  sent(): FakeFeishuSent;
  /** Makes the next call(s) of `route` (or `'*'`) fail as given. */
  failNext(route: string, ...failures: FakeFeishuFailure[]): void;
  /** Answers 230001 to a post whose text contains `marker`. */
  rejectMarkup(marker: string): void;
  close(): Promise<void>;
}

/** Starts a fake Feishu on loopback; resolves once it listens. */
export async function createFakeFeishuServer(options: FakeFeishuServerOptions = {}): Promise<FakeFeishuServer> {
  const app = {
    appId: options.appId ?? 'cli_fa4e0000000000a1',
    verificationToken: options.verificationToken ?? 'fake-verification-token',
  };
  const appSecret = options.appSecret ?? 'fake-app-secret';
  const botOpenId = options.botOpenId ?? 'ou_bot0001';
  let longConnection: ReturnType<typeof createFakeFeishuLongConnection> | undefined;
  const api = createFakeFeishuApi({
    wsEndpoint: () => longConnection?.endpoint(),
    appId: app.appId,
    appSecret,
    botOpenId,
    botName: options.botName ?? 'ngb',
    users: options.users ?? {},
  });
  const { users, messages, resources, calls, failures, markupMarkers, sent, validTokens, nextId, write, handle } = api;
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) write(response, 500, { code: 500, msg: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const socket = createFakeFeishuLongConnection(server, baseUrl);
  longConnection = socket;
  const delivery = (given: FakeFeishuDelivery = {}): FakeFeishuDelivery => ({
    ...(options.encryptKey ? { encryptKey: options.encryptKey } : {}),
    ...given,
  });

  return {
    url: baseUrl,
    appId: app.appId,
    appSecret,
    verificationToken: app.verificationToken,
    encryptKey: options.encryptKey,
    botOpenId,
    addUser: (openId, name) => void users.set(openId, name),
    addResource(file) {
      const key = nextId(file.kind === 'image' ? 'img' : 'file');
      resources.set(key, { data: file.data });
      return key;
    },
    postMessage(input) {
      const messageId = nextId('om');
      messages.set(messageId, {
        chatId: input.chatId,
        msgType: input.messageType ?? 'text',
        content: input.content,
        ...(input.rootId ? { rootId: input.rootId } : {}),
      });
      if (input.rootId && !messages.has(input.rootId))
        messages.set(input.rootId, { chatId: input.chatId, msgType: 'text', content: {} });
      return envelope('im.message.receive_v1', messageEvent(input, messageId, Date.now()), app, nextId('ev'));
    },
    recallMessage(chatId, messageId, operatorOpenId) {
      messages.delete(messageId);
      const event = {
        message_id: messageId,
        chat_id: chatId,
        recall_time: String(Date.now()),
        recall_type: 'message_owner',
        operator_id: { open_id: operatorOpenId },
      };
      return envelope('im.message.recalled_v1', event, app, nextId('ev'));
    },
    envelopeOf: (eventType, event) => envelope(eventType, event, app, nextId('ev')),
    request: (payload, given) => feishuWebhookRequest(payload, delivery(given)),
    async deliver(url, payload, given) {
      const response = await fetch(feishuWebhookRequest(payload, { ...delivery(given), url }));
      await response.arrayBuffer();
      return response.status;
    },
    urlVerification: (challenge, token) => ({ challenge, token: token ?? app.verificationToken, type: 'url_verification' }),
    push: (payload) => socket.deliver(payload, payload.header.event_id),
    acks: socket.acks,
    connections: () => ({ opened: socket.connections(), open: socket.openConnections() }),
    pings: socket.pings,
    goSilent: socket.goSilent,
    dropConnections: socket.dropConnections,
    revokeToken: () => validTokens.clear(),
    tokensIssued: api.tokensIssued,
    calls: (route) => (route ? calls.filter((call) => call.route === route) : [...calls]),
    sent: () => structuredClone(sent),
    failNext(route, ...more) {
      failures.set(route, [...(failures.get(route) ?? []), ...more]);
    },
    rejectMarkup: (marker) => void markupMarkers.push(marker),
    async close() {
      socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
