import { isWebChannel } from '@ngb/channel-web';
import { silentLogger, systemClock } from '@ngb/plugin-sdk';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { apiRoutes } from './api/api-routes';
import { docsResponse } from './api/docs-page';
import { createLogFileReader } from './api/log-file-reader';
import { loopbackHostGuard, requireAuth } from './http/auth';
import { errorResponse, jsonError } from './http/json-error';
import { dashboardRoutes } from './routes/dashboard-routes';
import { eventsRoutes } from './routes/events-routes';
import { healthRoutes } from './routes/health-routes';
import { loginRoutes } from './routes/login-routes';
import { createMetrics, metricsRoutes } from './routes/metrics-routes';
import { webChatRoutes } from './routes/web-chat-routes';
import { webhookRoutes } from './routes/webhook-routes';
import type { ServerOptions, ServerSettings } from './server-options';

/** One mebibyte: the default request body limit. */
const defaultMaxBodyBytes = 1024 * 1024;

/** The secret values, found at the first ask and kept (a failed search is tried again); none without a source. */
function askedOnce(source: ServerOptions['secretValues']): () => Promise<readonly string[]> {
  let found: Promise<readonly string[]> | undefined;
  return () => {
    found ??= (source?.() ?? Promise.resolve([])).catch((error: unknown) => {
      found = undefined;
      throw error;
    });
    return found;
  };
}

/** The server's routes over the gateway, without a socket: `app.fetch(request)` answers one request. */
export interface ServerApp {
  app: Hono;
  settings: ServerSettings;
  /** Ends the live event streams and the metrics' listeners (the server's graceful shutdown calls it). */
  close(): void;
}

function settingsOf(options: ServerOptions): ServerSettings {
  return {
    gateway: options.gateway,
    store: options.store,
    channels: options.channels ?? [],
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 7070,
    token: options.token,
    readiness: options.readiness ?? {},
    isolated: options.isolated ?? true,
    maxBodyBytes: options.maxBodyBytes ?? defaultMaxBodyBytes,
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? systemClock,
    sandboxCount: options.sandboxCount ?? (async () => 0),
    sandboxes: options.sandboxes,
    config: options.config,
    budgets: options.budgets,
    secretValues: options.secretValues,
    logFile: options.logFile,
    version: options.version,
  };
}

/**
 * Builds the HTTP side of `ngb serve`: health, metrics, the API, live events, channel webhooks, the
 * web chat and the dashboard. Public: `/healthz`, `/readyz`, `/login`, `/channels/<name>/webhook`
 * (checked by the channel), the web chat's visitor API. Everything else needs the token when one is set.
 */
export function createServerApp(options: ServerOptions): ServerApp {
  const settings = settingsOf(options);
  const { gateway, store, token, logger } = settings;
  const app = new Hono();
  app.onError((error) => errorResponse(error, logger));
  app.notFound((context) => jsonError(404, 'not_found', `nothing at ${context.req.method} ${new URL(context.req.url).pathname}`));
  app.use(loopbackHostGuard(token));
  app.use(
    bodyLimit({
      maxSize: settings.maxBodyBytes,
      onError: () => jsonError(413, 'payload_too_large', `request bodies are limited to ${settings.maxBodyBytes} bytes`),
    }),
  );
  app.route('/', healthRoutes(gateway, settings.readiness));
  if (token !== undefined) app.route('/', loginRoutes(token, settings.clock));
  app.route('/channels', webhookRoutes(settings.channels, logger));

  const metrics = createMetrics(gateway, { activeSandboxes: settings.sandboxCount }, logger);
  app.use('/metrics', requireAuth(token));
  app.route('/metrics', metricsRoutes(metrics));

  const web = settings.channels.find(isWebChannel);
  const chat = web ? webChatRoutes(web) : undefined;
  if (web && chat) app.route(`${web.path}/api`, chat.visitors);

  const events = eventsRoutes(gateway, store);
  app.use('/api/*', requireAuth(token));
  app.route('/api/events', events.app);
  if (chat) app.route('/api/chat', chat.dashboard);
  const api = apiRoutes({
    gateway,
    store,
    isolated: settings.isolated,
    channels: settings.channels,
    clock: settings.clock,
    version: settings.version,
    sandboxes: settings.sandboxes,
    config:
      settings.config === undefined ? undefined : { value: settings.config, secretValues: askedOnce(settings.secretValues) },
    budgets: settings.budgets,
    logs: settings.logFile === undefined ? undefined : createLogFileReader(settings.logFile),
  });
  app.route('/api', api.app);
  app.use('/docs', requireAuth(token, { pages: true }));
  app.get('/docs', () => docsResponse(api.document()));
  app.route(
    '/',
    dashboardRoutes({
      token,
      // The dashboard's first screen needs the gateway's status: it comes with the page. Asked of the
      // API itself, with the page request's connection, so it says exactly what `/api/status` would.
      initialState: async (context) => {
        const response = await api.app.request('/status', { headers: { accept: 'application/json' } }, context.env);
        return response.status === 200 ? { '/api/status': await response.json() } : {};
      },
    }),
  );

  return {
    app,
    settings,
    close() {
      events.streams.closeAll();
      metrics.close();
      api.close();
    },
  };
}
