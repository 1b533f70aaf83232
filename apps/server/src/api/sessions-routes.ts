import type { Store } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { type AnyApiRoute, defineRoute } from './api-route';
import { pageOf, pageQueryEntries, pageSchema } from './paging';
import { egressRequestRecord, sessionRecord, transcriptRecord, turnRecord } from './record-schemas';
import { found, idParams, idText } from './route-inputs';

/** `GET /sessions`, `/sessions/:id`, `/sessions/:id/transcript`, `/sessions/:id/turns`, `/sessions/:id/egress`. */
export function sessionsRoutes(store: Store): AnyApiRoute[] {
  const session = async (id: string) => found(await store.sessions.get(id), 'session', id);
  return [
    defineRoute({
      method: 'get',
      path: '/sessions',
      tag: 'sessions',
      summary: 'The sessions, newest first; `agent` (an agent id) and `status` filter',
      query: v.object({ agent: v.optional(idText), status: v.optional(v.picklist(['active', 'closed'])), ...pageQueryEntries }),
      response: pageSchema(sessionRecord),
      handle: async ({ query }) =>
        pageOf((await store.sessions.list({ agentId: query.agent, status: query.status })).reverse(), query),
    }),
    defineRoute({
      method: 'get',
      path: '/sessions/:id',
      tag: 'sessions',
      summary: 'One session',
      params: idParams,
      response: sessionRecord,
      errors: [404],
      handle: ({ params }) => session(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/sessions/:id/transcript',
      tag: 'sessions',
      summary: "The session's model conversation, oldest first",
      params: idParams,
      query: v.object(pageQueryEntries),
      response: pageSchema(transcriptRecord),
      errors: [404],
      handle: async ({ params, query }) => {
        await session(params.id);
        return pageOf(await store.transcript.list(params.id), query);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/sessions/:id/turns',
      tag: 'sessions',
      summary: "The session's turns, oldest first: status, attempts, error, model, token usage and cost",
      params: idParams,
      query: v.object(pageQueryEntries),
      response: pageSchema(turnRecord),
      errors: [404],
      handle: async ({ params, query }) => {
        await session(params.id);
        return pageOf(await store.turns.listForSession(params.id), query);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/sessions/:id/egress',
      tag: 'sessions',
      summary:
        "The requests of the session's sandbox through the egress proxy, allowed or refused, oldest first (the newest 1,000 are kept)",
      params: idParams,
      query: v.object(pageQueryEntries),
      response: pageSchema(egressRequestRecord),
      errors: [404],
      handle: async ({ params, query }) => {
        await session(params.id);
        return pageOf(await store.egressRequests.listForSession(params.id), query);
      },
    }),
  ];
}
