import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

// Every parameter of the API that could name a file or a folder gets the classic traversals. No route
// reads a path from a request (ids are looked up in the store), so each must answer a JSON 400/404
// and never the bytes of a file outside what it serves.

const outsideMarker = 'outside-the-agents-directory-4f1b';
const payloads = [
  '..%2F..%2F..%2F..%2Fetc%2Fpasswd',
  '..%252F..%252Fetc%252Fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%5C..%5Cetc%5Cpasswd',
  '..%2Foutside%2FSKILL.md',
  '%2Fetc%2Fpasswd',
  'main%00.json',
  '....%2F%2F....%2F%2Fetc%2Fpasswd',
];

let harness: ServerHarness;
let operations: Array<{ method: string; path: string }>;

beforeAll(async () => {
  harness = await createServerHarness();
  // A skill folder beside the agents directory: what `../outside` would reach if an id were a path.
  const outside = join(harness.agentsDirectory, '..', 'outside', 'skills', 'leak');
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'SKILL.md'), `---\nname: leak\ndescription: ${outsideMarker}\n---\n${outsideMarker}\n`);
  const document = (await call(harness, 'GET', '/api/openapi.json')).body as {
    paths: Record<string, Record<string, unknown>>;
  };
  operations = Object.entries(document.paths)
    .filter(([path]) => path.includes('{'))
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
});
afterAll(() => harness.close());

function leaked(text: string): boolean {
  return /root:.*:0:0:/.test(text) || text.includes(outsideMarker);
}

describe('path traversal through the API', () => {
  it('finds every route with a path parameter in the OpenAPI document (agents, skills, sessions, tasks, ...)', () => {
    const paths = operations.map((operation) => operation.path);
    expect(paths).toEqual(expect.arrayContaining(['/api/agents/{id}', '/api/agents/{id}/skills', '/api/sessions/{id}']));
    expect(operations.length).toBeGreaterThanOrEqual(10);
  });

  it('answers a JSON 400/404 to a traversal in every path parameter, never a file', async () => {
    for (const { method, path } of operations) {
      for (const payload of payloads) {
        const url = path.replace(/\{[^}]+\}/g, payload);
        const answer = await harness.request(url, {
          method,
          ...(method === 'GET' ? {} : { body: '{}', headers: { 'content-type': 'application/json' } }),
        });
        const text = await answer.text();
        expect([400, 404, 405], `${method} ${url}: ${answer.status} ${text}`).toContain(answer.status);
        expect(leaked(text), `${method} ${url} leaked: ${text}`).toBe(false);
        expect(() => JSON.parse(text), `${method} ${url}`).not.toThrow();
      }
    }
  });

  it('answers a traversal in a query (the log level, a cursor, a chat id) with 4xx or nothing found, never a file', async () => {
    for (const query of [
      '/api/logs?level=..%2F..%2Fetc%2Fpasswd',
      '/api/messages?chatId=..%2F..%2Fetc%2Fpasswd',
      '/api/sessions?cursor=..%2F..%2Fetc%2Fpasswd',
      '/api/agents?cursor=%2Fetc%2Fpasswd',
    ]) {
      const answer = await harness.request(query);
      const text = await answer.text();
      // An id filter that matches nothing is an empty page; anything else that is not an id or a cursor is refused.
      if (answer.status === 200) expect(JSON.parse(text), query).toEqual({ items: [] });
      else expect([400, 404, 501], `${query}: ${text}`).toContain(answer.status);
      expect(leaked(text), `${query} leaked: ${text}`).toBe(false);
    }
  });

  it('serves no file outside the built dashboard through its asset paths', async () => {
    for (const path of [
      '/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%5C..%5Cpackage.json',
      '/favicon.svg/..%2F..%2Fetc%2Fpasswd',
    ]) {
      const answer = await harness.request(path);
      const text = await answer.text();
      expect(answer.status, `${path}: ${text}`).toBe(404);
      expect(leaked(text), `${path} leaked`).toBe(false);
    }
  });
});
