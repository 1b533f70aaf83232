import type { ChannelStatus, Logger } from '@ngb/plugin-sdk';

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
  | { type: 'message.dropped'; messageId?: string; agentId?: string; reason: string }
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
  | { type: 'sandbox.acquired'; sessionId: string; sandboxId: string; durationMs: number }
  | { type: 'sandbox.reaped'; count: number }
  | { type: 'delivery.sent'; outboxId: string; channel: string; chatId: string; platformMessageId: string; chunks: number }
  | { type: 'delivery.failed'; outboxId: string; channel: string; chatId: string; error: string; permanent: boolean }
  | { type: 'approval.requested'; approvalId: string; kind: 'chat' | 'sender'; chatId: string; code: string }
  | { type: 'approval.resolved'; approvalId: string; status: 'approved' | 'denied' }
  | { type: 'channel.status'; channel: string; status: ChannelStatus }
  | { type: 'plugin.error'; plugin: string; hook: string; error: string };

/** The names of {@link GatewayEvent}s. */
export type GatewayEventType = GatewayEvent['type'];

/** An event as delivered: the event plus the time it happened. */
export type TimedGatewayEvent = GatewayEvent & { at: number };

/** A listener; its errors are logged and never reach the emitter. */
export type GatewayEventListener<E extends TimedGatewayEvent = TimedGatewayEvent> = (event: E) => void;

/** In-process publish/subscribe of {@link GatewayEvent}s. */
export interface EventBus {
  /**
   * Subscribes to every event, or to one type.
   * @returns a function that unsubscribes
   */
  on(listener: GatewayEventListener): () => void;
  on<T extends GatewayEventType>(type: T, listener: GatewayEventListener<Extract<TimedGatewayEvent, { type: T }>>): () => void;
  /** Publishes an event to the current listeners, synchronously. */
  emit(event: GatewayEvent): void;
}

/** Creates an {@link EventBus}. */
export function createEventBus(options: { now: () => number; logger: Logger }): EventBus {
  const listeners = new Set<{ type?: GatewayEventType; listener: GatewayEventListener }>();
  return {
    on(typeOrListener: GatewayEventType | GatewayEventListener, maybeListener?: GatewayEventListener<never>) {
      const entry =
        typeof typeOrListener === 'function'
          ? { listener: typeOrListener }
          : { type: typeOrListener, listener: maybeListener as unknown as GatewayEventListener };
      listeners.add(entry);
      return () => void listeners.delete(entry);
    },
    emit(event) {
      const timed = { ...event, at: options.now() } as TimedGatewayEvent;
      for (const entry of listeners) {
        if (entry.type !== undefined && entry.type !== event.type) continue;
        try {
          entry.listener(timed);
        } catch (error) {
          options.logger.warn('event listener failed', { type: event.type, error });
        }
      }
    },
  } as EventBus;
}
