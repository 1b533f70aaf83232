import type { ChannelStatus, EgressRequestRecord, Logger, QuestionStatus } from '@ngb/plugin-sdk';
import type { GatewayHealth } from './resource-governor';

/** Token counts and cost of a turn. */
export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
  cacheTokens: number;
  /** US dollars; `null` when a call was answered by a model with no known price. */
  costUsd: number | null;
  /** The model that answered the last call, as the API reported it. */
  model?: string;
}

/** Every step of the gateway, as the dashboard, `ngb logs -f` and `ngb shell` see it. */
export type GatewayEvent =
  | { type: 'message.received'; messageId: string; channel: string; chatId: string; senderId: string; text: string }
  | { type: 'message.routed'; messageId: string; agentId: string; sessionId: string; kind: 'message' | 'context' }
  /**
   * A message the gateway did not hand to any agent, and why (the bot's own message, an unknown
   * chat, a sender not allowed or awaiting approval, no agent engaged or wired, a command the
   * gateway answered itself, ...). `chatId` is the platform's chat id; `messageId` names the stored
   * row when the message was kept.
   */
  | {
      type: 'message.dropped';
      reason: string;
      channel: string;
      chatId: string;
      senderId?: string;
      messageId?: string;
      agentId?: string;
    }
  | { type: 'message.edited'; messageId: string; channel: string; chatId: string; text: string }
  | { type: 'message.deleted'; messageId: string; channel: string; chatId: string }
  | { type: 'turn.start'; turnId: string; sessionId: string; agentId: string; attempt: number }
  | {
      type: 'turn.end';
      turnId: string;
      sessionId: string;
      agentId: string;
      status: 'succeeded' | 'failed' | 'retrying';
      durationMs: number;
      usage: TurnUsage;
      text?: string;
      error?: string;
      retryInMs?: number;
    }
  | { type: 'text.delta'; turnId: string; sessionId: string; text: string }
  /**
   * A model call still failed with a retryable error after its retries, and the turn moves on to the
   * next model of the agent's chain (`provider/model`, both); `error` is the last failure.
   */
  | { type: 'model.fallback'; turnId: string; sessionId: string; agentId: string; from: string; to: string; error: string }
  /** A model call that had streamed `length` characters failed and is sent again: those characters are void. */
  | { type: 'text.retracted'; turnId: string; sessionId: string; length: number }
  | { type: 'tool.start'; turnId: string; sessionId: string; callId: string; name: string; input: unknown }
  | {
      type: 'tool.end';
      turnId: string;
      sessionId: string;
      callId: string;
      name: string;
      durationMs: number;
      isError: boolean;
      output: string;
    }
  /** An attachment of a message a turn reads, saved in the agent's inbox (`path` as the sandbox sees it). */
  | { type: 'attachment.saved'; sessionId: string; messageId: string; name: string; path: string; bytes: number }
  /** An attachment that was not saved, and why (too large, a link in the inbox, a failed download, ...). */
  | { type: 'attachment.refused'; sessionId: string; messageId: string; name: string; reason: string }
  /**
   * Older turns of a session were summarised and archived (`archived` entries); the token counts are
   * estimates of the prompt before and after; `archivePath` is the readable copy in the agent folder.
   */
  | {
      type: 'session.compacted';
      sessionId: string;
      agentId: string;
      archived: number;
      tokensBefore: number;
      tokensAfter: number;
      archivePath?: string;
    }
  /**
   * An agent's heartbeat: `started` (handed to the main chat's session), `skipped` (not run, and why:
   * outside the active hours, no main chat, the previous one still running), `ok` (answered
   * `HEARTBEAT_OK`: nothing delivered), `delivered` (its answer was queued for the main chat once) or
   * `refused` (a budget is spent: nothing sent to the chat).
   */
  | {
      type: 'heartbeat';
      state: 'started' | 'skipped' | 'ok' | 'delivered' | 'refused';
      agentId: string;
      sessionId?: string;
      turnId?: string;
      reason?: string;
    }
  | { type: 'sandbox.acquired'; sessionId: string; sandboxId: string; durationMs: number }
  /**
   * A request through a sandbox's egress proxy, once it ended: allowed (with the bytes it moved) or
   * refused, with the reason; published once stored (`id`: its stored id, absent when storing failed).
   */
  | ({ type: 'egress.request'; id?: string } & EgressRequestRecord)
  | { type: 'sandbox.reaped'; count: number }
  /**
   * The gateway's health changed: `degraded` (memory above its limit: no new turn starts, messages
   * wait in the inbox, idle sandboxes are reaped) with the reason, or `ok` again.
   */
  | { type: 'gateway.health'; health: GatewayHealth }
  /**
   * How an MCP server of a session's sandbox fares, once per sandbox and state: `ready` with the
   * number of tools it offers, `failed` (it did not start or list its tools in time) or `exited`,
   * with the reason. A failed or exited server's tools are absent; the turn goes on without them.
   */
  | {
      type: 'sandbox.mcp';
      sessionId: string;
      sandboxId: string;
      server: string;
      state: 'ready' | 'failed' | 'exited';
      tools: number;
      problem?: string;
    }
  | { type: 'delivery.sent'; outboxId: string; channel: string; chatId: string; platformMessageId: string; chunks: number }
  /**
   * A send failed: `permanent: false` when it is retried later, `permanent: true` when the gateway
   * gave up (retries ran out or the platform refused): the reply is kept as a failed delivery (a dead
   * letter the owner is told about, listed by the API and the dashboard, and can retry).
   */
  | { type: 'delivery.failed'; outboxId: string; channel: string; chatId: string; error: string; permanent: boolean }
  /** A failed delivery was queued again (the owner pressed Retry); it is sent in its chat's order. */
  | { type: 'delivery.retried'; outboxId: string; channel: string; chatId: string }
  | { type: 'approval.requested'; approvalId: string; kind: 'chat' | 'sender'; chatId: string; code: string }
  | { type: 'approval.resolved'; approvalId: string; status: 'approved' | 'denied' }
  /** A turn asked a person a question (`ask_user`) and waits for the answer. */
  | { type: 'question.asked'; questionId: string; sessionId: string; turnId: string; text: string; options: string[] }
  /** A question was answered, or its time ran out (`answer` is then the default, or null). */
  | { type: 'question.ended'; questionId: string; sessionId: string; status: QuestionStatus; answer: string | null }
  /** Someone sent the claim code and became the gateway's owner (`chatId` is the platform's chat id). */
  | { type: 'gateway.claimed'; userId: string; channel: string; chatId: string; senderId: string }
  /** An identity was linked to a user with a `/link` code. */
  | { type: 'identity.linked'; userId: string; identityId: string; channel: string; chatId: string; senderId: string }
  | { type: 'channel.status'; channel: string; status: ChannelStatus }
  | { type: 'plugin.error'; plugin: string; hook: string; error: string }
  /**
   * A skill the gateway skipped (no SKILL.md, a link, too large, invalid front matter, ...) or a
   * skills folder it could not read, and why; told once, and again only after it went away.
   * `path` is under the agents folder (`main/skills/pdf/SKILL.md`); `agentId` is absent for the
   * global folder.
   */
  | { type: 'skill.invalid'; scope: 'agent' | 'global'; path: string; reason: string; name?: string; agentId?: string }
  /**
   * A plugin's state: `loaded` at start, `reloaded` after a hot reload swapped it, `failed` when a
   * reload was refused (the previous instance keeps running; `error` says why), `needs-approval`
   * when the app refused to load a pinned package that changed since it was approved. `source` is
   * where the plugin came from (an npm package's name, a folder) when the app said.
   */
  | {
      type: 'plugin.status';
      plugin: string;
      state: 'loaded' | 'reloaded' | 'failed' | 'needs-approval';
      version?: string;
      source?: string;
      error?: string;
    };

