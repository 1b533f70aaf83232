import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mainAgentId } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

let harness: ServerHarness;
beforeAll(async () => {
  harness = await createServerHarness();
});
afterAll(() => harness.close());

describe('users and roles', () => {
  it('lists users with their roles and memberships; grants and revokes owner, admin and member', async () => {
    const agentId = await mainAgentId(harness);
    const ann = await harness.store.users.upsert({ channel: 'fake', platformUserId: 'ann', name: 'Ann' });
    const bob = await harness.store.users.upsert({ channel: 'fake', platformUserId: 'bob' });
    const owner = await call(harness, 'POST', `/api/users/${ann.id}/roles`, { role: 'owner' });
    expect(owner.status).toBe(200);
    expect(owner.body).toMatchObject({ id: ann.id, roles: [{ userId: ann.id, role: 'owner' }], memberOf: [] });
    expect((await call(harness, 'POST', `/api/users/${bob.id}/roles`, { role: 'admin', agentId })).body.roles).toEqual([
      expect.objectContaining({ role: 'admin', agentId }),
    ]);
    expect((await call(harness, 'POST', `/api/users/${bob.id}/roles`, { role: 'member', agentId })).body.memberOf).toEqual([
      agentId,
    ]);

    const list = await call(harness, 'GET', '/api/users');
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: ann.id, name: 'Ann', roles: [expect.objectContaining({ role: 'owner' })], memberOf: [] }),
      expect.objectContaining({ id: bob.id, roles: [expect.objectContaining({ role: 'admin', agentId })], memberOf: [agentId] }),
    ]);

    const lastOwner = await call(harness, 'DELETE', `/api/users/${ann.id}/roles`, { role: 'owner' });
    expect(lastOwner.status).toBe(409);
    expect(await harness.store.users.listWithRole('owner')).toHaveLength(1);
    expect((await call(harness, 'DELETE', `/api/users/${bob.id}/roles`, { role: 'member', agentId })).body.memberOf).toEqual([]);
    expect((await call(harness, 'DELETE', `/api/users/${bob.id}/roles`, { role: 'admin', agentId })).body.roles).toEqual([]);
    const notHeld = await call(harness, 'DELETE', `/api/users/${bob.id}/roles`, { role: 'admin', agentId });
    expect(notHeld.status).toBe(404);
  });

  it('refuses an owner scoped to an agent, a member of no agent, an unknown role or agent', async () => {
    const agentId = await mainAgentId(harness);
    const user = await harness.store.users.upsert({ channel: 'fake', platformUserId: 'carl' });
    const scopedOwner = await call(harness, 'POST', `/api/users/${user.id}/roles`, { role: 'owner', agentId });
    expect(scopedOwner.status).toBe(400);
    const member = await call(harness, 'POST', `/api/users/${user.id}/roles`, { role: 'member' });
    expect(member.status).toBe(400);
    expect(member.body.error.message).toMatch(/^body\.agentId: /);
    const role = await call(harness, 'POST', `/api/users/${user.id}/roles`, { role: 'root' });
    expect(role.status).toBe(400);
    expect(role.body.error.message).toBe('body.role: must be owner, admin or member');
    expect((await call(harness, 'POST', `/api/users/${user.id}/roles`, { role: 'admin', agentId: 'ghost' })).status).toBe(404);
    expect(await harness.store.users.listRoles(user.id)).toEqual([]);
  });
});
