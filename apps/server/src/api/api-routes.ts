import { Hono } from 'hono';
import * as v from 'valibot';
import { agentsRoutes } from './agents-routes';
import type { ApiParts } from './api-parts';
import { type AnyApiRoute, defineRoute, mountRoutes } from './api-route';
import { approvalsRoutes } from './approvals-routes';
import { budgetsRoutes } from './budgets-routes';
import { createChannelStates } from './channel-states';
import { chatsRoutes } from './chats-routes';
import { configRoutes } from './config-routes';
import { deliveriesRoutes } from './deliveries-routes';
import { eventsDescription } from './events-description';
import { logsRoutes } from './logs-routes';
import { messagesRoutes } from './messages-routes';
import { type OpenApiDocument, openApiDocument } from './openapi-document';
import { sessionsRoutes } from './sessions-routes';
import { statusRoutes } from './status-routes';
import { tasksRoutes } from './tasks-routes';
import { usageRoutes } from './usage-routes';
import { usersRoutes } from './users-routes';
import { wiringsRoutes } from './wirings-routes';

export type { ApiParts } from './api-parts';

/** The JSON API, its route table, and the OpenAPI document made from that table. */
export interface Api {
  /** The routes, to mount under `/api`. */
  app: Hono;
  routes: readonly AnyApiRoute[];
  document(): OpenApiDocument;
  /** Stops following the gateway's channel reports. */
  close(): void;
}

/** The JSON API under `/api`: one route table checks the requests and makes the document. */
export function apiRoutes(parts: ApiParts): Api {
  const { store, gateway, clock } = parts;
  const channels = createChannelStates(gateway, parts.channels);
  let document: OpenApiDocument | undefined;
  const describe = () => {
    document ??= openApiDocument(routes, { version: parts.version ?? '0.0.0' });
    return document;
  };
  const routes: AnyApiRoute[] = [
    ...statusRoutes(parts, channels),
    ...agentsRoutes({ store, gateway }),
    ...chatsRoutes(store),
    ...wiringsRoutes(store),
    ...usersRoutes(store),
    ...sessionsRoutes(store),
    ...messagesRoutes(store),
    ...tasksRoutes({ store, gateway, clock }),
    ...approvalsRoutes({ store, gateway }),
    ...deliveriesRoutes({ store, gateway }),
    ...configRoutes(parts.config),
    ...usageRoutes({ store, clock }),
    ...budgetsRoutes({ budgets: parts.budgets, clock }),
    ...logsRoutes(parts.logs),
    eventsDescription,
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      tag: 'meta',
      summary: 'This document (OpenAPI 3.1), made from the schemas that check the requests; readable at `/docs`',
      response: v.record(v.string(), v.unknown()),
      handle: () => describe(),
    }),
  ];
  const app = new Hono();
  mountRoutes(app, routes);
  return { app, routes, document: describe, close: channels.close };
}
