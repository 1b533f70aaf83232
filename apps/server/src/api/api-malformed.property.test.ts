import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mainAgentId, wiredChat } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

const seed = 16_4401;
const maxBodyBytes = 4096;

interface Operation {
  method: string;
  path: string;
}

let harness: ServerHarness;
let operations: Operation[] = [];
let listPaths: string[] = [];
let realIds: string[] = [];

beforeAll(async () => {
  harness = await createServerHarness({ server: { maxBodyBytes } });
  const chat = await wiredChat(harness, 'malformed');
  realIds = [await mainAgentId(harness), chat.id];
  const document = (await call(harness, 'GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const method of Object.keys(methods)) {
      if (method !== 'get' || path.includes('{')) operations.push({ method: method.toUpperCase(), path: `/api${path}` });
    }
  }
  operations = operations.filter((operation) => operation.method !== 'GET' || operation.path.includes('{'));
  listPaths = Object.keys(document.paths)
    .filter((path) => /^\/(agents|chats|wirings|tasks|users|approvals|destinations)$/.test(path) && document.paths[path]?.get)
    .map((path) => `/api${path}`);
}, 60_000);
afterAll(() => harness.close());

/** What the API lists of the stored records, to see that a refused request changed nothing. */
async function snapshot(): Promise<string> {
  const lists = await Promise.all(listPaths.map((path) => call(harness, 'GET', path)));
  return JSON.stringify(lists.map((list) => list.body));
}

const hostileId = fc.oneof(
  fc.constantFrom('ghost', '..', '%2e%2e%2f', '%00', 'a'.repeat(5000), '0', '-1', '😀', '%', 'null'),
  fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent),
);

const body = fc.oneof(
  fc.constantFrom(
    { kind: 'raw', text: '{"status": "active",', type: 'application/json' },
    { kind: 'raw', text: '', type: 'application/json' },
    { kind: 'raw', text: 'status=active', type: 'application/x-www-form-urlencoded' },
    { kind: 'raw', text: '{"a":1}', type: 'text/plain' },
    { kind: 'raw', text: `{"pad":"${'x'.repeat(maxBodyBytes * 2)}"}`, type: 'application/json' },
    { kind: 'raw', text: '\u0000\uFFFE', type: 'application/json' },
    { kind: 'raw', text: '{"__proto__":{"admin":true}}', type: 'application/json' },
  ),
  fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'raw', text: JSON.stringify(value), type: 'application/json' })),
  fc
    .dictionary(
      fc.constantFrom(
        'status',
        'name',
        'role',
        'chatId',
        'agentId',
        'engage',
        'pattern',
        'priority',
        'prompt',
        'scheduleType',
        'scheduleValue',
        'timezone',
        'unknown',
      ),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.nat(), { maxLength: 2 }),
        fc.constantFrom(...['always', 'cron', '* * * * *', 'admin']),
      ),
    )
    .map((value) => ({ kind: 'raw', text: JSON.stringify(value), type: 'application/json' })),
);

describe('API under malformed requests (property)', () => {
  it('answers 4xx (never 5xx) to bad bodies and parameters, stores nothing then, and keeps answering', async () => {
    expect(operations.length).toBeGreaterThan(5);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.oneof(
          hostileId,
          fc.nat().map((index) => realIds[index % realIds.length] as string),
        ),
        body,
        async (which, id, request) => {
          const operation = operations[which % operations.length] as Operation;
          const path = operation.path.replace(/\{[^}]+\}/g, id);
          const before = await snapshot();
          const init: RequestInit = { method: operation.method };
          if (operation.method !== 'GET' && operation.method !== 'DELETE') {
            init.body = request.text;
            init.headers = { 'content-type': request.type };
          }
          const response = await harness.request(path, init);
          await response.arrayBuffer();
          expect(response.status, `${operation.method} ${path} ${request.text.slice(0, 80)}`).toBeLessThan(500);
          if (response.status >= 400) expect(await snapshot(), `${operation.method} ${path} changed records`).toBe(before);
          expect((await call(harness, 'GET', '/api/openapi.json')).status).toBe(200);
        },
      ),
      { seed, numRuns: 60 },
    );
  }, 60_000);
});
