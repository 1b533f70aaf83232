import { createManualClock } from '@ngb/plugin-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerHarness, type ServerHarness } from './__tests__/server-harness';
import { authCookieValue } from './http/auth';

const token = 'a-long-enough-dashboard-token';

describe('the server without a token (loopback only)', () => {
  let harness: ServerHarness;
  beforeAll(async () => {
    harness = await createServerHarness();
  });
  afterAll(() => harness.close());

  it('answers the API to a loopback host name', async () => {
    for (const host of ['127.0.0.1:7070', 'localhost:7070', '[::1]:7070']) {
      const response = await harness.request('/api/status', { host });
      expect(response.status, host).toBe(200);
    }
  });

  it('refuses another host name, which a page could point at 127.0.0.1 (DNS rebinding)', async () => {
    const response = await harness.request('/api/status', { host: 'attacker.example:7070' });
    expect(response.status).toBe(421);
    expect(await response.json()).toMatchObject({ error: { code: 'host_refused' } });
  });

  it('refuses a state-changing request from another site, and takes one from its own pages or a program', async () => {
    const foreign = await harness.request('/api/nothing-here', {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: 'cross_site' } });
    const fetchMetadata = await harness.request('/api/nothing-here', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(fetchMetadata.status).toBe(403);
    // Past the CSRF check, the unknown route answers 404 in JSON.
    const own = await harness.request('/api/nothing-here', {
      method: 'POST',
      headers: { origin: 'http://127.0.0.1:7070', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(own.status).toBe(404);
    expect(await own.json()).toMatchObject({ error: { code: 'not_found' } });
    const program = await harness.request('/api/nothing-here', { method: 'POST', body: '{}' });
    expect(program.status).toBe(404);
  });

  it('answers 413 to a body over the limit, without reading it all', async () => {
    const small = await createServerHarness({ server: { maxBodyBytes: 1024 } });
    try {
      const response = await small.request('/api/status', { method: 'POST', body: 'x'.repeat(4096) });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    } finally {
      await small.close();
    }
  });
});

describe('the server with a token', () => {
  let harness: ServerHarness;
  const clock = createManualClock(Date.UTC(2026, 0, 1));
  beforeAll(async () => {
    harness = await createServerHarness({ server: { token, clock } });
  });
  afterAll(() => harness.close());

  it('answers 401 without the token, to the API, the events and the metrics alike', async () => {
    for (const path of ['/api/status', '/api/events', '/metrics']) {
      const response = await harness.request(path);
      expect(response.status, path).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    const wrong = await harness.request('/api/status', { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(401);
  });

  it('takes the bearer token from any host name (the token is the protection)', async () => {
    const response = await harness.request('/api/status', {
      host: 'ngb.example.org',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
  });

  it('keeps health and readiness public', async () => {
    expect((await harness.request('/healthz')).status).toBe(200);
    expect((await harness.request('/readyz')).status).toBe(200);
  });

  it('trades the token for an HttpOnly cookie on the login page, which then opens the API', async () => {
    const page = await harness.request('/login');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post" action="/login">');
    const login = await harness.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:7070' },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`ngb_auth=${authCookieValue(token)}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain(token);
    const status = await harness.request('/api/status', { headers: { cookie: `ngb_auth=${authCookieValue(token)}` } });
    expect(status.status).toBe(200);
    // A cookie rides along on a cross-site POST: the Origin check refuses it.
    const forged = await harness.request('/api/status', {
      method: 'POST',
      headers: { cookie: `ngb_auth=${authCookieValue(token)}`, origin: 'http://evil.example' },
    });
    expect(forged.status).toBe(403);
  });

  it('throttles wrong tokens on the login page', async () => {
    const attempt = () =>
      harness.request('/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'token=guess-guess-guess-guess',
      });
    for (let tries = 0; tries < 10; tries += 1) expect((await attempt()).status).toBe(401);
    const blocked = await attempt();
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    await clock.advance(61_000);
    expect((await attempt()).status).toBe(401);
  });
});
