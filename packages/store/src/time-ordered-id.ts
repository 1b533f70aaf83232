import { randomUUID } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): 48 bits of milliseconds, then random bits. Ids made later sort later,
 * so new rows land at the end of each id index instead of on random pages: fewer pages written per
 * commit than with random UUIDs.
 */
export function timeOrderedId(now: number = Date.now()): string {
  // randomUUID draws from a cached entropy pool; keep its random bits and variant, put the time in front.
  const random = randomUUID();
  const time = Math.max(0, Math.floor(now)).toString(16).padStart(12, '0').slice(-12);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}