/** The names of {@link GatewayEvent}s. */
export type GatewayEventType = GatewayEvent['type'];

/** An event as delivered: the event, the time it happened and its place in the gateway's order. */
export type TimedGatewayEvent = GatewayEvent & {
  at: number;
  /** Increases by one with every event of the gateway, from 1; a subscriber resumes after the last it saw. */
  seq: number;
};

/** A listener; its errors are logged and never reach the emitter. */
export type GatewayEventListener<E extends TimedGatewayEvent = TimedGatewayEvent> = (event: E) => void;

/** The buffered events after a sequence number. */
export interface EventsSince {
  /** The buffered events with a greater `seq`, oldest first. */
  events: TimedGatewayEvent[];
  /**
   * True when events after the asked sequence number fell out of the buffer: `events` then starts
   * later than asked and the subscriber missed some.
   */
  missed: boolean;
}

/** In-process publish/subscribe of {@link GatewayEvent}s, with a bounded buffer of the latest ones. */
export interface EventBus {
  /**
   * Subscribes to every event, or to one type. With `after`, first replays (synchronously, in
   * order) the buffered events with a greater `seq`, then delivers live ones, with no gap and no
   * repeat; `onMissed` is called first when some of them already fell out of the buffer.
   * @returns a function that unsubscribes
   */
  on(listener: GatewayEventListener, options?: { after?: number; onMissed?: () => void }): () => void;
  on<T extends GatewayEventType>(type: T, listener: GatewayEventListener<Extract<TimedGatewayEvent, { type: T }>>): () => void;
  /** The buffered events after sequence number `seq` (0 for all), and whether some were lost. */
  since(seq: number): EventsSince;
  /** The sequence number of the latest event; 0 before the first. */
  lastSeq(): number;
  /** Publishes an event to the current listeners, synchronously. */
  emit(event: GatewayEvent): void;
}

