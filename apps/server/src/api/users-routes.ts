import type { Store, User } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { HttpError } from '../http/json-error';
import { type AnyApiRoute, defineRoute } from './api-route';
import { pageOf, pageQueryEntries, pageSchema } from './paging';
import { userRecord, userRoleRecord } from './record-schemas';
import { found, idParams, idText } from './route-inputs';

const userWithRoles = v.object({
  ...userRecord.entries,
  roles: v.array(userRoleRecord),
  memberOf: v.pipe(v.array(v.string()), v.description('Ids of the agents the user is a member of.')),
});

const roleChange = v.strictObject({
  role: v.picklist(['owner', 'admin', 'member'], 'must be owner, admin or member'),
  agentId: v.optional(idText),
});

async function membershipsOf(store: Store): Promise<Map<string, string[]>> {
  const memberships = new Map<string, string[]>();
  for (const agent of await store.agents.list()) {
    for (const member of await store.agentMembers.list(agent.id)) {
      memberships.set(member.id, [...(memberships.get(member.id) ?? []), agent.id]);
    }
  }
  return memberships;
}

async function withRoles(store: Store, user: User, memberships?: Map<string, string[]>) {
  const agents = memberships ?? (await membershipsOf(store));
  return { ...user, roles: await store.users.listRoles(user.id), memberOf: agents.get(user.id) ?? [] };
}

function needsAgent(role: string, agentId: string | undefined): asserts agentId is string {
  if (agentId === undefined)
    throw new HttpError(400, 'invalid_request', `body.agentId: a ${role} is a member of one agent; name it`);
}

/** `GET /users` (with roles), `POST /users/:id/roles`, `DELETE /users/:id/roles`. */
export function usersRoutes(store: Store): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/users',
      tag: 'users',
      summary: 'The users with their roles and agent memberships, oldest first',
      query: v.object(pageQueryEntries),
      response: pageSchema(userWithRoles),
      handle: async ({ query }) => {
        const page = pageOf(await store.users.list(), query);
        const memberships = await membershipsOf(store);
        return { ...page, items: await Promise.all(page.items.map((user) => withRoles(store, user, memberships))) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/users/:id/roles',
      tag: 'users',
      summary: 'Grants a role: owner (never scoped), admin (of the gateway or of one agent), member of an agent',
      params: idParams,
      body: roleChange,
      response: userWithRoles,
      errors: [404, 415],
      handle: async ({ params, body }) => {
        const user = found(await store.users.get(params.id), 'user', params.id);
        if (body.role === 'member') {
          needsAgent(body.role, body.agentId);
          await store.agentMembers.add(body.agentId, user.id);
        } else {
          await store.users.grantRole(user.id, body.role, body.agentId);
        }
        return withRoles(store, user);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/users/:id/roles',
      tag: 'users',
      summary: 'Revokes a role (the body names it as when it was granted)',
      description: 'Revoking the only owner is refused (409): the gateway would have nobody to answer approvals.',
      params: idParams,
      body: roleChange,
      response: userWithRoles,
      errors: [404, 409, 415],
      handle: async ({ params, body }) => {
        const user = found(await store.users.get(params.id), 'user', params.id);
        let revoked: boolean;
        if (body.role === 'member') {
          needsAgent(body.role, body.agentId);
          revoked = await store.agentMembers.remove(body.agentId, user.id);
        } else {
          if (body.role === 'owner') {
            const owners = await store.users.listWithRole('owner');
            if (owners.length === 1 && owners[0]?.id === user.id) {
              throw new HttpError(409, 'last_owner', 'this user is the only owner; grant another owner first');
            }
          }
          revoked = await store.users.revokeRole(user.id, body.role, body.agentId);
        }
        if (!revoked) {
          const scope = body.agentId === undefined ? '' : ` of agent "${body.agentId}"`;
          throw new HttpError(404, 'not_found', `user "${user.id}" does not hold the role ${body.role}${scope}`);
        }
        return withRoles(store, user);
      },
    }),
  ];
}
