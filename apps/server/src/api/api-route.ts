import type { Context, Hono } from 'hono';
import * as v from 'valibot';
import { HttpError } from '../http/json-error';

type ObjectSchema = v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>;
type AnySchema = v.GenericSchema;
type Parsed<TSchema> = TSchema extends AnySchema ? v.InferOutput<TSchema> : undefined;

/** HTTP methods of the API. */
type ApiMethod = 'get' | 'post' | 'patch' | 'delete';

/** What a route's handler receives: its inputs, parsed and checked by the route's own schemas. */
interface ApiRequest<TParams, TQuery, TBody> {
  params: Parsed<TParams>;
  query: Parsed<TQuery>;
  body: Parsed<TBody>;
  context: Context;
}

/**
 * One API route: the schemas that check its inputs are the ones the OpenAPI document is made
 * from, so the two cannot say different things.
 */
export interface ApiRoute<
  TParams extends ObjectSchema | undefined = ObjectSchema | undefined,
  TQuery extends ObjectSchema | undefined = ObjectSchema | undefined,
  TBody extends AnySchema | undefined = AnySchema | undefined,
> {
  method: ApiMethod;
  /** Path under `/api`, with `:name` parameters (`/chats/:id`). */
  path: string;
  /** The resource it belongs to (the document's tag). */
  tag: string;
  summary: string;
  description?: string;
  params?: TParams;
  query?: TQuery;
  /** A JSON body; a request without `Content-Type: application/json` gets 415. */
  body?: TBody;
  /** The success body (documentation: handlers return store records, typed against these). */
  response: AnySchema;
  /** Success status. @default 200 */
  status?: 200 | 201;
  /** Error statuses the route answers besides 400, 401 and 403 (404 for an unknown id, 409, ...). */
  errors?: readonly number[];
  /** Served by a handler outside the table (a stream): described in the document, not mounted. */
  mountedElsewhere?: boolean;
  handle(request: ApiRequest<TParams, TQuery, TBody>): unknown;
}

/** A route of any shape, as the table holds it. */
// biome-ignore lint/suspicious/noExplicitAny: the table holds routes of every input shape
export type AnyApiRoute = ApiRoute<any, any, any>;

/** Types a route's handler against its schemas. */
export function defineRoute<
  TParams extends ObjectSchema | undefined = undefined,
  TQuery extends ObjectSchema | undefined = undefined,
  TBody extends AnySchema | undefined = undefined,
>(route: ApiRoute<TParams, TQuery, TBody>): AnyApiRoute {
  return route;
}

function describeIssues(where: string, issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  if (!issue) return `${where} is invalid`;
  const path = issue.path?.map((item) => String(item.key)).join('.');
  return `${where}${path ? `.${path}` : ''}: ${issue.message}`;
}

function check<TSchema extends AnySchema>(schema: TSchema, value: unknown, where: string): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, value);
  if (!result.success) throw new HttpError(400, 'invalid_request', describeIssues(where, result.issues));
  return result.output;
}

async function readJsonBody(context: Context): Promise<unknown> {
  const type = context.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as JSON with `Content-Type: application/json`');
  }
  const text = await context.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
  }
}

/** Mounts the routes of the table on `app`, each checking its inputs before its handler runs. */
export function mountRoutes(app: Hono, routes: readonly AnyApiRoute[]): void {
  for (const route of routes) {
    if (route.mountedElsewhere) continue;
    app.on(route.method.toUpperCase(), route.path, async (context) => {
      const params = route.params ? check(route.params, context.req.param(), 'path') : undefined;
      const query = route.query ? check(route.query, context.req.query(), 'query') : undefined;
      const body = route.body ? check(route.body, await readJsonBody(context), 'body') : undefined;
      const result = await route.handle({ params, query, body, context });
      if (result instanceof Response) return result;
      return context.json(result as object, route.status ?? 200);
    });
  }
}
