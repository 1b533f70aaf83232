import * as v from 'valibot';
import { HttpError } from '../http/json-error';
import { type AnyApiRoute, defineRoute } from './api-route';
import type { LogReader } from './log-file-reader';
import { limitQuery } from './paging';
import { timeQuery } from './route-inputs';

const logRecord = v.looseObject({
  time: v.pipe(v.string(), v.description('ISO 8601.')),
  level: v.picklist(['debug', 'info', 'warn', 'error']),
  tag: v.optional(v.string()),
  msg: v.optional(v.string()),
});

/** `GET /logs`: recent records of the structured log. */
export function logsRoutes(logs: LogReader | undefined): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/logs',
      tag: 'logs',
      summary: 'Recent records of the structured log, newest first; `level` is the lowest level shown',
      description:
        "Pass a page's `next` as `before` for older records. Reads the end of the configured log file only (a few MiB), never a file named by the request.",
      query: v.object({
        level: v.optional(v.picklist(['debug', 'info', 'warn', 'error'], 'must be debug, info, warn or error')),
        before: v.optional(timeQuery),
        limit: limitQuery,
      }),
      response: v.object({
        items: v.array(logRecord),
        next: v.optional(v.pipe(v.string(), v.description('Pass as `before` for older records.'))),
      }),
      errors: [501],
      handle: async ({ query }) => {
        if (logs === undefined) throw new HttpError(501, 'not_supported', 'this server was started without a log file');
        const { records, more } = await logs.read(query);
        const last = records.at(-1);
        return more && last ? { items: records, next: last.time } : { items: records };
      },
    }),
  ];
}
