import { describe, expect, it } from 'vitest';
import { createManualClock } from '../testing/manual-clock';
import { createReconnectBackoff } from './reconnect-backoff';

describe('createReconnectBackoff', () => {
  it('waits longer after each failed attempt, up to the longest wait', () => {
    const backoff = createReconnectBackoff({ clock: createManualClock(), maxMs: 8_000 });
    expect(Array.from({ length: 6 }, () => backoff.nextDelayMs())).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('keeps growing while connections drop soon after opening: a server that accepts and closes is not hammered', async () => {
    const clock = createManualClock();
    const backoff = createReconnectBackoff({ clock, firstMs: 0 });
    const waits: number[] = [];
    for (let round = 0; round < 5; round++) {
      backoff.opened();
      await clock.advance(100);
      waits.push(backoff.nextDelayMs());
    }
    expect(waits).toEqual([0, 2_000, 4_000, 8_000, 16_000]);
  });

  it('starts over after a connection that lasted', async () => {
    const clock = createManualClock();
    const backoff = createReconnectBackoff({ clock, stableMs: 30_000 });
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    expect(backoff.nextDelayMs()).toBe(4_000);
    backoff.opened();
    await clock.advance(30_000);
    expect(backoff.nextDelayMs()).toBe(1_000);
  });
});
