import { describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../web/src/events';
import { applyTurnEvent, type LiveTurn } from '../web/src/live-turns';

let seq = 0;
const event = (type: string, fields: Record<string, unknown> = {}): GatewayEvent => {
  seq += 1;
  return { type, at: 1_000 + seq, seq, turnId: 't1', sessionId: 's1', ...fields };
};
const play = (events: GatewayEvent[]) => events.reduce<LiveTurn[]>(applyTurnEvent, []);

describe('live turns of the session view', () => {
  it('builds a turn from its events: text, a tool call with its output, then more text', () => {
    const [turn] = play([
      event('turn.start', { attempt: 1 }),
      event('text.delta', { text: 'Let me ' }),
      event('text.delta', { text: 'look.' }),
      event('tool.start', { callId: 'c1', name: 'bash', input: { command: 'ls' } }),
      event('tool.end', { callId: 'c1', name: 'bash', output: 'notes.md', isError: false, durationMs: 12 }),
      event('text.delta', { text: 'One file.' }),
      event('turn.end', { status: 'succeeded', durationMs: 900, usage: { inputTokens: 10, outputTokens: 5 } }),
    ]);
    expect(turn).toMatchObject({ status: 'succeeded', durationMs: 900, tokens: 15 });
    expect(turn?.blocks).toEqual([
      { kind: 'text', text: 'Let me look.' },
      {
        kind: 'tool',
        call: {
          callId: 'c1',
          name: 'bash',
          input: { command: 'ls' },
          done: true,
          output: 'notes.md',
          isError: false,
          durationMs: 12,
        },
      },
      { kind: 'text', text: 'One file.' },
    ]);
  });

  it('takes back retracted text across blocks, as a retried model call voids it', () => {
    const [turn] = play([
      event('text.delta', { text: 'abc' }),
      event('tool.start', { callId: 'c1', name: 'bash', input: {} }),
      event('text.delta', { text: 'de' }),
      event('text.retracted', { length: 4 }),
    ]);
    expect(turn?.blocks).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'tool', call: { callId: 'c1', name: 'bash', input: {}, done: false } },
    ]);
  });

  it('ignores events of no turn, and keeps turns apart', () => {
    const turns = play([
      event('channel.status', { turnId: undefined }),
      event('text.delta', { text: 'first' }),
      event('text.delta', { turnId: 't2', text: 'second' }),
    ]);
    expect(turns.map((turn) => [turn.turnId, turn.blocks])).toEqual([
      ['t1', [{ kind: 'text', text: 'first' }]],
      ['t2', [{ kind: 'text', text: 'second' }]],
    ]);
  });
});
