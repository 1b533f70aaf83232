import type { Store } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { type AnyApiRoute, defineRoute } from './api-route';
import { pageOf, pageQueryEntries, pageSchema } from './paging';
import { agentRecord } from './record-schemas';
import { found, idParams } from './route-inputs';

/** `GET /agents`, `GET /agents/:id`. */
export function agentsRoutes(store: Store): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/agents',
      tag: 'agents',
      summary: 'The agents, oldest first',
      query: v.object(pageQueryEntries),
      response: pageSchema(agentRecord),
      handle: async ({ query }) => pageOf(await store.agents.list(), query),
    }),
    defineRoute({
      method: 'get',
      path: '/agents/:id',
      tag: 'agents',
      summary: 'One agent',
      params: idParams,
      response: agentRecord,
      errors: [404],
      handle: async ({ params }) => found(await store.agents.get(params.id), 'agent', params.id),
    }),
  ];
}
