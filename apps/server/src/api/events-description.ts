import * as v from 'valibot';
import { type AnyApiRoute, defineRoute } from './api-route';

/**
 * `GET /events` is served by the live event stream (`routes/events-routes.ts`); this entry
 * describes it in the document and is not mounted by the table.
 */
export const eventsDescription: AnyApiRoute = defineRoute({
  method: 'get',
  path: '/events',
  tag: 'events',
  summary: 'The gateway bus as Server-Sent Events (`text/event-stream`), each event with `<run>-<seq>` as `id`',
  description:
    "Resume with the `Last-Event-ID` header (or `after`); a `missed` event says when some were no longer held, with `restarted: true` when the last event the client saw came from an earlier run of the gateway (the stream then starts again from what this run holds). A bare sequence number is taken as this run's. A client that falls behind is dropped and reconnects. A client whose `Accept-Encoding` names `deflate` gets the stream compressed (`Content-Encoding: deflate`, raw deflate).",
  mountedElsewhere: true,
  query: v.object({
    session: v.optional(v.pipe(v.string(), v.description('Only events of this session.'))),
    agent: v.optional(v.pipe(v.string(), v.description('Only events of this agent.'))),
    after: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^(?:[0-9a-z]{1,16}-)?\d{1,15}$/),
        v.description('Replay events after this event id, or after this sequence number of the running gateway.'),
      ),
    ),
  }),
  response: v.pipe(v.string(), v.description('An event stream of JSON gateway events.')),
  handle: () => undefined,
});
