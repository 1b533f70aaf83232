// A fake Slack for tests, on 127.0.0.1: the Web API (`POST /api/<method>`, form-encoded or JSON
// bodies, Bearer or `token` field), Socket Mode (`apps.connections.open` hands out a
// `ws://…/link/?ticket=…` URL; the socket says `hello`, delivers `events_api` envelopes, checks acks
// by `envelope_id`), signed Events API requests for the HTTP mode, file upload (the
// `files.getUploadURLExternal` → upload → `files.completeUploadExternal` flow) and private file
// download with the bot token. It records what the bot sent as people would see it, injects messages,
// edits and deletions as people make them, fails calls on demand (HTTP 429 with Retry-After, 5xx,
// `invalid_auth`, `missing_scope`, markup rejection) and reproduces the Socket Mode faults: a socket
// that goes silent without closing, a `disconnect` frame, a dropped connection. Messages with Block
// Kit `actions` blocks record their buttons; `pressButton` sends the `block_actions` payload of a press
// in an `interactive` envelope, and `interactionRequest` signs it for the HTTP Interactivity URL.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, readForm } from '../http/request-body';
import { blockActionsPayload, type FakeSlackPress, signedSlackInteraction } from './fake-slack-buttons';
import { eventCallback, type FakeSlackEvent, signedSlackRequest } from './fake-slack-events';
import { parseParams, writeJson } from './fake-slack-http';
import { deleteEvent, editEvent, type FakeSlackUserMessage, newMessageEvents } from './fake-slack-inbound';
import { createFakeSlackSocket, type FakeSlackEnvelope } from './fake-slack-socket';
import type { FakeSlackCall, FakeSlackFailure, FakeSlackFile, FakeSlackSent, FakeSlackUser } from './fake-slack-types';
import { createFakeSlackWebApi } from './fake-slack-web-api';

/** Options of {@link createFakeSlackServer}. */
export interface FakeSlackServerOptions {
  /** @default 'xoxb-fake-bot-token' */
  botToken?: string;
  /** @default 'xapp-fake-app-token' */
  appToken?: string;
  /** @default 'fake-signing-secret' */
  signingSecret?: string;
  /** The bot's user id. @default 'UBOT0001' */
  botUserId?: string;
  /** @default 'ngb' */
  botName?: string;
  /** People and bots of the workspace (the bot itself is added). */
  users?: FakeSlackUser[];
  /** Channel names by id, for `conversations.info`. */
  channels?: Record<string, string>;
}

/** A message injected into the fake workspace. */
export interface FakeSlackPosted {
  channel: string;
  ts: string;
  /** The events it produced (`message`, and `app_mention` when it names the bot). */
  events: FakeSlackEvent[];
  /** The socket envelopes carrying them. */
  envelopes: FakeSlackEnvelope[];
}

