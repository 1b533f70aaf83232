import { describe, expect, it } from 'vitest';
import type { EgressRequestRecord } from '../../contracts/egress';
import type { ContextAccessor } from './context';
import { expectNotFound, seedSession, startTime } from './context';

const allowed = (sessionId: string, overrides: Partial<EgressRequestRecord> = {}): EgressRequestRecord => ({
  sessionId,
  turnId: 'turn-1',
  method: 'CONNECT',
  host: 'api.example.com',
  port: 443,
  address: '203.0.113.10',
  allowed: true,
  bytesUp: 512,
  bytesDown: 4096,
  startedAt: startTime,
  durationMs: 120,
  ...overrides,
});

export function describeEgressRequestCases(context: ContextAccessor): void {
  describe('egress requests', () => {
    it('keeps allowed and refused records as given, per session, oldest first', async () => {
      const { store, generatedIds } = context();
      const { session } = await seedSession(store);
      const first = await store.egressRequests.add(allowed(session.id));
      const refused: EgressRequestRecord = {
        sessionId: session.id,
        method: 'CONNECT',
        host: 'evil.example.net',
        port: 443,
        allowed: false,
        reason: 'domain evil.example.net is not on the allowlist',
        bytesUp: 0,
        bytesDown: 0,
        startedAt: startTime + 1,
        durationMs: 0,
      };
      const second = await store.egressRequests.add(refused);
      expect(generatedIds).toContain(first.id);
      expect(first).toEqual({ id: first.id, ...allowed(session.id) });
      expect(second).toEqual({ id: second.id, ...refused });
      expect(second.turnId).toBeUndefined();
      expect(second.address).toBeUndefined();
      expect(await store.egressRequests.listForSession(session.id)).toEqual([first, second]);
      expect(await store.egressRequests.listForSession(session.id, { limit: 1 })).toEqual([second]);
      expect(await store.egressRequests.listForSession('unknown')).toEqual([]);
    });

    it('refuses a record of an unknown session', async () => {
      const { store } = context();
      await expectNotFound(store.egressRequests.add(allowed('no-such-session')), 'session', 'no-such-session');
    });

    it('keeps the newest 1000 records of a session and drops older ones as new ones arrive', async () => {
      const { store } = context();
      const { session } = await seedSession(store);
      for (let index = 0; index < 1003; index += 1) {
        await store.egressRequests.add(allowed(session.id, { startedAt: startTime + index }));
      }
      const kept = await store.egressRequests.listForSession(session.id);
      expect(kept).toHaveLength(1000);
      expect(kept[0]?.startedAt).toBe(startTime + 3);
      expect(kept.at(-1)?.startedAt).toBe(startTime + 1002);
    });
  });
}
