import * as v from 'valibot';
import { HttpError } from '../http/json-error';

/** A store id in a path or a query. */
export const idText = v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(200, 'is too long for an id'));

/** `/:id` */
export const idParams = v.object({ id: idText });

/** The record, or 404 naming what was not found. */
export function found<T>(record: T | undefined, entity: string, id: string): T {
  if (record === undefined) throw new HttpError(404, 'not_found', `no ${entity} with id "${id}"`);
  return record;
}

/**
 * A time in a query: ISO 8601 (`2026-12-01T08:00:00Z`) or epoch milliseconds.
 */
export const timeQuery = v.pipe(
  v.string(),
  v.description('An ISO 8601 time or epoch milliseconds.'),
  v.check(
    (text) => /^\d{1,15}$/.test(text) || (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text))),
    'must be an ISO 8601 time (2026-12-01T08:00:00Z) or epoch milliseconds',
  ),
  v.transform((text) => (/^\d+$/.test(text) ? Number(text) : Date.parse(text))),
  v.number(),
);
