import type { WebChannel } from '@ngb/channel-web';
import type { MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { isCrossSite } from '../http/auth';
import { jsonError } from '../http/json-error';

/** The same request at another path, its body streamed on as it comes. */
function movedTo(request: Request, pathname: string): Request {
  const url = new URL(request.url);
  url.pathname = pathname;
  return new Request(url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
    // Node's fetch needs this to pass a streamed body on.
    ...({ duplex: 'half' } as RequestInit),
  });
}

/** A visitor's cookie rides along on a request another site makes: refuse those that change state. */
const visitorCsrf: MiddlewareHandler = async (context, next) => {
  if (isCrossSite(context, 'visitor')) {
    return jsonError(403, 'cross_site', 'a message must be sent from the web chat page itself (Origin check)');
  }
  await next();
};

/**
 * The web chat: `<path>/api/*` for visitors (public; the chat's unknown-sender policy decides who is
 * answered), and `/api/chat/*` for the dashboard's own chat, which speaks as the gateway's owner —
 * mounted behind the token like the rest of `/api`.
 */
export function webChatRoutes(web: WebChannel): { visitors: Hono; dashboard: Hono } {
  const visitors = new Hono();
  visitors.use('*', visitorCsrf);
  visitors.all('/*', (context) => web.handleRequest(context.req.raw));
  const dashboard = new Hono();
  dashboard.all('/*', (context) => {
    const rest = new URL(context.req.url).pathname.replace(/^\/api\/chat/, '');
    return web.handleRequest(movedTo(context.req.raw, `${web.path}/api${rest}`), { speaker: 'dashboard' });
  });
  return { visitors, dashboard };
}
