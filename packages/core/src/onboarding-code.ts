import { createHash } from 'node:crypto';
import type { Clock, Logger } from '@ngb/plugin-sdk';

// Crockford's base32: no I, L, O or U, so a code read aloud or retyped is not mistaken.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const codeLength = 10;

/** A new one-time code: 10 characters of base32 (50 random bits) from the platform's secure random source. */
export function newOnboardingCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(codeLength));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}

/** The hash a code is stored under; spaces, dashes and letter case do not matter. */
export function hashOnboardingCode(code: string): string {
  const normalized = code.replace(/[\s-]/g, '').toUpperCase();
  return createHash('sha256').update(`ngb-onboarding:${normalized}`).digest('hex');
}

/** Counts wrong codes and locks the use of codes for a while after too many. */
export interface CodeThrottle {
  /** The time until which codes are refused without being checked, or undefined when they are not. */
  lockedUntil(): number | undefined;
  /** Records a wrong code; the last one allowed locks codes for `lockMs`. */
  recordWrong(fields: Record<string, unknown>): void;
}

/**
 * Creates a throttle for one kind of code: after `maxWrong` wrong codes within `lockMs`, every code
 * is refused for `lockMs` (logged), so guessing 50-bit codes stays hopeless.
 */
export function createCodeThrottle(options: {
  what: string;
  clock: Clock;
  logger: Logger;
  maxWrong: number;
  lockMs: number;
}): CodeThrottle {
  const { clock, lockMs } = options;
  let wrong: number[] = [];
  let until = 0;
  return {
    lockedUntil: () => (clock.now() < until ? until : undefined),
    recordWrong(fields) {
      const now = clock.now();
      wrong = [...wrong.filter((at) => at > now - lockMs), now];
      options.logger.warn(`wrong ${options.what} code`, { ...fields, wrongCodes: wrong.length });
      if (wrong.length < options.maxWrong) return;
      until = now + lockMs;
      wrong = [];
      options.logger.warn(`${options.what} codes locked after ${options.maxWrong} wrong codes`, {
        ...fields,
        lockedUntil: new Date(until).toISOString(),
      });
    },
  };
}
