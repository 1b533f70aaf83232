import { describe, expect, it } from 'vitest';
import { createYoungGenerationPolicy } from './serve-memory-settings';

const mb = 1024 * 1024;

function record() {
  const changes: boolean[] = [];
  const policy = createYoungGenerationPolicy((allowed) => changes.push(allowed), { busyBytes: 64 * mb, windowMs: 1_000 });
  return { changes, policy };
}

describe('ngb serve: when the young generation may grow', () => {
  it('not during a start-up: 28 scavenges of 1 MB, however close together', () => {
    const { changes, policy } = record();
    for (let index = 0; index < 28; index += 1) policy.scavenged(index, mb);
    expect(changes).toEqual([]);
  });

  it('while the process allocates 64 MB within a second, and no longer once it slows down', () => {
    const { changes, policy } = record();
    for (let index = 0; index < 63; index += 1) policy.scavenged(index * 10, mb);
    expect(changes).toEqual([]);
    policy.scavenged(630, mb);
    expect(changes).toEqual([true]);
    // Grown: fewer scavenges of a larger semi-space are the same rate.
    for (let time = 700; time < 3_000; time += 100) policy.scavenged(time, 8 * mb);
    expect(changes).toEqual([true]);
    policy.scavenged(5_000, 8 * mb);
    expect(changes).toEqual([true, false]);
  });

  it('forgets scavenges older than the window', () => {
    const { changes, policy } = record();
    for (let index = 0; index < 40; index += 1) policy.scavenged(index, mb);
    for (let index = 0; index < 40; index += 1) policy.scavenged(1_000 + index, mb);
    expect(changes).toEqual([]);
  });
});
