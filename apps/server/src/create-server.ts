import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '@ngb/plugin-sdk';
import { createServerApp } from './create-app';
import { isLoopbackHost } from './http/loopback';
import type { ServerOptions } from './server-options';

/** The shortest auth token accepted: a guessable token on a reachable port is no protection. */
const minimumTokenLength = 16;

/** Waits after the server listens before its request adapter is loaded, so that it does not delay start-up. */
const adapterLoadDelayMs = 100;

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Node's request listener for the app, built on first use. The adapter from Node's requests to web
 * Requests loads Node's whole fetch implementation when it is imported (tens of milliseconds), which a
 * gateway waiting for its first visitor need not pay before it is ready: it loads a moment after the
 * server listens, or at the first request, whichever comes first.
 */
function deferredRequestListener(fetch: (request: Request) => Response | Promise<Response>) {
  let loading: Promise<RequestListener> | undefined;
  const load = () => {
    loading ??= import('@hono/node-server').then(({ getRequestListener }) => getRequestListener(fetch));
    return loading;
  };
  const listener: RequestListener = (request, response) => {
    load().then(
      (handle) => handle(request, response),
      () => {
        response.statusCode = 500;
        response.end();
      },
    );
  };
  return { listener, load };
}

/** A listening server. */
export interface Server {
  /** Where it listens, e.g. `http://127.0.0.1:7070`. */
  readonly url: string;
  readonly port: number;
  /**
   * Stops taking connections, ends the live event streams, lets requests in flight finish for up
   * to `graceMs`, then cuts what is left. The gateway and the store stay open (their owner closes them).
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Refuses what would expose the gateway: a non-loopback address without a token, or a short token.
 * @throws ConfigError naming `dashboard.host` or `dashboard.token`
 */
export function checkExposure(host: string, token: string | undefined): void {
  if (token !== undefined && token.length < minimumTokenLength) {
    throw new ConfigError(
      `[@ngb/server] the dashboard token is ${token.length} characters long; use at least ${minimumTokenLength} (e.g. \`openssl rand -hex 24\`)`,
      { key: 'dashboard.token' },
    );
  }
  if (token === undefined && !isLoopbackHost(host)) {
    throw new ConfigError(
      `[@ngb/server] refusing to listen on ${host} without an auth token: anyone who can reach it could drive the agents. Set NGB_DASHBOARD_TOKEN, or bind 127.0.0.1`,
      { key: 'dashboard.host' },
    );
  }
}

/**
 * Serves the API, live events, webhooks and dashboard over HTTP.
 * @throws ConfigError when the address or token would expose the gateway (see {@link checkExposure}),
 *   and the listen error (e.g. `EADDRINUSE`) when the port is taken
 */
export async function createServer(options: ServerOptions): Promise<Server> {
  const host = options.host ?? '127.0.0.1';
  checkExposure(host, options.token);
  const served = createServerApp(options);
  const adapter = deferredRequestListener(served.app.fetch);
  const server = createHttpServer(adapter.listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(served.settings.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const adapterTimer = setTimeout(() => void adapter.load(), adapterLoadDelayMs);
  adapterTimer.unref();
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close({ graceMs = 5000 } = {}) {
      closing ??= new Promise<void>((resolve) => {
        clearTimeout(adapterTimer);
        served.close();
        const cut = setTimeout(() => {
          server.closeAllConnections();
        }, graceMs);
        cut.unref();
        // A connection kept alive after its last answer would hold the close until its keep-alive timeout.
        const sweep = setInterval(() => {
          server.closeIdleConnections();
        }, 25);
        server.close(() => {
          clearTimeout(cut);
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
