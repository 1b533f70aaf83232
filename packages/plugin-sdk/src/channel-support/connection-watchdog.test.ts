import { describe, expect, it } from 'vitest';
import { createManualClock } from '../testing/manual-clock';
import { createConnectionWatchdog } from './connection-watchdog';

function watch(heartbeat?: { mark: number }) {
  const clock = createManualClock();
  const calls: string[] = [];
  const watchdog = createConnectionWatchdog({
    clock,
    timeoutMs: 10_000,
    ...(heartbeat ? { heartbeatMark: () => heartbeat.mark } : {}),
    onDeaf: (quietMs) => calls.push(`deaf ${quietMs}`),
    onDead: () => calls.push('dead'),
    onAlive: () => calls.push('alive'),
  });
  watchdog.start();
  return { clock, calls, watchdog };
}

describe('createConnectionWatchdog', () => {
  it('calls a connection deaf after the timeout of silence, dead after twice that, alive when data comes back', async () => {
    const { clock, calls, watchdog } = watch();
    await clock.advance(9_999);
    expect(calls).toEqual([]);
    await clock.advance(2_501);
    expect(calls).toEqual(['deaf 10000']);
    await clock.advance(7_500);
    expect(calls).toEqual(['deaf 10000', 'dead']);
    watchdog.alive();
    expect(calls).toEqual(['deaf 10000', 'dead', 'alive']);
    watchdog.stop();
  });

  it('counts events reported with alive() as life', async () => {
    const { clock, calls, watchdog } = watch();
    for (let step = 0; step < 10; step++) {
      await clock.advance(5_000);
      watchdog.alive();
    }
    expect(calls).toEqual([]);
    watchdog.stop();
  });

  it('counts a changed heartbeat mark as life, so a quiet chat with answered heartbeats is not deaf', async () => {
    const heartbeat = { mark: 0 };
    const { clock, calls, watchdog } = watch(heartbeat);
    for (let step = 0; step < 10; step++) {
      await clock.advance(5_000);
      heartbeat.mark++;
    }
    expect(calls).toEqual([]);
    await clock.advance(15_000);
    expect(calls).toEqual(['deaf 10000']);
    watchdog.stop();
  });

  it('does nothing once stopped', async () => {
    const { clock, calls, watchdog } = watch();
    watchdog.stop();
    await clock.advance(60_000);
    expect(calls).toEqual([]);
  });
});
