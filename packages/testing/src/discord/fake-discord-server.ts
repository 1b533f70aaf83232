/**
 * A fake Discord for tests: a real HTTP server on 127.0.0.1 speaking Discord's REST API (v10) under
 * `/api`, its gateway WebSocket at `/gateway`, and a CDN for attachments under `/attachments`.
 *
 * Point discord.js at it with `new Client({ intents, rest: { api: server.apiUrl } })`: the client asks
 * `GET /api/v10/gateway/bot` for the gateway URL and connects there. The gateway says HELLO, answers
 * IDENTIFY with READY and one GUILD_CREATE per guild, ACKs heartbeats, dispatches the messages tests
 * inject (MESSAGE_CREATE, MESSAGE_UPDATE, MESSAGE_DELETE, THREAD_CREATE), answers RESUME with the events
 * the client missed then RESUMED (or INVALID_SESSION when told to), and closes with 4004 on a wrong token.
 *
 * Messages may carry action rows of buttons (`components`); `pressButton` dispatches INTERACTION_CREATE
 * (type 3 MESSAGE_COMPONENT) and the fake takes the bot's answer at
 * `POST /api/v10/interactions/{id}/{token}/callback` (no bot token, as Discord; once per interaction;
 * type 7 UPDATE_MESSAGE changes the message).
 *
 * It records what the bot sent (messages, edits, deletions, typing, files) and can fail the next REST
 * call (429 with `retry_after`, 5xx, 401, 403), stop ACKing heartbeats, go silent without closing, or
 * drop the connection.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { createFakeDiscordGateway, type FakeDiscordGatewayLog } from './discord-fake-gateway';
import { buttonsOfComponents, componentInteraction, type FakeDiscordInteraction } from './discord-fake-interactions';
import {
  attachmentObject,
  channelObject,
  type FakeDiscordChannel,
  type FakeDiscordFile,
  type FakeDiscordGuild,
  type FakeDiscordUser,
  guildObject,
  nextSnowflake,
  userObject,
} from './discord-fake-payloads';
import {
  type FakeDiscordFailure,
  type FakeDiscordRequest,
  invalidFormBody,
  parseBody,
  writeEmpty,
  writeFailure,
  writeJson,
} from './discord-fake-rest';
import type { FakeDiscordSentMessage, FakeDiscordServer, FakeDiscordServerOptions } from './fake-discord-types';

export type { FakeDiscordButton, FakeDiscordInteraction } from './discord-fake-interactions';
export type {
  FakeDiscordInbound,
  FakeDiscordSentMessage,
  FakeDiscordServer,
  FakeDiscordServerOptions,
} from './fake-discord-types';
export type {
  FakeDiscordChannel,
  FakeDiscordFailure,
  FakeDiscordGatewayLog,
  FakeDiscordGuild,
  FakeDiscordRequest,
  FakeDiscordUser,
};

const directChannelType = 1;

/** Starts a fake Discord on 127.0.0.1 (a free port). */
export async function createFakeDiscordServer(options: FakeDiscordServerOptions = {}): Promise<FakeDiscordServer> {
  const token = options.token ?? 'fake-discord-token';
  const bot: FakeDiscordUser = options.bot ?? { id: '900000000000000001', username: 'ngb-bot', bot: true };
  const guilds: FakeDiscordGuild[] = options.guilds ?? [
    { id: '3003', name: 'Fake Guild', channels: [{ id: '2002', name: 'general' }] },
  ];
  const maxContentLength = options.maxContentLength ?? 2000;
  const sent: FakeDiscordSentMessage[] = [];
  const edits: FakeDiscordServer['edits'] = [];
  const deletions: FakeDiscordServer['deletions'] = [];
  const typing: FakeDiscordServer['typing'] = [];
  const requests: FakeDiscordRequest[] = [];
  const failures: FakeDiscordFailure[] = [];
  const messages = new Map<string, Record<string, unknown>>();
  const files = new Map<string, FakeDiscordFile>();
  const interactions: FakeDiscordInteraction[] = [];
  let baseUrl = '';

  const gateway = createFakeDiscordGateway({
    token,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    url: () => `${baseUrl.replace('http:', 'ws:')}/gateway`,
    ready: () => ({ user: userObject(bot), guilds: guilds.map((guild) => guildObject(guild, bot.id)), applicationId: bot.id }),
  });

  const guildOf = (channelId: string) => guilds.find((guild) => guild.channels.some((channel) => channel.id === channelId));
  const channelOf = (channelId: string) => guildOf(channelId)?.channels.find((channel) => channel.id === channelId);

  function messageObject(
    channelId: string,
    author: FakeDiscordUser,
    content: string,
    extra: { nick?: string; mentions?: FakeDiscordUser[]; replyTo?: string; files?: FakeDiscordFile[] } = {},
  ): Record<string, unknown> {
    const guild = guildOf(channelId);
    const mentions = [...(extra.mentions ?? [])];
    if (content.includes(`<@${bot.id}>`) && !mentions.some((user) => user.id === bot.id)) mentions.push(bot);
    const referenced = extra.replyTo === undefined ? undefined : messages.get(extra.replyTo);
    const message: Record<string, unknown> = {
      id: nextSnowflake(),
      type: extra.replyTo === undefined ? 0 : 19,
      channel_id: channelId,
      author: userObject(author),
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: mentions.map(userObject),
      mention_roles: [],
      attachments: (extra.files ?? []).map(attachmentObject),
      embeds: [],
      pinned: false,
      flags: 0,
      ...(guild
        ? {
            guild_id: guild.id,
            member: { nick: extra.nick ?? null, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false },
          }
        : { channel_type: directChannelType }),
      ...(extra.replyTo === undefined
        ? {}
        : {
            message_reference: {
              type: 0,
              message_id: extra.replyTo,
              channel_id: channelId,
              ...(guild ? { guild_id: guild.id } : {}),
            },
            referenced_message: referenced ?? null,
          }),
    };
    messages.set(String(message.id), message);
    return message;
  }

  function storeFile(channelId: string, file: { filename: string; contentType: string; data: Uint8Array }): FakeDiscordFile {
    const id = nextSnowflake();
    const stored = { id, ...file, url: `${baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}` };
    files.set(id, stored);
    return stored;
  }

  async function postMessage(request: IncomingMessage, response: ServerResponse, channelId: string): Promise<number> {
    const { json, files: uploads } = await parseBody(request);
    const content = typeof json.content === 'string' ? json.content : '';
    if (content.length > maxContentLength) {
      invalidFormBody(response, 'content', 'BASE_TYPE_MAX_LENGTH', `Must be ${maxContentLength} or fewer in length.`);
      return 400;
    }
    if (content === '' && uploads.length === 0) {
      writeJson(response, 400, { message: 'Cannot send an empty message', code: 50006 });
      return 400;
    }
    const reference = json.message_reference as { message_id?: unknown } | undefined;
    const replyTo = typeof reference?.message_id === 'string' ? reference.message_id : undefined;
    const stored = uploads.map((upload) => storeFile(channelId, upload));
    const message = messageObject(channelId, bot, content, { replyTo, files: stored });
    const flags = typeof json.flags === 'number' ? json.flags : 0;
    message.flags = flags;
    const buttons = buttonsOfComponents(json.components);
    if (Array.isArray(json.components)) message.components = json.components;
    sent.push({
      ...(buttons ? { buttons, components: json.components as unknown[] } : {}),
      id: String(message.id),
      channelId,
      content,
      flags,
      ...(replyTo === undefined ? {} : { replyTo }),
      allowedMentions: json.allowed_mentions,
      files: uploads.map(({ filename, contentType, data }) => ({ filename, contentType, size: data.length, data })),
    });
    writeJson(response, 200, message);
    gateway.dispatch('MESSAGE_CREATE', message);
    return 200;
  }

  async function interactionCallback(
    request: IncomingMessage,
    response: ServerResponse,
    id: string,
    interactionToken: string,
  ): Promise<number> {
    const interaction = interactions.find((candidate) => candidate.id === decodeURIComponent(id));
    if (!interaction || interaction.token !== decodeURIComponent(interactionToken))
      return writeJson(response, 404, { message: 'Unknown interaction', code: 10062 });
    if (interaction.callbacks.length > 0)
      return writeJson(response, 400, { message: 'Interaction has already been acknowledged.', code: 40060 });
    const { json } = await parseBody(request);
    const type = Number(json.type);
    if (![4, 5, 6, 7].includes(type)) {
      invalidFormBody(response, 'type', 'BASE_TYPE_CHOICES', `Value must be one of (4, 5, 6, 7).`);
      return 400;
    }
    const data = typeof json.data === 'object' && json.data !== null ? (json.data as Record<string, unknown>) : undefined;
    interaction.callbacks.push({ type, ...(data ? { data } : {}) });
    if (type === 7 && data) {
      const message = messages.get(interaction.messageId) ?? {};
      messages.set(interaction.messageId, {
        ...message,
        ...(typeof data.content === 'string' ? { content: data.content } : {}),
        ...(Array.isArray(data.components) ? { components: data.components } : {}),
      });
    }
    return writeEmpty(response);
  }

  async function route(request: IncomingMessage, response: ServerResponse, path: string): Promise<number> {
    const method = request.method ?? 'GET';
    const download = /^\/attachments\/[^/]+\/([^/]+)\/[^/]+$/.exec(path);
    if (download && method === 'GET') {
      const file = files.get(download[1] ?? '');
      if (!file) return writeJson(response, 404, { message: 'Not Found' });
      response.writeHead(200, { 'content-type': file.contentType, 'content-length': file.data.length });
      response.end(file.data);
      return 200;
    }
    if (!path.startsWith('/api/v10/')) return writeJson(response, 404, { message: '404: Not Found', code: 0 });
    const callback = /^\/api\/v10\/interactions\/([^/]+)\/([^/]+)\/callback$/.exec(path);
    if (callback && method === 'POST') return interactionCallback(request, response, callback[1] ?? '', callback[2] ?? '');
    if (request.headers.authorization !== `Bot ${token}`) {
      writeJson(response, 401, { message: '401: Unauthorized', code: 0 });
      return 401;
    }
    const failureIndex = failures.findIndex((failure) => path.includes(failure.match ?? '/channels/'));
    const failure = failureIndex >= 0 ? failures.splice(failureIndex, 1)[0] : undefined;
    if (failure) {
      writeFailure(response, failure);
      return failure.status;
    }
    const api = path.slice('/api/v10'.length);
    if (method === 'GET' && api === '/users/@me') return writeJson(response, 200, userObject(bot));
    if (method === 'GET' && (api === '/gateway/bot' || api === '/gateway')) {
      writeJson(response, 200, {
        url: `${baseUrl.replace('http:', 'ws:')}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      });
      return 200;
    }
    const channelRoute = /^\/channels\/([^/]+)(\/.*)?$/.exec(api);
    if (!channelRoute) return writeJson(response, 404, { message: '404: Not Found', code: 0 });
    const channelId = decodeURIComponent(channelRoute[1] ?? '');
    const rest = channelRoute[2] ?? '';
    if (method === 'GET' && rest === '') {
      const channel = channelOf(channelId);
      const guild = guildOf(channelId);
      if (!channel || !guild) return writeJson(response, 404, { message: 'Unknown Channel', code: 10003 });
      return writeJson(response, 200, channelObject(channel, guild.id, bot.id));
    }
    if (method === 'POST' && rest === '/typing') {
      typing.push({ channelId });
      return writeEmpty(response);
    }
    if (method === 'POST' && rest === '/messages') return postMessage(request, response, channelId);
    const messageRoute = /^\/messages\/([^/]+)$/.exec(rest);
    const messageId = messageRoute ? decodeURIComponent(messageRoute[1] ?? '') : undefined;
    const own = sent.find((message) => message.id === messageId && message.channelId === channelId);
    if (messageId !== undefined && (method === 'PATCH' || method === 'DELETE')) {
      if (!own) return writeJson(response, 404, { message: 'Unknown Message', code: 10008 });
      if (method === 'DELETE') {
        deletions.push({ channelId, messageId });
        return writeEmpty(response);
      }
      const { json } = await parseBody(request);
      const content = typeof json.content === 'string' ? json.content : own.content;
      if (content.length > maxContentLength) {
        invalidFormBody(response, 'content', 'BASE_TYPE_MAX_LENGTH', `Must be ${maxContentLength} or fewer in length.`);
        return 400;
      }
      const flags = typeof json.flags === 'number' ? json.flags : own.flags;
      edits.push({ channelId, messageId, content, flags });
      const message = {
        ...(messages.get(messageId) ?? {}),
        content,
        flags,
        ...(Array.isArray(json.components) ? { components: json.components } : {}),
        edited_timestamp: new Date().toISOString(),
      };
      messages.set(messageId, message);
      writeJson(response, 200, message);
      return 200;
    }
    writeJson(response, 404, { message: '404: Not Found', code: 0 });
    return 404;
  }

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://fake.invalid').pathname;
    route(request, response, path).then(
      (status) => requests.push({ method: request.method ?? 'GET', path, status }),
      (error: unknown) => {
        requests.push({ method: request.method ?? 'GET', path, status: 500 });
        if (!response.headersSent) writeJson(response, 500, { message: String(error), code: 0 });
        else response.destroy();
      },
    );
  });
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    if (!(request.url ?? '').startsWith('/gateway')) return void socket.destroy();
    sockets.handleUpgrade(request, socket, head, (webSocket) => gateway.accept(webSocket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api`,
    token,
    bot,
    sent,
    edits,
    deletions,
    typing,
    requests,
    gateway: gateway.log,
    injectMessage(input) {
      const stored = (input.attachments ?? []).map((file) => storeFile(input.channelId, file));
      const message = messageObject(input.channelId, input.author, input.content, {
        nick: input.nick,
        mentions: input.mentions,
        replyTo: input.replyTo,
        files: stored,
      });
      gateway.dispatch('MESSAGE_CREATE', message);
      return message;
    },
    injectEdit({ channelId, messageId, content }) {
      const original = messages.get(messageId);
      if (!original) throw new Error(`[@ngb/testing] fake Discord: no message ${messageId} to edit`);
      const message = { ...original, channel_id: channelId, content, edited_timestamp: new Date().toISOString() };
      messages.set(messageId, message);
      gateway.dispatch('MESSAGE_UPDATE', message);
      return message;
    },
    injectDelete({ channelId, messageId }) {
      const guild = guildOf(channelId);
      gateway.dispatch('MESSAGE_DELETE', { id: messageId, channel_id: channelId, ...(guild ? { guild_id: guild.id } : {}) });
    },
    addChannel(channel) {
      const guild = guilds[0];
      if (!guild) throw new Error('[@ngb/testing] fake Discord: no guild to add a channel to');
      guild.channels.push(channel);
      const payload = channelObject(channel, guild.id, bot.id);
      if (channel.parentId === undefined) gateway.dispatch('CHANNEL_CREATE', payload);
      else gateway.dispatch('THREAD_CREATE', { ...payload, newly_created: true });
    },
    interactions,
    pressButton(input) {
      const message = messages.get(input.messageId);
      const own = sent.find((candidate) => candidate.id === input.messageId);
      const button = buttonsOfComponents(message?.components)?.find((candidate) => candidate.customId === input.customId);
      if (!message || !own || !button || button.disabled)
        throw new Error(`[@ngb/testing] fake Discord: message ${input.messageId} shows no button ${input.customId}`);
      const guild = guildOf(own.channelId);
      const channel = guild
        ? channelObject(channelOf(own.channelId) ?? { id: own.channelId, name: 'unknown' }, guild.id, bot.id)
        : { id: own.channelId, type: directChannelType };
      const pressed = componentInteraction({
        applicationId: bot.id,
        message,
        customId: input.customId,
        user: input.user,
        ...(guild ? { guildId: guild.id } : {}),
        channel,
        ...(input.nick !== undefined ? { nick: input.nick } : {}),
      });
      interactions.push({
        id: pressed.id,
        token: pressed.token,
        channelId: own.channelId,
        messageId: input.messageId,
        customId: input.customId,
        userId: input.user.id,
        callbacks: [],
      });
      gateway.dispatch('INTERACTION_CREATE', pressed.payload);
      return pressed;
    },
    redispatch: (payload) => gateway.dispatch('INTERACTION_CREATE', payload),
    dispatch: (type, data) => gateway.dispatch(type, data),
    failNext: (failure) => void failures.push(failure),
    stopAcking: () => gateway.setAcking(false),
    goSilent: () => gateway.setSilent(true),
    speak() {
      gateway.setSilent(false);
      gateway.setAcking(true);
    },
    invalidateNextResume: () => gateway.invalidateNextResume(),
    closeConnections: (code = 4000, reason = 'Unknown error.') => gateway.closeAll(code, reason),
    terminateConnections: () => gateway.terminateAll(),
    attachedConnections: () => gateway.attached(),
    async close() {
      gateway.terminateAll();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
