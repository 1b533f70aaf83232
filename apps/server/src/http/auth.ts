import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '@ngb/plugin-sdk';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { jsonError } from './json-error';
import { hostName, isLoopbackHost } from './loopback';

/** The cookie the login page sets: a keyed digest of the token, never the token itself. */
export const authCookieName = 'ngb_auth';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** How a request proved who it is. */
export type Authenticated = 'bearer' | 'cookie' | 'loopback';

/** The value of the auth cookie for a token: changes when the token changes. */
export function authCookieValue(token: string): string {
  return createHmac('sha256', token).update('dashboard-session/v1').digest('base64url');
}

function sameSecret(given: string, expected: string): boolean {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Who the request is, or undefined when it proved nothing. */
function authenticate(context: Context, token: string | undefined): Authenticated | undefined {
  if (token === undefined) return 'loopback';
  const header = context.req.header('authorization');
  if (header?.startsWith('Bearer ') && sameSecret(header.slice(7).trim(), token)) return 'bearer';
  const cookie = getCookie(context, authCookieName);
  if (cookie !== undefined && sameSecret(cookie, authCookieValue(token))) return 'cookie';
  return undefined;
}

/**
 * Refuses a request whose `Host` is not this machine while the server answers without a token:
 * a page elsewhere could otherwise point its own name at 127.0.0.1 and read the API (DNS rebinding).
 */
export function loopbackHostGuard(token: string | undefined): MiddlewareHandler {
  return async (context, next) => {
    if (token === undefined) {
      const host = context.req.header('host') ?? '';
      if (!isLoopbackHost(hostName(host))) {
        return jsonError(421, 'host_refused', `this server answers only to a loopback host name without a token, not "${host}"`);
      }
    }
    await next();
  };
}

/**
 * A state-changing request carried by a browser's cookie (or by nothing, on loopback without a
 * token) must come from this server's own pages: its `Origin` (or `Sec-Fetch-Site`) says so. A
 * bearer header cannot be attached by another site, so it needs no such check.
 */
export function isCrossSite(context: Context, how: Authenticated | 'visitor'): boolean {
  if (!unsafeMethods.has(context.req.method) || how === 'bearer') return false;
  const site = context.req.header('sec-fetch-site');
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = context.req.header('origin');
  // Browsers send Origin (or Sec-Fetch-Site) with every cross-site POST; a request with neither
  // comes from a program (curl, a script), which no other site can make a browser send.
  if (origin === undefined) return false;
  const host = context.req.header('host');
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

/** Protects a route: 401 without proof (a redirect to the login page for a browser's page load), 403 cross-site. */
export function requireAuth(token: string | undefined, options: { pages?: boolean } = {}): MiddlewareHandler {
  return async (context, next) => {
    const how = authenticate(context, token);
    if (how === undefined) {
      if (options.pages && context.req.method === 'GET') return context.redirect('/login', 303);
      return jsonError(
        401,
        'unauthorized',
        'this endpoint needs the auth token: a `Authorization: Bearer <token>` header or the login page',
        {
          'www-authenticate': 'Bearer',
        },
      );
    }
    if (isCrossSite(context, how)) {
      return jsonError(403, 'cross_site', 'a state-changing request must come from the dashboard itself (Origin check)');
    }
    await next();
  };
}

/** Throttles wrong login tokens: at most `attempts` wrong ones per `windowMs`, then 429 until the window passes. */
export function createLoginThrottle(clock: Clock, attempts = 10, windowMs = 60_000) {
  let failures: number[] = [];
  return {
    blockedForMs(): number {
      const now = clock.now();
      failures = failures.filter((at) => now - at < windowMs);
      const oldest = failures[0];
      return failures.length >= attempts && oldest !== undefined ? windowMs - (now - oldest) : 0;
    },
    failed(): void {
      failures.push(clock.now());
    },
  };
}
