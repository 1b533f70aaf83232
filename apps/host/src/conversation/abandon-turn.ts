import type { Store } from '@ngb/plugin-sdk';

/** Ends a turn that was cut short: failed, its inbox consumed, so no later gateway runs it again. */
export async function abandonTurn(store: Store, sessionId: string, reason: string): Promise<string | undefined> {
  const recent = await store.turns.listForSession(sessionId, { limit: 5 });
  let turn = recent.find((candidate) => candidate.status === 'queued' || candidate.status === 'running');
  const pending = await store.inbox.listPending(sessionId);
  if (!turn && pending.length === 0) return undefined;
  turn ??= await store.turns.create({ sessionId, trigger: 'message' });
  await store.turns.update(turn.id, { status: 'failed', error: reason, endedAt: Date.now(), nextAttemptAt: null });
  if (pending.length > 0)
    await store.inbox.markProcessed(
      pending.map((entry) => entry.id),
      turn.id,
    );
  return turn.id;
}
