import type { Gateway } from '@ngb/core';
import { NotSupportedError, type Store } from '@ngb/plugin-sdk';

/** Options of {@link createServer}: the composed gateway and store it serves, and where it listens. */
export interface ServerOptions {
  /** The running gateway the API, the dashboard and the web chat talk to. */
  gateway: Gateway;
  /** The gateway's store, which the API and the dashboard read. */
  store: Store;
  /** Address to bind. @default '127.0.0.1' */
  host?: string;
  /** Port to listen on. */
  port?: number;
}

/** A listening server. */
export interface Server {
  /** Stops listening; the gateway and the store stay open (their owner closes them). */
  close(): Promise<void>;
}

/**
 * The HTTP API, dashboard and web chat over a composed gateway.
 * @throws NotSupportedError until the dashboard lands
 */
export function createServer(_options: ServerOptions): Server {
  throw new NotSupportedError('[@ngb/server] the HTTP API and dashboard are not built yet');
}
