import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { requireAuth } from '../http/auth';

/** The built dashboard, read once at start: the two pages and every other file by its URL path. */
export interface DashboardFiles {
  dashboard: string;
  chat: string | undefined;
  /** By URL path (`/assets/index-3f2a.js`): the bytes and the content type. */
  assets: Map<string, { body: Uint8Array; type: string }>;
}

/** The pages of the single-page app: each answers with the dashboard's `index.html`. */
const dashboardPages = [
  '/',
  '/sessions',
  '/sessions/:id',
  '/agents',
  '/talk',
  '/messages',
  '/tasks',
  '/approvals',
  '/people',
  '/logs',
];

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The policy of every page: scripts and styles only from this server (no inline script, no CDN),
 * requests only to this server, never inside a frame.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** The id of the element carrying the first state a page needs, read by the dashboard's script. */
export const initialStateId = 'ngb-initial-state';

/**
 * JSON as the text of an HTML data block: every `<`, `>` and `&` escaped, so no value can end the
 * element or open a comment. A data block (`type="application/json"`) is never run, so the CSP's
 * ban on inline scripts stays whole.
 */
function initialStateBlock(state: Record<string, unknown>): string {
  const json = JSON.stringify(state).replace(
    /[<>&\u2028\u2029]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `<script type="application/json" id="${initialStateId}">${json}</script>`;
}

/** Where the build is: beside the bundled server (`dist/web`), or the package's `dist/web` when run from source. */
function defaultDirectory(): string {
  const candidates = [new URL('./web/', import.meta.url), new URL('../../dist/web/', import.meta.url)].map((url) =>
    fileURLToPath(url),
  );
  return candidates.find((candidate) => existsSync(join(candidate, 'index.html'))) ?? candidates[0]!;
}

function listFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return listFiles(path);
    return entry.isFile() ? [path] : [];
  });
}

/** Reads the built dashboard into memory; undefined when it was not built. */
export function loadDashboardFiles(directory = defaultDirectory()): DashboardFiles | undefined {
  const index = join(directory, 'index.html');
  if (!existsSync(index)) return undefined;
  const chat = join(directory, 'chat.html');
  const assets = new Map<string, { body: Uint8Array; type: string }>();
  for (const path of listFiles(directory)) {
    const extension = extname(path);
    const type = contentTypes[extension];
    if (type === undefined) continue;
    assets.set(`/${relative(directory, path).split(sep).join('/')}`, { body: readFileSync(path), type });
  }
  return { dashboard: readFileSync(index, 'utf8'), chat: existsSync(chat) ? readFileSync(chat, 'utf8') : undefined, assets };
}

const notBuilt =
  '<!doctype html><meta charset="utf-8"><title>ngb</title><p>The dashboard is not built: run <code>pnpm --filter @ngb/server build</code> (or <code>pnpm build</code>) and restart.</p>';

/**
 * The dashboard (behind the token, like the API), its hashed assets (public, cached for a year:
 * their names change with their content), and the visitor chat page at `/chat` (public). Only the
 * files read at start are served; no request names a file on disk.
 */
export function dashboardRoutes(options: {
  token: string | undefined;
  files?: DashboardFiles | null;
  /**
   * The API answers the dashboard starts from, by API path (`/api/status`), asked for the request of
   * the page (so with its rights) and written into it: the page shows them without a round trip.
   * A page carrying them is never stored by a cache. An answer that is not a 200 is left out; the
   * page then asks for it itself.
   */
  initialState?: (context: Context) => Promise<Record<string, unknown>>;
}): Hono {
  const files = options.files === null ? undefined : (options.files ?? loadDashboardFiles());
  const app = new Hono();
  const page = (html: string | undefined) => (context: Context) =>
    html === undefined ? context.html(notBuilt, 503, { 'cache-control': 'no-store' }) : context.body(html, 200, pageHeaders);
  const dashboard = files?.dashboard;
  const head = dashboard?.indexOf('</head>') ?? -1;
  const initialState = options.initialState;
  const dashboardPage =
    dashboard === undefined || initialState === undefined || head === -1
      ? page(dashboard)
      : async (context: Context) => {
          const state = await initialState(context);
          if (Object.keys(state).length === 0) return context.body(dashboard, 200, pageHeaders);
          const html = `${dashboard.slice(0, head)}${initialStateBlock(state)}${dashboard.slice(head)}`;
          return context.body(html, 200, { ...pageHeaders, 'cache-control': 'no-store' });
        };
  for (const path of dashboardPages) app.get(path, requireAuth(options.token, { pages: true }), dashboardPage);
  app.get('/chat', page(files?.chat));
  app.get('/favicon.svg', (context) => serveAsset(context, files, 'public, max-age=86400'));
  app.get('/assets/*', (context) => serveAsset(context, files, 'public, max-age=31536000, immutable'));
  return app;
}

function serveAsset(context: Context, files: DashboardFiles | undefined, cacheControl: string): Response {
  const asset = files?.assets.get(new URL(context.req.url).pathname);
  if (!asset) return context.json({ error: { code: 'not_found', message: 'no such dashboard file' } }, 404);
  return context.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
    'content-type': asset.type,
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
  });
}
