import type { EgressRequestRecord } from '../egress';

/** A request through a sandbox's egress proxy, as stored. */
export interface StoredEgressRequest extends EgressRequestRecord {
  id: string;
}

/** Options of {@link EgressRequestsRepository.listForSession}. */
export interface EgressRequestListOptions {
  /** Keep only the most recent `limit` records (still oldest first). */
  limit?: number;
}

/**
 * What the sandboxes' egress proxies did: every request, allowed or refused. The newest 1,000
 * records of each session are kept; older ones are dropped as new ones arrive, so a sandbox that
 * loops on refused requests cannot grow the database without end.
 */
export interface EgressRequestsRepository {
  /**
   * Stores one record.
   * @throws NotFoundError when the session is unknown
   */
  add(record: EgressRequestRecord): Promise<StoredEgressRequest>;
  /** The session's records, oldest first. */
  listForSession(sessionId: string, options?: EgressRequestListOptions): Promise<StoredEgressRequest[]>;
}
