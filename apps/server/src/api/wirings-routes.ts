import type { Store } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { type AnyApiRoute, defineRoute } from './api-route';
import { engageMode, sessionMode, wiringRecord } from './record-schemas';
import { idParams, idText } from './route-inputs';

const priority = v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(-1000), v.maxValue(1000));
const pattern = v.pipe(
  v.string(),
  v.maxLength(1000),
  v.description('A case-insensitive regular expression; required when `engage` is `pattern`. Checked by the store.'),
);

const engageDescription =
  'The store checks the result as for `ngb chat wire`: `pattern` needs a valid regular expression; one wiring per chat and agent. `mention-sticky` answers a mention and then every message of that group thread until `/clear` or the idle time (never the main timeline).';

/** `POST /wirings`, `PATCH /wirings/:id`, `DELETE /wirings/:id`. */
export function wiringsRoutes(store: Store): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/wirings',
      tag: 'chats',
      summary: 'Wires an agent to a chat',
      description: `${engageDescription} The chat's status is left as it is: \`PATCH /api/chats/{id}\` activates a pending chat.`,
      body: v.strictObject({
        chatId: idText,
        agentId: idText,
        engage: engageMode,
        pattern: v.optional(pattern),
        sessionMode: v.optional(sessionMode, 'shared'),
        priority: v.optional(priority, 0),
        accumulate: v.optional(v.boolean(), false),
      }),
      response: wiringRecord,
      status: 201,
      errors: [404, 415],
      handle: ({ body }) => store.wirings.add(body),
    }),
    defineRoute({
      method: 'patch',
      path: '/wirings/:id',
      tag: 'chats',
      summary: 'Changes how a wired agent engages (`pattern: null` clears the pattern)',
      description: engageDescription,
      params: idParams,
      body: v.strictObject({
        engage: v.optional(engageMode),
        pattern: v.optional(v.nullable(pattern)),
        sessionMode: v.optional(sessionMode),
        priority: v.optional(priority),
        accumulate: v.optional(v.boolean()),
      }),
      response: wiringRecord,
      errors: [404, 415],
      handle: ({ params, body }) => store.wirings.update(params.id, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/wirings/:id',
      tag: 'chats',
      summary: 'Unwires an agent from a chat',
      params: idParams,
      response: v.object({ deleted: v.literal(true) }),
      errors: [404],
      handle: async ({ params }) => {
        await store.wirings.remove(params.id);
        return { deleted: true };
      },
    }),
  ];
}
