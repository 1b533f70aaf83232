import { silentLogger } from '@ngb/plugin-sdk';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import { createResourceGovernor, type GatewayHealth } from './resource-governor';

const mb = 1024 * 1024;

function harness(limit: { degradedAboveBytes: number; recoverBelowBytes?: number; checkIntervalMs: number }) {
  const clock = createManualClock();
  const memory = { rss: 100 * mb, fails: false };
  const changes: GatewayHealth[] = [];
  const governor = createResourceGovernor({
    limit,
    clock,
    logger: silentLogger,
    readMemory: () => {
      if (memory.fails) throw new Error('no /proc');
      return memory.rss;
    },
    onChange: (health) => changes.push(health),
  });
  return { clock, memory, changes, governor };
}

describe('resource governor', () => {
  it('degrades once memory passes the limit, on the next check of the clock, with the figures in the reason', async () => {
    const { clock, memory, changes, governor } = harness({ degradedAboveBytes: 512 * mb, checkIntervalMs: 5_000 });
    governor.start();
    expect(governor.health()).toEqual({ state: 'ok' });
    memory.rss = 600 * mb;
    await clock.advance(4_999);
    expect(governor.health().state).toBe('ok');
    await clock.advance(1);
    expect(governor.health()).toEqual({
      state: 'degraded',
      reason: 'memory 600 MB is above the limit of 512 MB: no new turns start until it is below 461 MB',
      since: clock.now(),
    });
    expect(changes.map((change) => change.state)).toEqual(['degraded']);
  });

  it('recovers only below the lower threshold (90 % by default): no flapping around the limit', async () => {
    const { clock, memory, changes, governor } = harness({ degradedAboveBytes: 500 * mb, checkIntervalMs: 1_000 });
    memory.rss = 501 * mb;
    governor.start();
    expect(governor.health().state).toBe('degraded');
    for (const rss of [499, 460, 451, 501, 450]) {
      memory.rss = rss * mb;
      await clock.advance(1_000);
      expect(governor.health().state, `at ${rss} MB`).toBe('degraded');
    }
    memory.rss = 449 * mb;
    await clock.advance(1_000);
    expect(governor.health()).toEqual({ state: 'ok' });
    expect(changes.map((change) => change.state)).toEqual(['degraded', 'ok']);
  });

  it('uses recoverBelowBytes when given', async () => {
    const { clock, memory, governor } = harness({
      degradedAboveBytes: 500 * mb,
      recoverBelowBytes: 300 * mb,
      checkIntervalMs: 1_000,
    });
    memory.rss = 600 * mb;
    governor.start();
    memory.rss = 350 * mb;
    await clock.advance(1_000);
    expect(governor.health().state).toBe('degraded');
    memory.rss = 299 * mb;
    await clock.advance(1_000);
    expect(governor.health().state).toBe('ok');
  });

  it('keeps its health when the reader throws, and stops reading once stopped', async () => {
    const { clock, memory, governor } = harness({ degradedAboveBytes: 500 * mb, checkIntervalMs: 1_000 });
    memory.rss = 600 * mb;
    governor.start();
    memory.fails = true;
    await clock.advance(1_000);
    expect(governor.health().state).toBe('degraded');
    governor.stop();
    expect(clock.pendingDelays()).toEqual([]);
  });
});
