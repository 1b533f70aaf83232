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
export function dashboardRoutes(options: { token: string | undefined; files?: DashboardFiles | null }): Hono {
  const files = options.files === null ? undefined : (options.files ?? loadDashboardFiles());
  const app = new Hono();
  const page = (html: string | undefined) => (context: Context) =>
    html === undefined ? context.html(notBuilt, 503, { 'cache-control': 'no-store' }) : context.body(html, 200, pageHeaders);
  for (const path of dashboardPages) app.get(path, requireAuth(options.token, { pages: true }), page(files?.dashboard));
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
