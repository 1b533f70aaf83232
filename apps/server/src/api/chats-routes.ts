import type { Store } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { type AnyApiRoute, defineRoute } from './api-route';
import { pageOf, pageQueryEntries, pageSchema } from './paging';
import { chatRecord, chatStatus, unknownSenderPolicy, wiringRecord } from './record-schemas';
import { found, idParams } from './route-inputs';

const chatWithWirings = v.object({ ...chatRecord.entries, wirings: v.array(wiringRecord) });

/** `GET /chats`, `GET /chats/:id` (with its wirings), `PATCH /chats/:id` (policy and status). */
export function chatsRoutes(store: Store): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/chats',
      tag: 'chats',
      summary: 'The chats, oldest first; `channel` and `status` filter',
      query: v.object({
        channel: v.optional(v.pipe(v.string(), v.minLength(1))),
        status: v.optional(chatStatus),
        ...pageQueryEntries,
      }),
      response: pageSchema(chatRecord),
      handle: async ({ query }) => pageOf(await store.chats.list({ channel: query.channel, status: query.status }), query),
    }),
    defineRoute({
      method: 'get',
      path: '/chats/:id',
      tag: 'chats',
      summary: 'One chat with its wirings (highest priority first)',
      params: idParams,
      response: chatWithWirings,
      errors: [404],
      handle: async ({ params }) => {
        const chat = found(await store.chats.get(params.id), 'chat', params.id);
        return { ...chat, wirings: await store.wirings.listForChat(chat.id) };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/chats/:id',
      tag: 'chats',
      summary: "Changes a chat's unknown-sender policy or status",
      description:
        '`strict`: only members and roles may talk; `request_approval`: an unknown sender is asked to wait for the owner; `public`: anyone. A `pending` chat is not served until `active`.',
      params: idParams,
      body: v.strictObject({ unknownSenderPolicy: v.optional(unknownSenderPolicy), status: v.optional(chatStatus) }),
      response: chatRecord,
      errors: [404, 415],
      handle: async ({ params, body }) => {
        found(await store.chats.get(params.id), 'chat', params.id);
        return store.chats.update(params.id, body);
      },
    }),
  ];
}
