import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, dashboardRoutes, loadDashboardFiles } from './dashboard-routes';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-dashboard-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A built dashboard in a temp folder, with a file beside it that no request may reach. */
function fakeBuild(): string {
  const build = join(scratch, 'web');
  mkdirSync(join(build, 'assets'), { recursive: true });
  writeFileSync(
    join(build, 'index.html'),
    '<!doctype html><title>dashboard</title><script type="module" src="/assets/index-abc123.js"></script>',
  );
  writeFileSync(join(build, 'chat.html'), '<!doctype html><title>chat</title>');
  writeFileSync(join(build, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(build, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(scratch, 'secret.txt'), 'not for the web');
  return build;
}

const token = 'a-token-of-at-least-16-characters';

function app(files: ReturnType<typeof loadDashboardFiles> | null, withToken = true): Hono {
  const root = new Hono();
  root.route('/', dashboardRoutes({ token: withToken ? token : undefined, files }));
  return root;
}

const get = (target: Hono, path: string, headers: Record<string, string> = {}) =>
  Promise.resolve(target.fetch(new Request(`http://127.0.0.1:7070${path}`, { headers })));

describe('dashboard routes', () => {
  const files = loadDashboardFiles(fakeBuild());

  it('serves the page for every client route behind the token, with a strict CSP', async () => {
    const served = app(files);
    for (const path of ['/', '/sessions', '/sessions/abc', '/tasks', '/logs']) {
      const response = await get(served, path, { authorization: `Bearer ${token}` });
      expect(response.status, path).toBe(200);
      expect(await response.text()).toContain('<title>dashboard</title>');
      expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    }
    const page = await get(served, '/', { authorization: `Bearer ${token}` });
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-cache');
  });

  it('sends a browser without the token to the login page', async () => {
    const response = await get(app(files), '/sessions');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
  });

  it('serves the visitor chat page and the hashed assets without the token, assets cached for a year', async () => {
    const served = app(files);
    const chat = await get(served, '/chat');
    expect(chat.status).toBe(200);
    expect(await chat.text()).toContain('<title>chat</title>');
    expect(chat.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    const script = await get(served, '/assets/index-abc123.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('serves only the files read at start: no path reaches the disk', async () => {
    const served = app(files);
    for (const path of [
      '/assets/../../secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/nope.js',
      '/assets/index.html',
    ]) {
      const response = await get(served, path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('not for the web');
    }
    writeFileSync(join(scratch, 'web', 'assets', 'late-abc.js'), 'written after start');
    expect((await get(served, '/assets/late-abc.js')).status).toBe(404);
  });

  it('says in one line how to build the dashboard when the build is missing', async () => {
    expect(loadDashboardFiles(join(scratch, 'nothing-here'))).toBeUndefined();
    const response = await get(app(null, false), '/');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('pnpm build');
  });
});
