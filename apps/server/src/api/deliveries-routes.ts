import type { Gateway } from '@ngb/core';
import type { OutboxEntry, Store } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { type AnyApiRoute, defineRoute } from './api-route';
import { pageOf, pageQueryEntries, pageSchema } from './paging';

const time = v.pipe(v.number(), v.description('Epoch milliseconds.'));

/** A reply the gateway gave up delivering (a dead letter). */
const failedDeliveryRecord = v.object({
  id: v.string(),
  channel: v.string(),
  chatId: v.pipe(v.string(), v.description("The platform's chat id.")),
  chatName: v.optional(v.string()),
  threadId: v.optional(v.string()),
  sessionId: v.optional(v.string()),
  text: v.string(),
  error: v.optional(v.string()),
  attempts: v.number(),
  refused: v.pipe(v.boolean(), v.description('True when the platform refused it for good, false when retries ran out.')),
  failedAt: v.optional(time),
  createdAt: time,
});

const deliveryParams = v.object({
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be the id of a delivery')),
});

// The failed deliveries the list reads at most; a page of them is answered.
const failedListLimit = 1_000;

/** `GET /deliveries/failed`, `POST /deliveries/:id/retry`. */
export function deliveriesRoutes(parts: { store: Store; gateway: Gateway }): AnyApiRoute[] {
  const { store, gateway } = parts;
  const record = async (entry: OutboxEntry) => ({
    id: entry.id,
    channel: entry.channel,
    chatId: entry.chatId,
    chatName: (await store.chats.getByPlatformId(entry.channel, entry.chatId))?.name,
    threadId: entry.threadId,
    sessionId: entry.sessionId,
    text: entry.text,
    error: entry.error,
    attempts: entry.attempts,
    refused: entry.permanentFailure,
    failedAt: entry.failedAt,
    createdAt: entry.createdAt,
  });
  return [
    defineRoute({
      method: 'get',
      path: '/deliveries/failed',
      tag: 'deliveries',
      summary: 'Replies the gateway gave up delivering (dead letters), the last failed first',
      description:
        'A reply whose retries ran out, or that the platform refused, is kept with its error and attempts; the owner is told in their chat. `POST /deliveries/{id}/retry` sends it again.',
      query: v.object(pageQueryEntries),
      response: pageSchema(failedDeliveryRecord),
      handle: async ({ query }) => {
        const failed = await store.outbox.listFailed({ limit: failedListLimit });
        return pageOf(await Promise.all(failed.map(record)), query);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/deliveries/:id/retry',
      tag: 'deliveries',
      summary: 'Sends a failed delivery again',
      description:
        "Resets its attempts and queues it again behind its chat's pending replies; delivery starts at once. An unknown id is 404; a delivery that is not failed (pending or sent) is 409 `outbox_not_failed`.",
      params: deliveryParams,
      response: failedDeliveryRecord,
      errors: [404, 409],
      handle: async ({ params }) => record(await gateway.retryDelivery(params.id)),
    }),
  ];
}
