import { describe, expect, it } from 'vitest';
import type { ContextAccessor } from './context';
import { expectConfigError, expectNotFound, seedAgent } from './context';

export function describeLinkedIdentityCases(context: ContextAccessor): void {
  describe('linked identities', () => {
    it('gives a linked identity the roles and memberships of its user, both ways', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const ann = await store.users.upsert({ channel: 'telegram', platformUserId: 'ann' });
      const annOnSlack = await store.users.upsert({ channel: 'slack', platformUserId: 'U1' });
      await store.users.grantRole(ann.id, 'owner');
      const linked = await store.users.link(annOnSlack.id, ann.id);
      expect(linked).toMatchObject({ id: annOnSlack.id, linkedUserId: ann.id });
      expect((await store.users.listRoles(annOnSlack.id)).map((role) => [role.userId, role.role])).toEqual([[ann.id, 'owner']]);
      // Granted through either identity, held by the user.
      await store.users.grantRole(annOnSlack.id, 'admin', agent.id);
      await store.agentMembers.add(agent.id, annOnSlack.id);
      expect((await store.users.listRoles(ann.id)).map((role) => [role.role, role.agentId])).toEqual([
        ['owner', undefined],
        ['admin', agent.id],
      ]);
      expect(await store.agentMembers.isMember(agent.id, ann.id)).toBe(true);
      expect(await store.agentMembers.isMember(agent.id, annOnSlack.id)).toBe(true);
      expect((await store.users.listWithRole('owner')).map((user) => user.id)).toEqual([ann.id]);
      expect((await store.users.listIdentities(annOnSlack.id)).map((user) => user.id)).toEqual([ann.id, annOnSlack.id]);
      expect(await store.users.revokeRole(annOnSlack.id, 'owner')).toBe(true);
      expect((await store.users.listRoles(ann.id)).map((role) => role.role)).toEqual(['admin']);
    });

    it("moves a linked identity's own roles to its user, and its linked identities with it", async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const ann = await store.users.upsert({ channel: 'telegram', platformUserId: 'ann' });
      const bob = await store.users.upsert({ channel: 'slack', platformUserId: 'bob' });
      const bobOnDiscord = await store.users.upsert({ channel: 'discord', platformUserId: 'bob' });
      await store.users.link(bobOnDiscord.id, bob.id);
      await store.users.grantRole(ann.id, 'admin');
      await store.users.grantRole(bob.id, 'admin');
      await store.users.grantRole(bob.id, 'admin', agent.id);
      await store.agentMembers.add(agent.id, bob.id);
      await store.users.link(bob.id, ann.id);
      expect((await store.users.listRoles(ann.id)).map((role) => [role.userId, role.role, role.agentId])).toEqual([
        [ann.id, 'admin', undefined],
        [ann.id, 'admin', agent.id],
      ]);
      expect((await store.users.get(bobOnDiscord.id))?.linkedUserId).toBe(ann.id);
      expect((await store.agentMembers.list(agent.id)).map((user) => user.id)).toEqual([ann.id]);
      expect((await store.users.listIdentities(ann.id)).map((user) => user.id)).toEqual([ann.id, bob.id, bobOnDiscord.id]);
      // Linking into the user an identity is already linked to changes nothing.
      expect(await store.users.link(bobOnDiscord.id, bob.id)).toMatchObject({ linkedUserId: ann.id });
      expect(await store.users.link(ann.id, bob.id)).toMatchObject({ id: ann.id });
      expect((await store.users.get(ann.id))?.linkedUserId).toBeUndefined();
    });

    it('refuses unknown identities and users', async () => {
      const { store } = context();
      const ann = await store.users.upsert({ channel: 'telegram', platformUserId: 'ann' });
      await expectNotFound(store.users.link('ghost', ann.id), 'user', 'ghost');
      await expectNotFound(store.users.link(ann.id, 'ghost'), 'user', 'ghost');
      expect(await store.users.listIdentities('ghost')).toEqual([]);
      expect((await store.users.get(ann.id))?.linkedUserId).toBeUndefined();
    });
  });

  describe('onboarding codes', () => {
    it('consumes a code once, only before it expires and only as its kind', async () => {
      const { store, now } = context();
      const ann = await store.users.upsert({ channel: 'telegram', platformUserId: 'ann' });
      const claim = await store.onboardingCodes.create({ kind: 'claim', codeHash: 'h1', expiresAt: now() + 100 });
      expect(claim).toEqual({ id: claim.id, kind: 'claim', codeHash: 'h1', createdAt: now(), expiresAt: now() + 100 });
      const link = await store.onboardingCodes.create({ kind: 'link', codeHash: 'h2', userId: ann.id, expiresAt: now() + 100 });
      expect(await store.onboardingCodes.consume('link', 'h1', now())).toBeUndefined();
      expect(await store.onboardingCodes.consume('claim', 'h2', now())).toBeUndefined();
      expect(await store.onboardingCodes.consume('claim', 'h1', now() + 100)).toBeUndefined();
      expect(await store.onboardingCodes.consume('claim', 'h1', now() + 99)).toMatchObject({
        id: claim.id,
        consumedAt: now() + 99,
      });
      expect(await store.onboardingCodes.consume('claim', 'h1', now() + 99)).toBeUndefined();
      expect(await store.onboardingCodes.consume('link', 'h2', now())).toMatchObject({ id: link.id, userId: ann.id });
    });

    it('gives a code to exactly one of two concurrent consumers', async () => {
      const { store, now } = context();
      await store.onboardingCodes.create({ kind: 'claim', codeHash: 'h', expiresAt: now() + 100 });
      const results = await Promise.all([
        store.transaction((tx) => tx.onboardingCodes.consume('claim', 'h', now())),
        store.transaction((tx) => tx.onboardingCodes.consume('claim', 'h', now())),
        store.onboardingCodes.consume('claim', 'h', now()),
      ]);
      expect(results.filter((result) => result !== undefined)).toHaveLength(1);
    });

    it('lists usable codes and discards unused ones', async () => {
      const { store, now } = context();
      const ann = await store.users.upsert({ channel: 'telegram', platformUserId: 'ann' });
      const bob = await store.users.upsert({ channel: 'telegram', platformUserId: 'bob' });
      const old = await store.onboardingCodes.create({ kind: 'claim', codeHash: 'old', expiresAt: now() + 10 });
      const fresh = await store.onboardingCodes.create({ kind: 'claim', codeHash: 'fresh', expiresAt: now() + 100 });
      await store.onboardingCodes.create({ kind: 'link', codeHash: 'ann', userId: ann.id, expiresAt: now() + 100 });
      await store.onboardingCodes.create({ kind: 'link', codeHash: 'bob', userId: bob.id, expiresAt: now() + 100 });
      expect((await store.onboardingCodes.listUsable('claim', now())).map((code) => code.id)).toEqual([old.id, fresh.id]);
      expect((await store.onboardingCodes.listUsable('claim', now() + 10)).map((code) => code.id)).toEqual([fresh.id]);
      expect(await store.onboardingCodes.discardUnused('link', { userId: ann.id })).toBe(1);
      expect((await store.onboardingCodes.listUsable('link', now())).map((code) => code.userId)).toEqual([bob.id]);
      expect(await store.onboardingCodes.discardUnused('claim')).toBe(2);
      expect(await store.onboardingCodes.listUsable('claim', now())).toEqual([]);
    });

    it('refuses an unknown kind, a stored hash and an unknown user', async () => {
      const { store, now } = context();
      await store.onboardingCodes.create({ kind: 'claim', codeHash: 'h', expiresAt: now() + 100 });
      await expectConfigError(store.onboardingCodes.create({ kind: 'claim', codeHash: 'h', expiresAt: now() + 100 }));
      await expectConfigError(
        store.onboardingCodes.create({ kind: 'invite' as 'claim', codeHash: 'other', expiresAt: now() + 100 }),
      );
      await expectNotFound(
        store.onboardingCodes.create({ kind: 'link', codeHash: 'other', userId: 'ghost', expiresAt: now() + 100 }),
        'user',
        'ghost',
      );
      expect((await store.onboardingCodes.listUsable('claim', now())).map((code) => code.codeHash)).toEqual(['h']);
      expect(await store.onboardingCodes.listUsable('link', now())).toEqual([]);
    });
  });
}
