import type { Clock } from '@ngb/plugin-sdk';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { authCookieName, authCookieValue, createLoginThrottle, isCrossSite } from '../http/auth';

function loginPage(message: string | undefined): string {
  const note = message ? `<p class="note">${message}</p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>ngb · sign in</title><style>
body{font:15px/1.5 system-ui,sans-serif;background:#0f1115;color:#e6e8ee;display:grid;place-items:center;min-height:100vh;margin:0}
form{background:#171a21;border:1px solid #2a2f3a;border-radius:12px;padding:28px;width:min(360px,90vw)}
h1{font-size:18px;margin:0 0 4px}p{color:#9aa3b2;margin:0 0 16px}.note{color:#ff8f8f}
input,button{width:100%;box-sizing:border-box;padding:10px 12px;border-radius:8px;font:inherit}
input{background:#0f1115;border:1px solid #2a2f3a;color:inherit;margin-bottom:12px}
button{background:#5b8cff;border:0;color:#fff;cursor:pointer}</style></head>
<body><form method="post" action="/login"><h1>NanoGridBot</h1><p>Enter the dashboard token (<code>NGB_DASHBOARD_TOKEN</code>).</p>${note}
<input type="password" name="token" autocomplete="current-password" autofocus required aria-label="token">
<button type="submit">Sign in</button></form></body></html>`;
}

/** `GET /login` and `POST /login`: trades the token for an HttpOnly cookie. Absent without a token. */
export function loginRoutes(token: string, clock: Clock): Hono {
  const throttle = createLoginThrottle(clock);
  const app = new Hono();
  app.get('/login', (context) => context.html(loginPage(undefined)));
  app.post('/login', async (context) => {
    if (isCrossSite(context, 'cookie')) return context.html(loginPage('Sign in from this page.'), 403);
    const waitMs = throttle.blockedForMs();
    if (waitMs > 0) {
      return context.html(loginPage('Too many wrong tokens; wait a minute.'), 429, {
        'retry-after': String(Math.ceil(waitMs / 1000)),
      });
    }
    const form = await context.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const given = typeof form.token === 'string' ? form.token : '';
    if (given !== token) {
      throttle.failed();
      return context.html(loginPage('That token is not the one this server was started with.'), 401);
    }
    setCookie(context, authCookieName, authCookieValue(token), {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: new URL(context.req.url).protocol === 'https:',
    });
    return context.redirect('/', 303);
  });
  return app;
}
