import type { EventBus, Gateway, TimedGatewayEvent, TurnUsage } from '@ngb/core';
import type { ReceiveResult } from '@ngb/plugin-sdk';
import type { CliChannel } from './cli-channel';

/** One tool call of a turn, as the events told it. */
interface ToolCallRecord {
  id: string;
  name: string;
  input: unknown;
  output?: string;
  isError?: boolean;
  durationMs?: number;
}

/** How a turn ended. */
export interface TurnOutcome {
  /** `dropped`: the gateway answered without a turn (a `/clear`-style command) or did not route the message. */
  status: 'succeeded' | 'failed' | 'dropped';
  turnId: string | undefined;
  /** What reached the terminal: the reply and anything the agent sent with `send_message`. */
  deliveries: string[];
  /** The turn's final answer (the reply). */
  finalText: string;
  error?: string;
  usage: TurnUsage;
  toolCalls: ToolCallRecord[];
  durationMs: number;
}

/** Live events of the turn, for `--stream` and the shell. */
export type TurnEvent = Extract<
  TimedGatewayEvent,
  { type: 'text.delta' | 'tool.start' | 'tool.end' | 'sandbox.acquired' | 'turn.start' }
>;

const emptyUsage: TurnUsage = { inputTokens: 0, outputTokens: 0, cacheTokens: 0, costUsd: 0 };

/**
 * Sends a prompt and follows the session's next turn until it ends and its replies are delivered.
 * A turn that is retried keeps being followed (terminal conversations run without retries).
 */
export async function runTurn(
  gateway: Gateway,
  channel: CliChannel,
  input: { sessionId: string; chatId: string; send: () => Promise<ReceiveResult>; onEvent?: (event: TurnEvent) => void },
): Promise<TurnOutcome> {
  const started = Date.now();
  const deliveries: string[] = [];
  const toolCalls = new Map<string, ToolCallRecord>();
  let turnId: string | undefined;
  let settle: (outcome: Omit<TurnOutcome, 'deliveries' | 'toolCalls' | 'durationMs'>) => void = () => undefined;
  const ended = new Promise<Omit<TurnOutcome, 'deliveries' | 'toolCalls' | 'durationMs'>>((resolve) => {
    settle = resolve;
  });
  const bus: EventBus = gateway.events;
  const unsubscribe = bus.on((event) => {
    if (!('sessionId' in event) || event.sessionId !== input.sessionId) return;
    switch (event.type) {
      case 'turn.start':
        turnId = event.turnId;
        break;
      case 'tool.start':
        toolCalls.set(event.callId, { id: event.callId, name: event.name, input: event.input });
        break;
      case 'tool.end': {
        const call = toolCalls.get(event.callId) ?? { id: event.callId, name: event.name, input: undefined };
        toolCalls.set(event.callId, { ...call, output: event.output, isError: event.isError, durationMs: event.durationMs });
        break;
      }
      case 'turn.end':
        if (event.status !== 'retrying') {
          settle({
            status: event.status,
            turnId: event.turnId,
            finalText: event.text ?? '',
            error: event.error,
            usage: event.usage,
          });
        }
        break;
      default:
        break;
    }
    if (
      event.type === 'text.delta' ||
      event.type === 'tool.start' ||
      event.type === 'tool.end' ||
      event.type === 'sandbox.acquired' ||
      event.type === 'turn.start'
    ) {
      input.onEvent?.(event);
    }
  });
  const stopListening = channel.onDelivery(input.chatId, (delivery) => deliveries.push(delivery.text));
  try {
    const received = await input.send();
    // Only a message routed to this conversation's session starts the turn followed here.
    const routedHere =
      'routed' in received && received.routed.some((route) => route.sessionId === input.sessionId && route.kind === 'message');
    if (!routedHere) {
      const reason = 'dropped' in received ? received.dropped : 'routed to another session';
      settle({ status: 'dropped', turnId: undefined, finalText: '', error: reason, usage: noUsage() });
    }
    const outcome = await ended;
    await gateway.idle();
    return {
      ...outcome,
      turnId: outcome.turnId ?? turnId,
      deliveries,
      toolCalls: [...toolCalls.values()],
      durationMs: Date.now() - started,
    };
  } finally {
    unsubscribe();
    stopListening();
  }
}

/** The usage of a turn that reported none. */
export function noUsage(): TurnUsage {
  return { ...emptyUsage };
}
