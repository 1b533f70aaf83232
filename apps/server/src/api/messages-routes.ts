import type { Store } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { HttpError } from '../http/json-error';
import { type AnyApiRoute, defineRoute } from './api-route';
import { decodeCursor, encodeCursor, pageQueryEntries, pageSchema } from './paging';
import { messageRecord } from './record-schemas';
import { idText, timeQuery } from './route-inputs';

/** `GET /messages`: full-text search and browsing. */
export function messagesRoutes(store: Store): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/messages',
      tag: 'messages',
      summary: 'Messages of every chat, newest first: `q` searches the words, `chat`, `sender`, `from` and `to` filter',
      description:
        'Without `q`, the latest messages. `q` matches messages containing every word (operators and quotes are plain words). `sender` is the platform id of the sender; `from` and `to` are ISO 8601 times or epoch milliseconds, inclusive.',
      query: v.object({
        q: v.optional(v.pipe(v.string(), v.maxLength(1000, 'must be at most 1000 characters'))),
        chat: v.optional(idText),
        sender: v.optional(idText),
        from: v.optional(timeQuery),
        to: v.optional(timeQuery),
        ...pageQueryEntries,
      }),
      response: pageSchema(messageRecord),
      handle: async ({ query }) => {
        if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
          throw new HttpError(400, 'invalid_request', 'query.from: must not be after `to`');
        }
        const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
        if (afterId !== undefined && (await store.messages.get(afterId)) === undefined) {
          throw new HttpError(400, 'invalid_cursor', 'query.cursor: the message it continues after is gone; search again');
        }
        const found = await store.messages.find({
          text: query.q,
          chatId: query.chat,
          senderId: query.sender,
          fromTimestamp: query.from,
          toTimestamp: query.to,
          afterId,
          limit: query.limit + 1,
        });
        const items = found.slice(0, query.limit);
        const last = items.at(-1);
        return found.length > query.limit && last ? { items, next: encodeCursor(last.id) } : { items };
      },
    }),
  ];
}