/** A running fake Slack. */
export interface FakeSlackServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The Web API base for `slackApiUrl`: `<url>/api/`. */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly signingSecret: string;
  readonly botUserId: string;
  readonly teamId: string;
  /** Adds a person or bot. */
  addUser(user: FakeSlackUser): void;
  /** Stores a file a person uploads, for `files` of {@link postMessage}. */
  addFile(file: { name: string; mimetype: string; data: Uint8Array; user: string }): FakeSlackFile;
  /** Posts a message as a person; over the socket its events arrive as envelopes. */
  postMessage(input: FakeSlackUserMessage): FakeSlackPosted;
  /** Edits a message posted with {@link postMessage} (a `message_changed` event). */
  editMessage(channel: string, ts: string, text: string): FakeSlackPosted;
  /** Deletes a message posted with {@link postMessage} (a `message_deleted` event). */
  deleteMessage(channel: string, ts: string): FakeSlackPosted;
  /** Delivers any event (a fixture) over the socket in an `events_api` envelope. */
  deliverEvent(event: FakeSlackEvent): FakeSlackEnvelope;
  /** Sends an envelope again with `retry_attempt` one more, as Slack does when no ack came in time. */
  redeliver(envelopeId: string): void;
  /** The `event_callback` body of an event, as the Events API posts it. */
  eventCallback(event: FakeSlackEvent): Record<string, unknown>;
  /** An Events API request for `body`, signed with the signing secret (or `signingSecret` given). */
  signedRequest(
    body: unknown,
    options?: { url?: string; signingSecret?: string; timestampSeconds?: number; retryNum?: number; unsigned?: boolean },
  ): Request;
  /**
   * A person presses a button of a message the bot sent (as it holds it now): the `block_actions`
   * payload goes over Socket Mode in an `interactive` envelope. @returns the payload and its envelope
   */
  pressButton(press: FakeSlackPress): { payload: Record<string, unknown>; envelope: FakeSlackEnvelope };
  /** Delivers any interaction payload (a press made earlier, a fixture) in an `interactive` envelope. */
  deliverInteraction(payload: Record<string, unknown>): FakeSlackEnvelope;
  /** The `block_actions` payload of a press without sending it (for {@link interactionRequest}). */
  pressPayload(press: FakeSlackPress): Record<string, unknown>;
  /** A press as Slack posts it to the Interactivity Request URL: `payload=` form-encoded, signed. */
  interactionRequest(payload: unknown, options?: { url?: string; signingSecret?: string; timestampSeconds?: number }): Request;
  /** Envelopes sent over sockets, with their ack state. */
  envelopes(): readonly FakeSlackEnvelope[];
  /** Envelopes not acknowledged (yet). */
  unackedEnvelopes(): FakeSlackEnvelope[];
  /** Resolves once the client acknowledged the envelope. */
  waitForAck(envelopeId: string): Promise<void>;
  /**
   * Makes the sockets open now go silent (no events, no pings) without closing them; sockets opened
   * later work, and events that waited go to them (with `retry_attempt` one more).
   */
  silence(): void;
  /** Ends {@link silence}, sending what waited to the newest socket. */
  speak(): void;
  /** Makes new sockets open but never send `hello` (a handshake that hangs), or work again with `false`. */
  withholdHello(value?: boolean): void;
  /** Sends `{type:'disconnect', reason}` on every socket. */
  sendDisconnect(reason?: string): void;
  /** Drops every socket without a close frame. */
  dropConnections(): void;
  /** Sends a WebSocket ping on every socket. */
  ping(): void;
  /** Sockets open now. */
  openConnections(): number;
  /** Sockets opened since the start. */
  connectionsOpened(): number;
  /** Web API calls received, in order. */
  calls(method?: string): FakeSlackCall[];
  /** What the bot posted, edited, deleted and uploaded. */
  sent(): FakeSlackSent;
  /** Makes the next call(s) of `method` (or `'*'` for any) fail as given. */
  failNext(method: string, ...failures: FakeSlackFailure[]): void;
  /** Answers `invalid_blocks` to a markup (non-plain) message whose text contains `marker`. */
  rejectMarkup(marker: string): void;
  close(): Promise<void>;
}

