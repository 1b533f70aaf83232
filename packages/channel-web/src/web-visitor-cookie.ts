import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The name of the cookie that carries a visitor's signed identity. */
export const visitorCookieName = 'ngb_visitor';

/** Ids the adapter keeps for itself; a cookie naming one is refused like a forged one. */
const reservedIds = new Set(['ngb', 'dashboard']);
const idPattern = /^[A-Za-z0-9_-]{1,64}$/;
const signaturePattern = /^[A-Za-z0-9_-]{43}$/;

/** A visitor's identity as read from (or newly written to) the cookie. */
export interface VisitorIdentity {
  id: string;
  /** The `Set-Cookie` value to answer with when the identity is new. */
  setCookie?: string;
}

function sign(secret: string, id: string): string {
  return createHmac('sha256', secret).update(`${visitorCookieName}:${id}`).digest('base64url');
}

/**
 * The visitor id a `Cookie` header proves, or undefined when it carries none, a malformed one, or one
 * whose signature does not match (compared in constant time).
 */
export function readVisitorCookie(cookieHeader: string | null, secret: string): string | undefined {
  if (cookieHeader === null) return undefined;
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== visitorCookieName) continue;
    const value = part.slice(separator + 1).trim();
    const dot = value.lastIndexOf('.');
    const id = value.slice(0, dot);
    const signature = value.slice(dot + 1);
    if (dot < 0 || !idPattern.test(id) || reservedIds.has(id) || !signaturePattern.test(signature)) continue;
    if (timingSafeEqual(Buffer.from(signature), Buffer.from(sign(secret, id)))) return id;
  }
  return undefined;
}

/** The cookie value for `id`: the id and its signature. */
export function visitorCookieValue(id: string, secret: string): string {
  return `${id}.${sign(secret, id)}`;
}

/**
 * The visitor the request's cookie proves, or a new one (a random id) with the `Set-Cookie` that
 * gives it: a missing, malformed or forged cookie never yields someone else's identity.
 */
export function identifyVisitor(request: Request, secret: string, path: string): VisitorIdentity {
  const known = readVisitorCookie(request.headers.get('cookie'), secret);
  if (known !== undefined) return { id: known };
  const id = randomBytes(16).toString('base64url');
  const secure = new URL(request.url).protocol === 'https:' ? '; Secure' : '';
  return {
    id,
    setCookie: `${visitorCookieName}=${visitorCookieValue(id, secret)}; Path=${path}; HttpOnly; SameSite=Lax; Max-Age=31536000${secure}`,
  };
}
