import * as v from 'valibot';
import { HttpError } from '../http/json-error';

/** Items of a list when `limit` is not given. */
const defaultPageSize = 50;
/** The largest `limit` accepted. */
const maxPageSize = 200;

/** `?limit=`: 1 to {@link maxPageSize}, {@link defaultPageSize} when left out. */
export const limitQuery = v.optional(
  v.pipe(
    v.string(),
    v.description(`Items per page, 1 to ${maxPageSize}.`),
    v.regex(/^\d{1,4}$/, `must be a whole number from 1 to ${maxPageSize}`),
    v.transform(Number),
    v.number(),
    v.minValue(1, `must be a whole number from 1 to ${maxPageSize}`),
    v.maxValue(maxPageSize, `must be at most ${maxPageSize}`),
  ),
  String(defaultPageSize),
);

/** `?cursor=`: the `next` of the previous page, as it was given. */
const cursorQuery = v.optional(
  v.pipe(v.string(), v.maxLength(512, 'is not a cursor of this API'), v.description('The `next` of the previous page.')),
);

/** The paging part of a list's query. */
export const pageQueryEntries = { cursor: cursorQuery, limit: limitQuery };

/** A page of a list: `next` is the cursor of the following page, absent on the last one. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** The schema of a page of `item`, for the document. */
export function pageSchema<TItem extends v.GenericSchema>(item: TItem) {
  return v.object({
    items: v.array(item),
    next: v.optional(v.pipe(v.string(), v.description('Pass as `cursor` for the next page; absent on the last page.'))),
  });
}

/** The cursor after an item: its id, opaque to clients. */
export function encodeCursor(id: string): string {
  return Buffer.from(`c1:${id}`).toString('base64url');
}

/**
 * The id a cursor continues after.
 * @throws HttpError 400 `invalid_cursor` when it is not a cursor of this API
 */
export function decodeCursor(cursor: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '';
  if (!text.startsWith('c1:') || text.length === 3) {
    throw new HttpError(400, 'invalid_cursor', 'query.cursor: is not a cursor of this API (pass the `next` of a page as it is)');
  }
  return text.slice(3);
}

/**
 * One page of `items` (already in the list's order): those after the cursor's item, at most
 * `limit`. A cursor naming an item that is no longer in the list is refused: start again.
 * @throws HttpError 400 `invalid_cursor`
 */
export function pageOf<T extends { id: string }>(items: readonly T[], query: { cursor?: string; limit: number }): Page<T> {
  let start = 0;
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    const index = items.findIndex((item) => item.id === after);
    if (index === -1) {
      throw new HttpError(
        400,
        'invalid_cursor',
        'query.cursor: the item it continues after is gone; load the list from its start',
      );
    }
    start = index + 1;
  }
  const page = items.slice(start, start + query.limit);
  const last = page.at(-1);
  return start + query.limit < items.length && last ? { items: page, next: encodeCursor(last.id) } : { items: page };
}
