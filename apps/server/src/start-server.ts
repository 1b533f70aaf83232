import { type ComposedGateway, type ComposeRequest, composeGateway } from '@ngb/host';
import { NotSupportedError } from '@ngb/plugin-sdk';
import { createServer, type Server } from './create-server';

/** A serving gateway with its HTTP server. */
export interface ServedGateway {
  composed: ComposedGateway;
  server: Server;
}

/**
 * Composes the gateway through the one composition root (`@ngb/host`) and serves it over HTTP at
 * the config's `dashboard.host` and `dashboard.port`. When the server cannot start, the gateway is
 * stopped and the store closed before the error is thrown.
 * @throws NotSupportedError until the dashboard lands, and whatever `composeGateway` refuses
 */
export async function startServer(request: ComposeRequest): Promise<ServedGateway> {
  const composed = await composeGateway(request);
  const { dashboard } = composed.project.config;
  try {
    const server = createServer({
      gateway: composed.running.gateway,
      store: composed.project.store,
      host: dashboard.host,
      port: dashboard.port,
    });
    return { composed, server };
  } catch (error) {
    await composed.close(0).catch(() => undefined);
    if (NotSupportedError.isInstance(error)) {
      throw new NotSupportedError(
        'the dashboard is enabled in ngb.config.json but not built yet; set "dashboard.enabled": false',
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}
