import type { StoreRepositories, TranscriptEntry } from '@ngb/plugin-sdk';

/** Parsed transcripts of recent sessions, read again only where they changed. */
export interface TranscriptCache {
  /**
   * The session's transcript, as the store holds it now. A known session costs two small queries
   * (what was appended since, and where the live transcript starts) instead of reading and parsing
   * every entry again; neither grows with the transcript.
   */
  load(store: Pick<StoreRepositories, 'transcript'>, sessionId: string): Promise<readonly TranscriptEntry[]>;
}

/**
 * Creates a {@link TranscriptCache} of at most `sessions` sessions (the least recently used leave).
 * It checks itself against the store on every load, so writes by anyone (another gateway, `/clear`,
 * a compaction) are seen: the last entry it holds must still be there, and the live transcript must
 * still start where its copy does. The store only appends, archives a prefix or clears, so the two
 * ends tell a whole copy.
 */
export function createTranscriptCache(sessions = 64): TranscriptCache {
  const cached = new Map<string, TranscriptEntry[]>();
  const remember = (sessionId: string, entries: TranscriptEntry[]) => {
    cached.delete(sessionId);
    cached.set(sessionId, entries);
    if (cached.size > sessions) cached.delete(cached.keys().next().value as string);
    return entries;
  };
  return {
    async load(store, sessionId) {
      const known = cached.get(sessionId);
      const last = known?.at(-1);
      if (!known || !last) return remember(sessionId, await store.transcript.list(sessionId));
      // From the last known entry on: it must come back first, unchanged, for the rest to be new.
      const [fresh, firstSeq] = await Promise.all([
        store.transcript.list(sessionId, { after: last.seq - 1 }),
        store.transcript.firstSeq(sessionId),
      ]);
      if (fresh[0]?.id !== last.id || firstSeq !== known[0]?.seq) {
        return remember(sessionId, await store.transcript.list(sessionId));
      }
      return remember(sessionId, fresh.length > 1 ? [...known, ...fresh.slice(1)] : known);
    },
  };
}
