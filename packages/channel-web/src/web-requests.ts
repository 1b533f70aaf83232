import { randomUUID } from 'node:crypto';
import {
  type ChannelContext,
  type ChannelHistoryMessage,
  type ChannelIdentity,
  type Clock,
  errorMessage,
  type InboundMessage,
  type InboundReplyTo,
  type Logger,
} from '@ngb/plugin-sdk';
import { parseWebChoiceRequest } from './web-choice-request';
import type { Conversation, Conversations, HistoryEntry } from './web-conversations';
import { openEventStream } from './web-event-stream';
import { errorResponse, jsonResponse, readJsonBody } from './web-http';
import { parseWebMessageRequest } from './web-message-request';
import type { ResolvedWebChannelOptions } from './web-options';
import { type TokenBucket, takeToken } from './web-rate-limit';
import { identifyVisitor } from './web-visitor-cookie';

/**
 * Who the server vouches for. The server passes it only after checking the admin token; the adapter
 * never derives it from the request.
 */
export interface WebAccess {
  /** `dashboard`: the request speaks as the gateway owner's dashboard chat. */
  speaker: 'dashboard';
}

/** The fixed identity (chat and sender) of the dashboard's own chat. */
const dashboardSpeakerId = 'dashboard';

/** What the request handler needs from the adapter. */
export interface WebRequestDependencies {
  name: string;
  options: ResolvedWebChannelOptions;
  clock: Clock;
  conversations: Conversations;
  /** Open event streams, closed by `stop`. */
  streams: Set<{ close(): void }>;
  /** The context while started, else undefined. */
  context(): ChannelContext | undefined;
  self: ChannelIdentity;
  logger(): Logger;
}

interface Speaker {
  id: string;
  name: string;
  setCookie?: string;
}

const routes = new Map([
  ['messages', 'POST'],
  ['choices', 'POST'],
  ['events', 'GET'],
  ['history', 'GET'],
]);

