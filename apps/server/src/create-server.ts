import { NotSupportedError } from '@ngb/plugin-sdk';

/** Options of {@link createServer}. */
export interface ServerOptions {
  /** Address to bind. @default '127.0.0.1' */
  host?: string;
  /** Port to listen on. */
  port?: number;
}

/**
 * The HTTP API, dashboard and web chat.
 * @throws NotSupportedError until the dashboard lands
 */
export function createServer(_options: ServerOptions): never {
  throw new NotSupportedError('[@ngb/server] the HTTP API and dashboard are not built yet');
}
