import { silentLogger } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { createEventBus, type TimedGatewayEvent } from './events';

const bus = (bufferSize?: number) => createEventBus({ now: () => 42, logger: silentLogger, bufferSize });
const dropped = (reason: string) => ({ type: 'message.dropped' as const, reason, channel: 'fake', chatId: 'c1' });

describe('event bus', () => {
  it('numbers every event from 1, across types', () => {
    const events = bus();
    const seen: TimedGatewayEvent[] = [];
    events.on((event) => void seen.push(event));
    events.emit(dropped('a'));
    events.emit({ type: 'sandbox.reaped', count: 1 });
    events.emit(dropped('b'));
    expect(seen.map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(events.lastSeq()).toBe(3);
  });

  it('returns everything after a sequence number, and says when some fell out of the buffer', () => {
    const events = bus(3);
    for (const reason of ['1', '2', '3', '4', '5']) events.emit(dropped(reason));
    expect(events.since(3)).toEqual({
      events: [expect.objectContaining({ seq: 4 }), expect.objectContaining({ seq: 5 })],
      missed: false,
    });
    expect(events.since(2).missed).toBe(false);
    const late = events.since(1);
    expect(late.missed).toBe(true);
    expect(late.events.map((event) => event.seq)).toEqual([3, 4, 5]);
    expect(events.since(5)).toEqual({ events: [], missed: false });
    expect(bus().since(0)).toEqual({ events: [], missed: false });
  });

  it('keeps at most 10,000 events by default, however light', () => {
    const events = createEventBus({ now: () => 42, logger: silentLogger, bufferChars: 100_000_000 });
    for (let index = 0; index < 10_001; index += 1) events.emit(dropped(String(index)));
    const all = events.since(0);
    expect(all.missed).toBe(true);
    expect(all.events).toHaveLength(10_000);
    expect(all.events[0]?.seq).toBe(2);
  });

  it('replays what a late subscriber missed, then delivers live events with no gap and no repeat', () => {
    const events = bus(4);
    for (const reason of ['1', '2', '3']) events.emit(dropped(reason));
    const seen: number[] = [];
    let missed = false;
    events.on((event) => void seen.push(event.seq), { after: 1, onMissed: () => (missed = true) });
    events.emit(dropped('4'));
    expect(seen).toEqual([2, 3, 4]);
    expect(missed).toBe(false);

    for (const reason of ['5', '6', '7']) events.emit(dropped(reason));
    const again: number[] = [];
    events.on((event) => void again.push(event.seq), { after: 1, onMissed: () => (missed = true) });
    expect(missed).toBe(true);
    expect(again).toEqual([4, 5, 6, 7]);
  });
});

describe('event bus buffer weight', () => {
  const toolEnd = (index: number, output: string) =>
    ({
      type: 'tool.end',
      turnId: `turn-${index}`,
      sessionId: 's',
      callId: `call-${index}`,
      name: 'bash',
      durationMs: 1,
      isError: false,
      output,
    }) as const;

  it('keeps the buffered events within their weight as well as their count (large tool output)', () => {
    const events = createEventBus({ now: () => 42, logger: silentLogger, bufferSize: 10_000, bufferChars: 100_000 });
    const output = 'x'.repeat(10_000);
    for (let index = 1; index <= 1_000; index += 1) events.emit(toolEnd(index, output));
    const kept = events.since(0);
    expect(kept.missed).toBe(true);
    // Ten outputs of 10,000 characters fill 100,000; the shares per event leave room for nine.
    expect(kept.events.length).toBe(9);
    expect(kept.events.map((event) => event.seq)).toEqual([992, 993, 994, 995, 996, 997, 998, 999, 1000]);
    expect(events.since(995).events.map((event) => event.seq)).toEqual([996, 997, 998, 999, 1000]);
  });

  it('weighs about 1,000,000 characters by default', () => {
    const events = bus();
    const output = 'x'.repeat(9_936);
    for (let index = 1; index <= 1_000; index += 1) events.emit(toolEnd(index, output));
    expect(events.since(0).events.length).toBeLessThan(100);
  });

  it('always keeps the newest event, however heavy', () => {
    const events = createEventBus({ now: () => 42, logger: silentLogger, bufferChars: 100 });
    events.emit(toolEnd(1, 'small'));
    events.emit(toolEnd(2, 'y'.repeat(1_000)));
    expect(events.since(0).events.map((event) => event.seq)).toEqual([2]);
    events.emit(toolEnd(3, 'z'.repeat(1_000)));
    expect(events.since(1)).toMatchObject({ missed: true, events: [{ seq: 3 }] });
  });

  it('still drops by count first when events are light, and a late subscriber resumes with no gap', () => {
    const events = createEventBus({ now: () => 42, logger: silentLogger, bufferSize: 3 });
    for (let index = 1; index <= 5; index += 1) events.emit(toolEnd(index, ''));
    expect(events.since(0).events.map((event) => event.seq)).toEqual([3, 4, 5]);
    const seen: number[] = [];
    events.on((event) => seen.push(event.seq), { after: 3 });
    events.emit(toolEnd(6, ''));
    expect(seen).toEqual([4, 5, 6]);
  });
});
