import { describe, expect, it } from 'vitest';
import type { ContextAccessor } from './context';
import { expectConfigError, expectNotFound, seedAgent, startTime } from './context';

export function describeUserCases(context: ContextAccessor): void {
  describe('users and roles', () => {
    it('upserts users by channel and platform id, updating the name only when given', async () => {
      const { store, advance } = context();
      const user = await store.users.upsert({ channel: 'telegram', platformUserId: '7', name: 'Ann' });
      expect(user).toEqual({
        id: user.id,
        channel: 'telegram',
        platformUserId: '7',
        name: 'Ann',
        createdAt: startTime,
        updatedAt: startTime,
      });
      advance(1);
      expect(await store.users.upsert({ channel: 'telegram', platformUserId: '7' })).toEqual(user);
      const renamed = await store.users.upsert({ channel: 'telegram', platformUserId: '7', name: 'Annie' });
      expect(renamed).toMatchObject({ id: user.id, name: 'Annie' });
      const other = await store.users.upsert({ channel: 'slack', platformUserId: '7' });
      expect(other.id).not.toBe(user.id);
      expect(other.name).toBeUndefined();
      expect((await store.users.getByPlatformId('telegram', '7'))?.name).toBe('Annie');
      expect(await store.users.getByPlatformId('telegram', '8')).toBeUndefined();
      expect(await store.users.get('ghost')).toBeUndefined();
      expect((await store.users.list()).map((item) => item.id)).toEqual([user.id, other.id]);
    });

    it('grants global and agent-scoped roles, idempotently', async () => {
      const { store } = context();
      const user = await store.users.upsert({ channel: 'c', platformUserId: '1' });
      const agent = await seedAgent(store);
      const owner = await store.users.grantRole(user.id, 'owner');
      expect(owner).toEqual({ userId: user.id, role: 'owner', grantedAt: startTime });
      expect(owner.agentId).toBeUndefined();
      await store.users.grantRole(user.id, 'admin', agent.id);
      await store.users.grantRole(user.id, 'owner');
      await store.users.grantRole(user.id, 'admin', agent.id);
      const roles = await store.users.listRoles(user.id);
      expect(roles.map((role) => [role.role, role.agentId])).toEqual([
        ['owner', undefined],
        ['admin', agent.id],
      ]);
    });

    it('revokes exactly the role asked for', async () => {
      const { store } = context();
      const user = await store.users.upsert({ channel: 'c', platformUserId: '1' });
      const agent = await seedAgent(store);
      await store.users.grantRole(user.id, 'admin');
      await store.users.grantRole(user.id, 'admin', agent.id);
      expect(await store.users.revokeRole(user.id, 'admin', agent.id)).toBe(true);
      expect(await store.users.revokeRole(user.id, 'admin', agent.id)).toBe(false);
      expect(await store.users.revokeRole(user.id, 'owner')).toBe(false);
      expect((await store.users.listRoles(user.id)).map((role) => [role.role, role.agentId])).toEqual([['admin', undefined]]);
    });

    it('lists users holding a role: global holders always, scoped holders for their agent', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const otherAgent = await seedAgent(store);
      const globalAdmin = await store.users.upsert({ channel: 'c', platformUserId: 'g' });
      const scopedAdmin = await store.users.upsert({ channel: 'c', platformUserId: 's' });
      const owner = await store.users.upsert({ channel: 'c', platformUserId: 'o' });
      await store.users.grantRole(scopedAdmin.id, 'admin', agent.id);
      await store.users.grantRole(globalAdmin.id, 'admin');
      await store.users.grantRole(globalAdmin.id, 'admin', agent.id);
      await store.users.grantRole(owner.id, 'owner');
      const ids = async (filter?: { agentId?: string }) =>
        (await store.users.listWithRole('admin', filter)).map((user) => user.id);
      expect(await ids()).toEqual([globalAdmin.id]);
      expect(await ids({ agentId: agent.id })).toEqual([scopedAdmin.id, globalAdmin.id]);
      expect(await ids({ agentId: otherAgent.id })).toEqual([globalAdmin.id]);
      expect((await store.users.listWithRole('owner')).map((user) => user.id)).toEqual([owner.id]);
    });

    it('refuses an owner role scoped to one agent, naming the role and the agent', async () => {
      const { store } = context();
      const user = await store.users.upsert({ channel: 'c', platformUserId: '1' });
      const agent = await seedAgent(store);
      const error = await expectConfigError(store.users.grantRole(user.id, 'owner', agent.id));
      expect(error.key).toBe('agentId');
      expect(error.message).toContain('"owner"');
      expect(error.message).toContain(`"${agent.id}"`);
      expect(await store.users.listRoles(user.id)).toEqual([]);
      expect(await store.users.listWithRole('owner', { agentId: agent.id })).toEqual([]);
      await store.users.grantRole(user.id, 'owner');
      await store.users.grantRole(user.id, 'admin', agent.id);
      expect((await store.users.listRoles(user.id)).map((role) => [role.role, role.agentId])).toEqual([
        ['owner', undefined],
        ['admin', agent.id],
      ]);
    });

    it('refuses roles for unknown users or agents', async () => {
      const { store } = context();
      const user = await store.users.upsert({ channel: 'c', platformUserId: '1' });
      await expectNotFound(store.users.grantRole('ghost', 'owner'), 'user', 'ghost');
      await expectNotFound(store.users.grantRole(user.id, 'admin', 'ghost'), 'agent', 'ghost');
      expect(await store.users.listRoles(user.id)).toEqual([]);
    });
  });

  describe('agent members', () => {
    it('adds members idempotently, lists them in order and removes them', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const ann = await store.users.upsert({ channel: 'c', platformUserId: 'ann' });
      const bob = await store.users.upsert({ channel: 'c', platformUserId: 'bob' });
      await store.agentMembers.add(agent.id, bob.id);
      await store.agentMembers.add(agent.id, ann.id);
      await store.agentMembers.add(agent.id, bob.id);
      expect((await store.agentMembers.list(agent.id)).map((user) => user.id)).toEqual([bob.id, ann.id]);
      expect(await store.agentMembers.isMember(agent.id, ann.id)).toBe(true);
      expect(await store.agentMembers.remove(agent.id, ann.id)).toBe(true);
      expect(await store.agentMembers.remove(agent.id, ann.id)).toBe(false);
      expect(await store.agentMembers.isMember(agent.id, ann.id)).toBe(false);
      expect((await store.agentMembers.list(agent.id)).map((user) => user.id)).toEqual([bob.id]);
    });

    it('refuses unknown agents or users', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const user = await store.users.upsert({ channel: 'c', platformUserId: 'u' });
      await expectNotFound(store.agentMembers.add('ghost', user.id), 'agent', 'ghost');
      await expectNotFound(store.agentMembers.add(agent.id, 'ghost'), 'user', 'ghost');
      expect(await store.agentMembers.list(agent.id)).toEqual([]);
    });
  });
}
