import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, dashboardRoutes, initialStateId, loadDashboardFiles } from './dashboard-routes';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-dashboard-state-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const token = 'a-token-of-at-least-16-characters';
const hostile = '</script><script>alert(1)</script><!-- & \u2028';

function build() {
  const directory = join(scratch, 'web');
  mkdirSync(join(directory, 'assets'), { recursive: true });
  writeFileSync(
    join(directory, 'index.html'),
    '<!doctype html><html><head><title>dashboard</title><script type="module" src="/assets/index-abc.js"></script></head><body><div id="app"></div></body></html>',
  );
  return loadDashboardFiles(directory);
}

function served(initialState: () => Promise<Record<string, unknown>>) {
  const calls: number[] = [];
  const root = new Hono();
  root.route(
    '/',
    dashboardRoutes({
      token,
      files: build(),
      initialState: () => {
        calls.push(1);
        return initialState();
      },
    }),
  );
  const get = (path: string, headers: Record<string, string> = {}) =>
    Promise.resolve(root.fetch(new Request(`http://127.0.0.1:7070${path}`, { headers })));
  return { get, calls };
}

const stateIn = (html: string) => {
  const match = new RegExp(`<script type="application/json" id="${initialStateId}">([^<]*)</script>`).exec(html);
  return match ? (JSON.parse(match[1] as string) as Record<string, unknown>) : undefined;
};

describe('dashboard page with its first state', () => {
  it('writes the state into the page as an escaped JSON data block, never cached, under the same CSP', async () => {
    const { get } = served(async () => ({ '/api/status': { channels: { [hostile]: 'connected' } } }));
    const response = await get('/', { authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    const html = await response.text();
    // Nothing in a value can end the data block or open a comment: the page has its own two scripts only.
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('<!--');
    expect(stateIn(html)).toEqual({ '/api/status': { channels: { [hostile]: 'connected' } } });
    expect(html.indexOf(initialStateId)).toBeLessThan(html.indexOf('</head>'));
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
  });

  it('asks for no state without the token: the browser goes to the login page', async () => {
    const { get, calls } = served(async () => ({ '/api/status': {} }));
    const response = await get('/');
    expect(response.status).toBe(303);
    expect(calls).toHaveLength(0);
  });

  it('serves the plain page when there is no state to give', async () => {
    const { get } = served(async () => ({}));
    const response = await get('/tasks', { authorization: `Bearer ${token}` });
    const html = await response.text();
    expect(stateIn(html)).toBeUndefined();
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });
});