/** The number of events the bus keeps for late subscribers, by default. */
export const defaultEventBufferSize = 10_000;

/** The most the events the bus keeps may weigh, by default (see {@link eventWeight}). */
export const defaultEventBufferChars = 1_000_000;

/**
 * What an event weighs in the buffer: its strings' lengths (nested values as JSON) plus a fixed
 * share for the object itself, so a run of small events counts too. Cheap: no copy of the event.
 */
function eventWeight(event: TimedGatewayEvent): number {
  let weight = 64;
  for (const value of Object.values(event)) {
    if (typeof value === 'string') weight += value.length;
    else if (typeof value === 'object' && value !== null) weight += JSON.stringify(value)?.length ?? 0;
    else weight += 8;
  }
  return weight;
}

/**
 * Creates an {@link EventBus} keeping the latest `bufferSize` events (default 10,000) that together
 * weigh at most `bufferChars` (default 1,000,000: tool output and replies repeat in events, and a
 * buffer bounded by count alone grows with them — about 2 MB of memory when full). The newest event
 * always stays.
 */
export function createEventBus(options: {
  now: () => number;
  logger: Logger;
  bufferSize?: number;
  bufferChars?: number;
}): EventBus {
  const capacity = options.bufferSize ?? defaultEventBufferSize;
  const budget = options.bufferChars ?? defaultEventBufferChars;
  const listeners = new Set<{ type?: GatewayEventType; listener: GatewayEventListener }>();
  // A ring: the event with sequence number n sits at (n - 1) % capacity, its weight beside it.
  const ring: Array<TimedGatewayEvent | undefined> = new Array(capacity);
  const weights = new Float64Array(capacity);
  let seq = 0;
  let oldest = 1;
  let buffered = 0;

  const since = (after: number): EventsSince => {
    const from = Math.max(after + 1, oldest);
    const events: TimedGatewayEvent[] = [];
    for (let next = from; next <= seq; next += 1) {
      const event = ring[(next - 1) % capacity];
      if (event) events.push(event);
    }
    return { events, missed: after + 1 < oldest && seq > 0 };
  };

  const deliver = (entry: { type?: GatewayEventType; listener: GatewayEventListener }, event: TimedGatewayEvent) => {
    if (entry.type !== undefined && entry.type !== event.type) return;
    try {
      entry.listener(event);
    } catch (error) {
      options.logger.warn('event listener failed', { type: event.type, error });
    }
  };

  function on(listener: GatewayEventListener, replay?: { after?: number; onMissed?: () => void }): () => void;
  function on<T extends GatewayEventType>(
    type: T,
    listener: GatewayEventListener<Extract<TimedGatewayEvent, { type: T }>>,
  ): () => void;
  function on(
    typeOrListener: GatewayEventType | GatewayEventListener,
    second?: GatewayEventListener<never> | { after?: number; onMissed?: () => void },
  ): () => void {
    const entry =
      typeof typeOrListener === 'function'
        ? { listener: typeOrListener }
        : { type: typeOrListener, listener: second as GatewayEventListener };
    const replay = typeof typeOrListener === 'function' && typeof second === 'object' ? second : undefined;
    if (replay?.after !== undefined) {
      // Emitting is synchronous, so nothing can come between the replay and the subscription.
      const missed = since(replay.after);
      if (missed.missed) replay.onMissed?.();
      for (const event of missed.events) deliver(entry, event);
    }
    listeners.add(entry);
    return () => void listeners.delete(entry);
  }

  return {
    on,
    since,
    lastSeq: () => seq,
    emit(event) {
      seq += 1;
      const timed = { ...event, at: options.now(), seq } as TimedGatewayEvent;
      const weight = eventWeight(timed);
      while (oldest < seq && (seq - oldest + 1 > capacity || buffered + weight > budget)) {
        const slot = (oldest - 1) % capacity;
        buffered -= weights[slot] ?? 0;
        ring[slot] = undefined;
        oldest += 1;
      }
      ring[(seq - 1) % capacity] = timed;
      weights[(seq - 1) % capacity] = weight;
      buffered += weight;
      for (const entry of listeners) deliver(entry, timed);
    },
  };
}
