import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { abortEither } from './abort-either';

/** What a signal keeps for signals made from it: its abort listeners and Node's own set of dependants. */
function heldBy(signal: AbortSignal): number {
  const dependants = Object.getOwnPropertySymbols(signal)
    .filter((symbol) => symbol.description === 'kDependantSignals')
    .map((symbol) => (signal as unknown as Record<symbol, Set<unknown> | undefined>)[symbol]?.size ?? 0);
  return getEventListeners(signal, 'abort').length + dependants.reduce((sum, size) => sum + size, 0);
}

describe('abortEither', () => {
  it('aborts with the reason of whichever source aborts first', () => {
    const lasting = new AbortController();
    const brief = new AbortController();
    const either = abortEither(lasting.signal, brief.signal);
    expect(either.signal.aborted).toBe(false);
    brief.abort(new Error('lease lost'));
    expect(either.signal.aborted).toBe(true);
    expect((either.signal.reason as Error).message).toBe('lease lost');
    lasting.abort(new Error('stopping'));
    expect((either.signal.reason as Error).message).toBe('lease lost');

    const second = abortEither(lasting.signal, new AbortController().signal);
    expect((second.signal.reason as Error).message).toBe('stopping');
  });

  it('leaves nothing on the long-lived signal once each turn let go (the gateway stop signal over many turns)', () => {
    const lasting = new AbortController();
    for (let turn = 0; turn < 1_000; turn += 1) {
      const brief = new AbortController();
      const either = abortEither(lasting.signal, brief.signal);
      either.dispose();
    }
    expect(heldBy(lasting.signal)).toBe(0);
    const live = abortEither(lasting.signal, new AbortController().signal);
    lasting.abort(new Error('stopping'));
    expect(live.signal.aborted).toBe(true);
  });
});
