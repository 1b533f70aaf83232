import type { Gateway } from '@ngb/core';
import type { Store } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { type AnyApiRoute, defineRoute } from './api-route';
import { pageOf, pageQueryEntries, pageSchema } from './paging';
import { agentRecord, skillListingRecord } from './record-schemas';
import { found, idParams } from './route-inputs';

/** `GET /agents`, `GET /agents/:id`, `GET /agents/:id/skills`. */
export function agentsRoutes({ store, gateway }: { store: Store; gateway: Pick<Gateway, 'skills'> }): AnyApiRoute[] {
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
    defineRoute({
      method: 'get',
      path: '/agents/:id/skills',
      tag: 'agents',
      summary: "An agent's skills, and the ones skipped with the reason",
      description:
        'Read from `<agent folder>/skills/<name>/SKILL.md` and the shared `global/skills` as a turn reads them: no link followed, regular files of at most the agent file size cap, front matter with a `name` equal to the folder name and a `description`.',
      params: idParams,
      response: skillListingRecord,
      errors: [404],
      handle: async ({ params }) => gateway.skills(found(await store.agents.get(params.id), 'agent', params.id)),
    }),
  ];
}
