import type { Session, Store } from '@ngb/plugin-sdk';
import { fail } from '../cli-error';

/** The session an id or unique id prefix names; one line and exit 1 otherwise. */
export async function resolveSession(store: Store, idOrPrefix: string): Promise<Session> {
  const wanted = idOrPrefix.trim();
  if (wanted === '') fail('pass a session id (or the start of one); `ngb session ls` lists them');
  const exact = await store.sessions.get(wanted);
  if (exact) return exact;
  const matches = await store.sessions.findByIdPrefix(wanted);
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) fail(`unknown session "${wanted}" (\`ngb session ls\` lists them)`);
  const shown = matches
    .slice(0, 5)
    .map((session) => session.id.slice(0, 12))
    .join(', ');
  fail(
    `session id "${wanted}" is ambiguous: it starts ${matches.length} sessions (${shown}${matches.length > 5 ? ', ...' : ''}); type more of it`,
  );
}
