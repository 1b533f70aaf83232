import { type JsonSchema, toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import type { AnyApiRoute } from './api-route';

/** The parts of an OpenAPI 3.1 document this API uses. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
  security: Array<Record<string, string[]>>;
}

/** One operation of the document. */
export interface OpenApiOperation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  parameters: Array<{ name: string; in: 'path' | 'query'; required: boolean; description?: string; schema: JsonSchema }>;
  requestBody?: { required: true; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, { description: string; content?: { 'application/json': { schema: JsonSchema } } }>;
}

const tagDescriptions: Record<string, string> = {
  status: 'What the gateway is doing now: isolation, channels, queue, sandboxes.',
  agents: 'The agents the gateway runs.',
  chats: 'Chats on the platforms, their unknown-sender policy, and the agents wired to them.',
  users: 'People on the platforms and their roles.',
  sessions: "Agents' conversations: transcript and turns with usage and cost.",
  messages: 'Stored messages, searched by their words.',
  tasks: 'Scheduled prompts and their runs.',
  approvals: 'Requests from unknown chats and senders, waiting for the owner.',
  deliveries: 'Replies the gateway gave up delivering, kept for the owner to retry.',
  config: 'The loaded config, secrets redacted.',
  usage: 'Tokens, cost and turn rates, for charts.',
  logs: 'The structured log.',
  events: 'Live events of the gateway bus.',
  meta: 'This document.',
};

const errorStatuses: Record<number, string> = {
  400: 'Invalid input: bad JSON, a value outside its schema, an invalid cursor, cron expression, time zone or pattern.',
  401: 'No valid token (bearer header or login cookie).',
  403: 'A state-changing request from another site (Origin check).',
  404: 'An unknown id or code.',
  409: 'A change the record cannot make in its state.',
  413: 'The body is larger than the server accepts.',
  415: 'The body is not `application/json`.',
  501: 'The server was started without the part this needs.',
};

function schemaOf(schema: v.GenericSchema): JsonSchema {
  const { $schema: _, ...rest } = toJsonSchema(schema, { target: 'draft-2020-12', typeMode: 'input', errorMode: 'ignore' });
  return rest;
}

function parametersOf(schema: v.GenericSchema | undefined, location: 'path' | 'query'): OpenApiOperation['parameters'] {
  if (schema === undefined || !('entries' in schema)) return [];
  const entries = schema.entries as Record<string, v.GenericSchema>;
  return Object.entries(entries).map(([name, entry]) => {
    const json = schemaOf(entry);
    const { description, ...rest } = json;
    return {
      name,
      in: location,
      required: location === 'path' || (entry.type !== 'optional' && entry.type !== 'nullish'),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function operationId(route: AnyApiRoute): string {
  const words = route.path
    .split('/')
    .filter((part) => part !== '')
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part));
  return [route.method, ...words]
    .join('-')
    .replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, '');
}

/** The OpenAPI 3.1 document of the routes, made from the schemas that check their requests. */
export function openApiDocument(routes: readonly AnyApiRoute[], info: { version: string }): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const usedTags = new Set<string>();
  const errorSchema: JsonSchema = {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        properties: { code: { type: 'string' }, message: { type: 'string' } },
        required: ['code', 'message'],
      },
    },
    required: ['error'],
  };
  for (const route of routes) {
    const path = `/api${route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
    usedTags.add(route.tag);
    const statuses = new Set<number>([401, ...(route.errors ?? [])]);
    if (route.params || route.query || route.body) statuses.add(400);
    if (route.method !== 'get') statuses.add(403);
    if (route.body) statuses.add(413);
    const responses: OpenApiOperation['responses'] = {
      [String(route.status ?? 200)]: {
        description: route.status === 201 ? 'Created.' : 'OK.',
        content: { 'application/json': { schema: schemaOf(route.response) } },
      },
    };
    for (const status of [...statuses].sort((left, right) => left - right)) {
      responses[String(status)] = {
        description: errorStatuses[status] ?? 'An error.',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId: operationId(route),
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      ...(route.body
        ? { requestBody: { required: true as const, content: { 'application/json': { schema: schemaOf(route.body) } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'NanoGridBot API',
      version: info.version,
      description:
        'The HTTP API of `ngb serve`. Lists answer `{ "items": [...], "next"?: "..." }`: pass `next` as `cursor` for the following page (`limit` 1–200, default 50). Errors answer `{ "error": { "code", "message" } }`. With a token set, send `Authorization: Bearer <token>` (or log in for the cookie).',
    },
    tags: [...usedTags].map((name) => ({ name, description: tagDescriptions[name] ?? '' })),
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'ngb_auth' },
      },
    },
    security: [{ bearer: [] }, { cookie: [] }],
  };
}
