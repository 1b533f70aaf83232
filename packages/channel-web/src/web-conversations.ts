import type { MessageFormat } from '@ngb/plugin-sdk';
import type { TokenBucket } from './web-rate-limit';

/** What the page is told on the event stream. */
type WebEventType = 'message' | 'edit' | 'delete' | 'typing' | 'answered' | 'reset';

/** One event of a conversation's stream; ids grow by one per event of that conversation. */
export interface WebEvent {
  id: number;
  type: WebEventType;
  data: Record<string, unknown>;
  /** The size of `data` as sent (JSON, UTF-16 code units), counted against the buffer's budget. */
  size: number;
}

/** One message of a conversation, as `GET <path>/api/history` shows it. */
export interface HistoryEntry {
  /** The platform message id (the visitor's, or the one `send` returned). */
  id: string;
  from: 'visitor' | 'agent';
  text: string;
  format: MessageFormat;
  replyTo?: string;
  /** When it was posted, epoch ms. */
  at: number;
  /** When it was last edited, epoch ms. */
  editedAt?: number;
  /** The buttons under an agent's message (`OutboundMessage.choices`). */
  choices?: Array<{ id: string; label: string }>;
  /** The id of the choice that answered it; its buttons are then disabled. */
  chosen?: string;
}

/** An open event stream of a conversation. */
export interface EventConnection {
  /** Queues one event for the reader; drops the connection when its reader is too far behind. */
  write(event: WebEvent): void;
}

/** One visitor's chat: its recent events and messages, its open streams and its rate limit. */
export interface Conversation {
  readonly id: string;
  /** The newest events, oldest first (at most one typing event). */
  readonly events: WebEvent[];
  /** The id of the newest event (0 before any). */
  lastEventId: number;
  /** The newest event id pushed out of `events` by its bounds. */
  evictedUpTo: number;
  /** The sum of the buffered events' sizes. */
  eventsSize: number;
  /** The newest event id written to any connection. */
  deliveredUpTo: number;
  /**
   * Whether any event id of this conversation reached a client: a stream opened, or its history (which
   * names the latest id) was read. Until then, a `Last-Event-ID` a client sends comes from an earlier
   * run of the gateway (or an earlier conversation of the visitor, forgotten since), whatever its number.
   */
  idsShown: boolean;
  /** The newest messages, oldest first. */
  readonly history: HistoryEntry[];
  readonly connections: Set<EventConnection>;
  readonly bucket: TokenBucket;
}

/** Bounds of {@link createConversations}. */
export interface ConversationLimits {
  eventBufferSize: number;
  /** The most the buffered events of one conversation may weigh (their JSON, UTF-16 code units). */
  eventBufferChars: number;
  historySize: number;
  maxVisitors: number;
  /** A new visitor's token bucket starts full with this many tokens. */
  burst: number;
}

/** The conversations the adapter holds in memory. */
export interface Conversations {
  /** The conversation of `id`, created when new (forgetting the longest idle one past the bound). */
  get(id: string, now: number): Conversation;
  /** Appends an event (replacing an older typing event) and writes it to every open connection. */
  publish(conversation: Conversation, type: Exclude<WebEventType, 'reset'>, data: Record<string, unknown>): WebEvent;
  /** Appends a message to the history, dropping the oldest past the bound. */
  remember(conversation: Conversation, entry: HistoryEntry): void;
  /**
   * Adds the messages kept elsewhere (the gateway's store) that the history lacks, in time order,
   * keeping the newest within the bound. Entries already in memory stay as they are.
   */
  restore(conversation: Conversation, kept: HistoryEntry[]): void;
}

/** Creates the in-memory {@link Conversations}. */
export function createConversations(limits: ConversationLimits): Conversations {
  const all = new Map<string, Conversation>();

  const evictIdle = () => {
    for (const [id, conversation] of all) {
      if (all.size <= limits.maxVisitors) return;
      if (conversation.connections.size === 0) all.delete(id);
    }
  };

  return {
    get(id, now) {
      const known = all.get(id);
      if (known) {
        // Map order is the eviction order: the least recently used comes first.
        all.delete(id);
        all.set(id, known);
        return known;
      }
      const conversation: Conversation = {
        id,
        events: [],
        lastEventId: 0,
        evictedUpTo: 0,
        eventsSize: 0,
        deliveredUpTo: 0,
        idsShown: false,
        history: [],
        connections: new Set(),
        bucket: { tokens: limits.burst, updatedAt: now },
      };
      all.set(id, conversation);
      evictIdle();
      return conversation;
    },
    publish(conversation, type, data) {
      conversation.lastEventId += 1;
      const event: WebEvent = { id: conversation.lastEventId, type, data, size: JSON.stringify(data).length };
      if (type === 'typing') {
        // Only the latest typing indicator means anything; keeping one leaves room for messages.
        const stale = conversation.events.findIndex((candidate) => candidate.type === 'typing');
        if (stale >= 0) conversation.eventsSize -= conversation.events.splice(stale, 1)[0]?.size ?? 0;
      }
      conversation.events.push(event);
      conversation.eventsSize += event.size;
      // A streamed reply repeats its whole text in every edit: the budget in characters, not only the
      // count, bounds what an idle visitor holds. The newest event always stays.
      while (
        conversation.events.length > 1 &&
        (conversation.events.length > limits.eventBufferSize || conversation.eventsSize > limits.eventBufferChars)
      ) {
        const evicted = conversation.events.shift();
        if (!evicted) break;
        conversation.eventsSize -= evicted.size;
        conversation.evictedUpTo = evicted.id;
      }
      for (const connection of [...conversation.connections]) connection.write(event);
      if (conversation.connections.size > 0) conversation.deliveredUpTo = event.id;
      return event;
    },
    remember(conversation, entry) {
      conversation.history.push(entry);
      while (conversation.history.length > limits.historySize) conversation.history.shift();
    },
    restore(conversation, kept) {
      const known = new Set(conversation.history.map((entry) => entry.id));
      // A stable sort: entries of the same millisecond keep the order they were given in.
      const merged = [...kept.filter((entry) => !known.has(entry.id)), ...conversation.history].sort((a, b) => a.at - b.at);
      conversation.history.splice(0, conversation.history.length, ...merged.slice(-limits.historySize));
    },
  };
}
