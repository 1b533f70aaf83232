import type { GatewayEvent } from './events';
import type { ToolCallView } from './types';

/** A piece of a turn as it streams: text, or a tool call. */
export type LiveBlock = { kind: 'text'; text: string } | { kind: 'tool'; call: ToolCallView };

/** One turn of a session, built from its events. */
export interface LiveTurn {
  turnId: string;
  status: 'running' | 'succeeded' | 'failed' | 'retrying';
  attempt: number;
  startedAt: number;
  blocks: LiveBlock[];
  error?: string;
  durationMs?: number;
  tokens?: number;
}

function retract(blocks: LiveBlock[], length: number): LiveBlock[] {
  const next = [...blocks];
  let left = length;
  for (let index = next.length - 1; index >= 0 && left > 0; index -= 1) {
    const block = next[index];
    if (block?.kind !== 'text') continue;
    const keep = Math.max(0, block.text.length - left);
    left -= block.text.length - keep;
    if (keep === 0) next.splice(index, 1);
    else next[index] = { kind: 'text', text: block.text.slice(0, keep) };
  }
  return next;
}

/** Applies one gateway event to the turns of a session (a new array when something changed). */
export function applyTurnEvent(turns: LiveTurn[], event: GatewayEvent): LiveTurn[] {
  const turnId = typeof event.turnId === 'string' ? event.turnId : undefined;
  if (turnId === undefined) return turns;
  const index = turns.findIndex((turn) => turn.turnId === turnId);
  const current: LiveTurn = turns[index] ?? { turnId, status: 'running', attempt: 1, startedAt: event.at, blocks: [] };
  let next: LiveTurn;
  switch (event.type) {
    case 'turn.start':
      next = { ...current, status: 'running', attempt: Number(event.attempt ?? 1), startedAt: event.at, error: undefined };
      break;
    case 'text.delta': {
      const last = current.blocks.at(-1);
      const text = String(event.text ?? '');
      next = {
        ...current,
        blocks:
          last?.kind === 'text'
            ? [...current.blocks.slice(0, -1), { kind: 'text', text: last.text + text }]
            : [...current.blocks, { kind: 'text', text }],
      };
      break;
    }
    case 'text.retracted':
      next = { ...current, blocks: retract(current.blocks, Number(event.length ?? 0)) };
      break;
    case 'tool.start':
      next = {
        ...current,
        blocks: [
          ...current.blocks,
          { kind: 'tool', call: { callId: String(event.callId), name: String(event.name), input: event.input, done: false } },
        ],
      };
      break;
    case 'tool.end':
      next = {
        ...current,
        blocks: current.blocks.map((block) =>
          block.kind === 'tool' && block.call.callId === event.callId
            ? {
                kind: 'tool',
                call: {
                  ...block.call,
                  done: true,
                  output: String(event.output ?? ''),
                  isError: Boolean(event.isError),
                  durationMs: Number(event.durationMs),
                },
              }
            : block,
        ),
      };
      break;
    case 'turn.end': {
      const usage = event.usage as { inputTokens?: number; outputTokens?: number } | undefined;
      next = {
        ...current,
        status: event.status as LiveTurn['status'],
        error: typeof event.error === 'string' ? event.error : undefined,
        durationMs: Number(event.durationMs),
        tokens: (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0),
      };
      break;
    }
    default:
      return turns;
  }
  return index === -1 ? [...turns, next] : turns.map((turn, position) => (position === index ? next : turn));
}
