import type { IncomingMessage } from 'node:http';

/** A call the fake holds: not answered, and not carried out, until released. */
export interface FakeTelegramHold {
  /** Resolves with the held call's parameters once a call is being held. */
  readonly held: Promise<Record<string, unknown>>;
  /**
   * Carries the held call out and answers it. A call whose client went away meanwhile (the
   * connection closed, the process was killed) is dropped without effect, as a request lost on
   * the way to the platform would be.
   */
  release(): void;
}

interface PendingHold {
  method: string;
  skip: number;
  hold: FakeTelegramHold;
  take(params: Record<string, unknown>, request: IncomingMessage): Promise<boolean>;
}

/** The holds of one fake server: which calls wait, and how they are let go. */
export function createFakeTelegramHolds() {
  const pending: PendingHold[] = [];
  const every: FakeTelegramHold[] = [];

  return {
    /** Holds the call of `method` that comes after `skip` more calls of it. */
    add(method: string, skip: number): FakeTelegramHold {
      let announce: (params: Record<string, unknown>) => void = () => undefined;
      let letGo: () => void = () => undefined;
      const released = new Promise<void>((resolve) => {
        letGo = resolve;
      });
      const hold: FakeTelegramHold = {
        held: new Promise((resolve) => {
          announce = resolve;
        }),
        release: () => letGo(),
      };
      every.push(hold);
      pending.push({
        method,
        skip,
        hold,
        async take(params, request) {
          let gone = false;
          request.socket.once('close', () => {
            gone = true;
          });
          announce(params);
          await released;
          return !gone && !request.socket.destroyed;
        },
      });
      return hold;
    },
    /**
     * Waits while a hold applies to this call.
     * @returns false when the call must be dropped (its client went away while it was held)
     */
    async pass(method: string, params: Record<string, unknown>, request: IncomingMessage): Promise<boolean> {
      const index = pending.findIndex((entry) => entry.method === method);
      const entry = pending[index];
      if (entry === undefined) return true;
      if (entry.skip > 0) {
        entry.skip -= 1;
        return true;
      }
      pending.splice(index, 1);
      return entry.take(params, request);
    },
    /** Lets every held call go (on close). */
    releaseAll(): void {
      pending.splice(0);
      for (const hold of every.splice(0)) hold.release();
    },
  };
}