/** Starts a fake Slack on loopback; resolves once it listens. */
export async function createFakeSlackServer(options: FakeSlackServerOptions = {}): Promise<FakeSlackServer> {
  const botToken = options.botToken ?? 'xoxb-fake-bot-token';
  const appToken = options.appToken ?? 'xapp-fake-app-token';
  const signingSecret = options.signingSecret ?? 'fake-signing-secret';
  const botUserId = options.botUserId ?? 'UBOT0001';
  const botName = options.botName ?? 'ngb';
  const workspace = { teamId: 'T0FAKE01', appId: 'A0FAKE01', botUserId };
  const users = new Map<string, FakeSlackUser>([[botUserId, { id: botUserId, name: botName, isBot: true }]]);
  for (const user of options.users ?? []) users.set(user.id, user);
  const posted = new Map<string, { channel: string; ts: string; user: string; text: string; threadTs?: string }>();
  let baseUrl = '';
  let lastTs = 0;
  const nextTs = () => {
    lastTs = Math.max(lastTs + 1, Date.now() * 1000);
    return `${Math.floor(lastTs / 1_000_000)}.${String(lastTs % 1_000_000).padStart(6, '0')}`;
  };
  const socket = createFakeSlackSocket(workspace.appId);
  const files = new Map<string, FakeSlackFile & { data: Uint8Array }>();
  const api = createFakeSlackWebApi({
    botToken,
    appToken,
    teamId: workspace.teamId,
    botUserId,
    botId: 'BBOT0001',
    botName,
    users,
    channelNames: new Map(Object.entries(options.channels ?? {})),
    files,
    baseUrl: () => baseUrl,
    nextTs,
    newSocketTicket: () => socket.newTicket(),
  });
  const deliver = (event: FakeSlackEvent) => socket.deliver('events_api', eventCallback(workspace, event, Date.now()));

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', baseUrl);
    const contentType = String(request.headers['content-type'] ?? '');
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    const apiMethod = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
    if (apiMethod && request.method === 'POST') {
      const params = parseParams(await readBody(request), contentType);
      const token = bearer ?? (typeof params.token === 'string' ? params.token : undefined);
      const answer = api.answer(apiMethod, params, token, contentType);
      writeJson(response, answer.status, answer.body, answer.headers);
      return;
    }
    const upload = /^\/upload\/v1\/(\w+)$/.exec(url.pathname)?.[1];
    if (upload && request.method === 'POST') {
      const body = await readBody(request);
      let data: Uint8Array = body;
      let mimetype: string | undefined;
      if (contentType.startsWith('multipart/form-data')) {
        const form = await readForm(body, contentType);
        const part = [...form.values()].find((value) => typeof value !== 'string');
        if (part !== undefined && typeof part !== 'string') {
          data = new Uint8Array(await part.arrayBuffer());
          mimetype = part.type || undefined;
        }
      }
      if (!api.upload(upload, data, mimetype)) return writeJson(response, 404, { ok: false, error: 'file_not_found' });
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(`OK - ${data.length}`);
      return;
    }
    const download = /^\/files-pri\/[\w]+-(\w+)\/(?:download\/)?[^/]+$/.exec(url.pathname)?.[1];
    if (download && request.method === 'GET') {
      const file = files.get(download);
      if (bearer !== botToken) {
        // Slack answers an unauthenticated file URL with its sign-in page, not the file.
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html><body>Sign in to Slack</body></html>');
        return;
      }
      if (!file) return writeJson(response, 404, { ok: false, error: 'file_not_found' });
      response.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.data.length });
      response.end(Buffer.from(file.data));
      return;
    }
    writeJson(response, 404, { ok: false, error: 'unknown_method' });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) writeJson(response, 500, { ok: false, error: String(error) });
    });
  });
  server.on('upgrade', (request, duplex, head) => socket.upgrade(request, duplex, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function pressPayload(press: FakeSlackPress): Record<string, unknown> {
    const message = api.current(press.channel, press.ts);
    if (!message) throw new Error(`[@ngb/testing] fake Slack: the bot sent no message ${press.channel}:${press.ts}`);
    const user = users.get(press.user);
    return blockActionsPayload(workspace, message, press, { id: press.user, name: user?.name ?? press.user }, Date.now());
  }

  function post(events: FakeSlackEvent[], channel: string, ts: string): FakeSlackPosted {
    return { channel, ts, events, envelopes: events.map(deliver) };
  }

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    botToken,
    appToken,
    signingSecret,
    botUserId,
    teamId: workspace.teamId,
    addUser: (user) => void users.set(user.id, user),
    addFile: (file) => api.addFile(file.name, file.mimetype, file.data, file.user),
    postMessage(input) {
      const ts = nextTs();
      const events = newMessageEvents(input, ts, workspace.teamId, botUserId);
      posted.set(`${input.channel}:${ts}`, {
        channel: input.channel,
        ts,
        user: input.user,
        text: String(events[0]?.text ?? ''),
        ...(input.threadTs ? { threadTs: input.threadTs } : {}),
      });
      return post(events, input.channel, ts);
    },
    editMessage(channel, ts, text) {
      const original = posted.get(`${channel}:${ts}`);
      if (!original) throw new Error(`[@ngb/testing] fake Slack: no message ${channel}:${ts} to edit`);
      const event = editEvent(original, text, nextTs());
      original.text = String((event.message as { text: string }).text);
      return post([event], channel, ts);
    },
    deleteMessage(channel, ts) {
      const original = posted.get(`${channel}:${ts}`);
      if (!original) throw new Error(`[@ngb/testing] fake Slack: no message ${channel}:${ts} to delete`);
      posted.delete(`${channel}:${ts}`);
      return post([deleteEvent(original, nextTs())], channel, ts);
    },
    deliverEvent: deliver,
    pressButton(press) {
      const payload = pressPayload(press);
      return { payload, envelope: socket.deliver('interactive', payload) };
    },
    pressPayload,
    deliverInteraction: (payload) => socket.deliver('interactive', payload),
    interactionRequest: (payload, requestOptions = {}) =>
      signedSlackInteraction(payload, { ...requestOptions, signingSecret: requestOptions.signingSecret ?? signingSecret }),
    redeliver: (envelopeId) => socket.redeliver(envelopeId),
    eventCallback: (event) => eventCallback(workspace, event, Date.now()),
    signedRequest: (body, requestOptions = {}) =>
      signedSlackRequest(body, { ...requestOptions, signingSecret: requestOptions.signingSecret ?? signingSecret }),
    envelopes: () => socket.envelopes(),
    unackedEnvelopes: () => socket.envelopes().filter((envelope) => !envelope.acked),
    waitForAck: (envelopeId) => socket.waitForAck(envelopeId),
    silence: () => socket.silence(),
    speak: () => socket.speak(),
    withholdHello: (value = true) => socket.setWithholdHello(value),
    sendDisconnect: (reason = 'refresh_requested') => socket.sendDisconnect(reason),
    dropConnections: () => socket.drop(),
    ping: () => socket.ping(),
    openConnections: () => socket.openConnections(),
    connectionsOpened: () => socket.connectionsOpened(),
    calls: (method) => (method === undefined ? [...api.calls] : api.calls.filter((call) => call.method === method)),
    sent: () => structuredClone(api.sent),
    failNext: (method, ...failures) => api.failNext(method, ...failures),
    rejectMarkup: (marker) => api.rejectMarkup(marker),
    close: () =>
      new Promise<void>((resolve, reject) => {
        socket.close();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