/** Answers every request under `<path>/api/`; see `WebChannel.handleRequest`. */
export function createWebRequestHandler(dependencies: WebRequestDependencies) {
  const { options, clock, conversations } = dependencies;
  const prefix = `${options.path}/api/`;

  const newVisitors: TokenBucket = { tokens: options.newVisitorRateLimit.visitors, updatedAt: clock.now() };

  /** The speaker of the request, or the 429 to answer when it would be one new identity too many. */
  const identify = (request: Request, access: WebAccess | undefined): Speaker | Response => {
    if (access?.speaker === dashboardSpeakerId) return { id: dashboardSpeakerId, name: 'Dashboard' };
    const visitor = identifyVisitor(request, options.secret, options.path);
    if (visitor.setCookie !== undefined) {
      const { visitors, perSeconds } = options.newVisitorRateLimit;
      const rate = takeToken(newVisitors, visitors, perSeconds, clock.now());
      if (!rate.allowed)
        return errorResponse(429, 'rate-limited', `too many new visitors: wait ${rate.retryAfterSeconds} s`, {
          'retry-after': String(rate.retryAfterSeconds),
        });
    }
    return { ...visitor, name: `Visitor ${visitor.id.slice(0, 6)}` };
  };

  /** The conversation's rate limit, then the body within its size limit: what a message and a press both pass. */
  const readLimited = async (request: Request, conversation: Conversation, now: number) => {
    const rate = takeToken(conversation.bucket, options.rateLimit.messages, options.rateLimit.perSeconds, now);
    if (!rate.allowed) {
      await request.body?.cancel().catch(() => undefined);
      return {
        ok: false as const,
        response: errorResponse(429, 'rate-limited', `too many messages: wait ${rate.retryAfterSeconds} s`, {
          'retry-after': String(rate.retryAfterSeconds),
        }),
      };
    }
    return readJsonBody(request, options.maxBodyBytes);
  };

  const postMessage = async (request: Request, speaker: Speaker, context: ChannelContext): Promise<Response> => {
    const now = clock.now();
    const conversation = conversations.get(speaker.id, now);
    const body = await readLimited(request, conversation, now);
    if (!body.ok) return body.response;
    const parsed = parseWebMessageRequest(body.text, options.maxMessageLength);
    if (!parsed.ok) return errorResponse(400, parsed.code, parsed.message);
    const { text, replyTo, name } = parsed.request;
    const platformMessageId = randomUUID();
    const inbound: InboundMessage = {
      kind: 'message',
      channel: dependencies.name,
      chat: { id: speaker.id, name: speaker.name, isGroup: false },
      platformMessageId,
      sender: { id: speaker.id, name: name ?? speaker.name, isBot: false },
      text,
      mentionsBot: false,
      ...(replyTo !== undefined && { replyTo: quoted(conversation, replyTo, speaker) }),
      timestamp: now,
    };
    try {
      await context.receive(inbound);
    } catch (error) {
      dependencies.logger().error('web chat message could not be stored', { visitor: speaker.id, error });
      return errorResponse(500, 'receive-failed', 'the message could not be stored; send it again');
    }
    conversations.remember(conversation, {
      id: platformMessageId,
      from: 'visitor',
      text,
      format: 'plain',
      ...(replyTo !== undefined && { replyTo }),
      at: now,
    });
    return jsonResponse(202, { id: platformMessageId, at: now });
  };

  /**
   * A press of a button under one of the agent's messages of this conversation: rate limited and
   * size limited like a message; the message must be the agent's, hold that choice and be unanswered.
   * Answered (the core took it as the answer), its buttons are disabled for every open page.
   */
  const postChoice = async (request: Request, speaker: Speaker, context: ChannelContext): Promise<Response> => {
    const now = clock.now();
    const conversation = conversations.get(speaker.id, now);
    const body = await readLimited(request, conversation, now);
    if (!body.ok) return body.response;
    const parsed = parseWebChoiceRequest(body.text);
    if (!parsed.ok) return errorResponse(400, parsed.code, parsed.message);
    const { messageId, choiceId } = parsed.request;
    const entry = conversation.history.find((candidate) => candidate.id === messageId && candidate.from === 'agent');
    const choice = entry?.choices?.find((candidate) => candidate.id === choiceId);
    if (!entry || !choice) return errorResponse(404, 'unknown-choice', 'no message of this chat offers that choice');
    if (entry.chosen !== undefined) return errorResponse(409, 'already-answered', 'that question is already answered');
    const inbound: InboundMessage = {
      kind: 'choice',
      channel: dependencies.name,
      chat: { id: speaker.id, name: speaker.name, isGroup: false },
      platformMessageId: `choice:${messageId}`,
      sender: { id: speaker.id, name: speaker.name, isBot: false },
      text: choice.label,
      mentionsBot: false,
      choice: choice.id,
      timestamp: now,
    };
    let answered: boolean;
    try {
      const result = await context.receive(inbound);
      answered = 'routed' in result && result.routed.some((route) => route.kind === 'answer');
    } catch (error) {
      dependencies.logger().error('web chat choice could not be taken', { visitor: speaker.id, error });
      return errorResponse(500, 'receive-failed', 'the choice could not be taken; press it again');
    }
    if (!answered) return errorResponse(409, 'not-taken', 'the question no longer waits for an answer');
    if (entry.chosen === undefined) {
      entry.chosen = choice.id;
      conversations.publish(conversation, 'answered', { id: messageId, choice: choice.id, at: now });
    }
    return jsonResponse(202, { id: messageId, choice: choice.id, at: now });
  };

  const quoted = (conversation: Conversation, id: string, speaker: Speaker): InboundReplyTo => {
    const entry = conversation.history.find((candidate) => candidate.id === id);
    if (!entry) return { id };
    const author = entry.from === 'agent' ? dependencies.self : { id: speaker.id, name: speaker.name };
    return { id, author: { id: author.id, name: author.name }, text: entry.text };
  };

  const openEvents = (request: Request, speaker: Speaker, setCookie: Record<string, string>): Response => {
    const written = request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('lastEventId');
    if (written !== null && !/^\d{1,15}$/.test(written.trim()))
      return errorResponse(400, 'invalid-last-event-id', 'Last-Event-ID must be an event id this stream sent');
    return openEventStream({
      conversation: conversations.get(speaker.id, clock.now()),
      resumeAfter: written === null ? undefined : Number(written.trim()),
      queueSize: options.connectionQueueSize,
      heartbeatMs: options.heartbeatMs,
      clock,
      logger: dependencies.logger(),
      headers: setCookie,
      open: dependencies.streams,
    });
  };

  // A conversation this run has not held since it started (a restart of the gateway, or a visitor
  // forgotten from memory past `maxVisitors`) gets what the gateway kept of it, once, before its
  // history is first shown: the page shows the conversation again, not an empty chat.
  const restored = new WeakSet<Conversation>();
  const restore = async (conversation: Conversation, context: ChannelContext) => {
    if (restored.has(conversation) || context.recentMessages === undefined) return;
    try {
      const kept = await context.recentMessages(conversation.id, options.historySize);
      conversations.restore(conversation, kept.map(historyEntryOf));
      restored.add(conversation);
    } catch (error) {
      // Read again at the next request; meanwhile the page gets what is in memory.
      dependencies.logger().warn('could not read the conversation the gateway kept', { error: errorMessage(error) });
    }
  };

  const history = async (speaker: Speaker, context: ChannelContext): Promise<Response> => {
    const conversation = conversations.get(speaker.id, clock.now());
    await restore(conversation, context);
    conversation.idsShown = true;
    return jsonResponse(200, {
      visitor: { id: speaker.id, name: speaker.name },
      assistant: { id: dependencies.self.id, name: dependencies.self.name },
      messages: conversation.history,
      lastEventId: conversation.lastEventId,
    });
  };

  return async function handleRequest(request: Request, access?: WebAccess): Promise<Response> {
    const { pathname } = new URL(request.url);
    const route = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : '';
    const method = routes.get(route);
    if (method === undefined) return errorResponse(404, 'not-found', `no web chat route ${pathname}`);
    if (request.method !== method)
      return errorResponse(405, 'method-not-allowed', `${pathname} accepts ${method} only`, { allow: method });
    const context = dependencies.context();
    if (!context) return errorResponse(503, 'not-started', 'the web chat is not running; try again shortly');
    const speaker = identify(request, access);
    if (speaker instanceof Response) {
      await request.body?.cancel().catch(() => undefined);
      return speaker;
    }
    const setCookie: Record<string, string> = speaker.setCookie === undefined ? {} : { 'set-cookie': speaker.setCookie };
    let response: Response;
    if (route === 'messages') response = await postMessage(request, speaker, context);
    else if (route === 'choices') response = await postChoice(request, speaker, context);
    else if (route === 'events') return openEvents(request, speaker, setCookie);
    else response = await history(speaker, context);
    for (const [key, value] of Object.entries(setCookie)) response.headers.set(key, value);
    return response;
  };
}

/** A message the gateway kept, as the history shows it. */
function historyEntryOf(message: ChannelHistoryMessage): HistoryEntry {
  return {
    id: message.platformMessageId,
    from: message.direction === 'inbound' ? 'visitor' : 'agent',
    text: message.text,
    format: message.format,
    at: message.timestamp,
    ...(message.editedAt === undefined ? {} : { editedAt: message.editedAt }),
  };
}
