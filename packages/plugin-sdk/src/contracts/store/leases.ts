/**
 * Who runs a session: the gateway process holding its lease. A lease is a holder id and an
 * expiry; the holder renews it while it works on the session and releases it when the session has
 * nothing left to do. An expired lease can be taken by anyone, so the work of a process that died
 * is taken over once its lease runs out, and never while it lives. Every time is passed in by the
 * caller (the gateway's clock), never read by the store.
 */
export interface SessionLease {
  sessionId: string;
  /** The gateway process holding it (random per process). */
  holderId: string;
  /** Epoch ms after which the lease is free for anyone to take. */
  expiresAt: number;
}

/** The times of a lease change, from the caller's clock. */
export interface LeaseTimes {
  /** The caller's current time (epoch ms): a lease whose `expiresAt` is at or before it has expired. */
  now: number;
  /** The new expiry; later than `now`. */
  expiresAt: number;
}

/**
 * Session leases. Pending work of a session means unprocessed inbox entries of kind `message` or
 * `task`, or `pending` outbox entries. Every change is one atomic compare-and-set statement, so of
 * two holders racing for one session exactly one wins, on one database or on a database shared by
 * many gateway processes.
 */
export interface SessionLeasesRepository {
  /**
   * Takes the session's lease for `holderId` when it is free, expired at `times.now`, or already
   * held by `holderId` (then its expiry becomes `times.expiresAt`).
   * @returns true when `holderId` holds the lease now; false when another holder's lease runs
   * @throws NotFoundError for an unknown session; TypeError when `expiresAt` is not after `now`
   */
  acquire(sessionId: string, holderId: string, times: LeaseTimes): Promise<boolean>;
  /**
   * Extends the lease to `times.expiresAt` only while `holderId` still holds it (even expired, as
   * long as nobody took it meanwhile).
   * @returns false when the lease is free or another holder's: the caller lost the session
   * @throws TypeError when `expiresAt` is not after `now`
   */
  renew(sessionId: string, holderId: string, times: LeaseTimes): Promise<boolean>;
  /** Frees the lease when `holderId` holds it; does nothing otherwise (or for an unknown session). */
  release(sessionId: string, holderId: string): Promise<void>;
  /** @returns the lease of the session, expired or not; undefined when free or for an unknown session */
  get(sessionId: string): Promise<SessionLease | undefined>;
  /** @returns whether the session has pending work (see the repository's definition) */
  hasPendingWork(sessionId: string): Promise<boolean>;
  /**
   * Sessions with pending work that `holderId` could acquire at `now` (free, expired, or its own),
   * the one whose work waits longest first.
   */
  listAvailable(holderId: string, now: number): Promise<string[]>;
  /**
   * The earliest expiry, after `now`, among leases held by other holders on sessions with pending
   * work: when the next takeover may become possible.
   * @returns undefined when no other holder holds such a lease
   */
  nextExpiry(holderId: string, now: number): Promise<number | undefined>;
}
