import { expect } from 'vitest';
import { createServer, type Server } from '../create-server';
import { countSubscriptions } from './bus-subscriptions';
import { createServerHarness, type ServerHarness } from './server-harness';

/**
 * A real gateway behind a server listening on loopback, for the live-event tests over a socket: `start`
 * gives the gateway, the URL of `/api/events` and how many clients follow the bus now; `close` (in an
 * `afterEach`) stops both.
 */
export function listeningEvents() {
  let harness: ServerHarness | undefined;
  let server: Server | undefined;
  return {
    async start() {
      harness = await createServerHarness();
      const subscriptions = countSubscriptions(harness);
      server = await createServer({ gateway: harness.gateway, store: harness.store, port: 0 });
      // The servers' own listeners stay (they learn which agent a session belongs to; their metrics,
      // loaded here by a scrape rather than by a timer mid-test): only clients count. The harness has an
      // app of its own too.
      expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
      expect((await harness.request('/metrics')).status).toBe(200);
      const own = subscriptions.live();
      return { built: harness, clients: () => subscriptions.live() - own, url: `${server.url}/api/events` };
    },
    /** Shuts the server down (its streams end) before the test does. */
    async stopServer() {
      await server?.close({ graceMs: 0 });
      server = undefined;
    },
    async close() {
      await server?.close({ graceMs: 0 });
      await harness?.close();
      server = undefined;
      harness = undefined;
    },
  };
}
