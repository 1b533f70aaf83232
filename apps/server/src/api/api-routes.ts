import type { Gateway } from '@ngb/core';
import type { Store } from '@ngb/plugin-sdk';
import { Hono } from 'hono';

/** What the API reads and changes. */
export interface ApiParts {
  gateway: Gateway;
  store: Store;
  /** True when tools run isolated from the host. */
  isolated: boolean;
}

/** The JSON API under `/api`. */
export function apiRoutes(parts: ApiParts): Hono {
  const app = new Hono();
  app.get('/status', (context) =>
    context.json({
      isolated: parts.isolated,
      channels: parts.gateway.channelStatus(),
      queue: parts.gateway.queueState(),
      lastEventSeq: parts.gateway.events.lastSeq(),
    }),
  );
  return app;
}
