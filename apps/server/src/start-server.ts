import { budgetReport, type ComposedGateway, type ComposeRequest, composeGateway } from '@ngb/host';
import { ConfigError } from '@ngb/plugin-sdk';
import packageJson from '../package.json' with { type: 'json' };
import { secretValuesOf } from './api/redact-config';
import { checkExposure, createServer, type Server } from './create-server';
import { isLoopbackHost } from './http/loopback';

/** A serving gateway with its HTTP server. */
export interface ServedGateway {
  composed: ComposedGateway;
  server: Server;
  /** Stops the server (draining requests), then the gateway, then closes the store. */
  close(graceMs: number): Promise<void>;
}

/**
 * Composes the gateway through the one composition root (`@ngb/host`) and serves it over HTTP at
 * the config's `dashboard.host` and `dashboard.port`, with the token from `NGB_DASHBOARD_TOKEN`.
 * The web chat channel comes with it (unless `channels.web.enabled` is false). An exposed address
 * without a token is refused before anything starts, and so is the web chat on an exposed address
 * over the local runtime; when the server cannot listen, the gateway is stopped and the store
 * closed before the error is thrown.
 * @throws ConfigError for an exposed address without a token or a short token, the listen error,
 *   and whatever `composeGateway` refuses
 */
export async function startServer(request: ComposeRequest): Promise<ServedGateway> {
  const { config } = request.loaded;
  const { dashboard } = config;
  const token = request.env.NGB_DASHBOARD_TOKEN || undefined;
  checkExposure(dashboard.host, token);
  // The web chat comes with the server unless `channels.web.enabled` is false.
  const channels = { ...config.channels, web: config.channels.web ?? { enabled: true } };
  const composed = await composeGateway({ ...request, loaded: { ...request.loaded, config: { ...config, channels } } });
  const { project, running, runtime } = composed;
  try {
    if (!runtime.runtime.isolated && !isLoopbackHost(dashboard.host) && channels.web.enabled) {
      throw new ConfigError(
        `[@ngb/server] the web chat on ${dashboard.host} would let anyone who reaches it run tools on this machine (the local runtime is not isolated); use the docker runtime, or bind the dashboard to 127.0.0.1`,
        { key: 'dashboard.host' },
      );
    }
    const server = await createServer({
      gateway: running.gateway,
      store: project.store,
      channels: composed.channels,
      host: dashboard.host,
      port: dashboard.port,
      token,
      isolated: runtime.runtime.isolated,
      logger: project.logger.child('server'),
      readiness: {
        store: async () => void (await project.store.agents.list()),
        runtime: async () => void (await runtime.runtime.list()),
      },
      sandboxCount: async () => (await runtime.runtime.list()).length,
      sandboxes: () => runtime.runtime.list(),
      config: request.loaded.config,
      budgets: {
        timeZone: config.budgets.timeZone,
        nearShare: config.budgets.nearShare,
        report: (now) => budgetReport(project.store, config, now),
      },
      secretValues: () => secretValuesOf(request.env),
      logFile: project.paths.logFile,
      version: packageJson.version,
    });
    return {
      composed,
      server,
      async close(graceMs) {
        try {
          await server.close({ graceMs: Math.min(graceMs, 5000) });
        } finally {
          await composed.close(graceMs);
        }
      },
    };
  } catch (error) {
    await composed.close(0).catch(() => undefined);
    throw error;
  }
}
