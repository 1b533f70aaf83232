import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';
import type { OpenApiDocument } from './openapi-document';

let harness: ServerHarness;
let document: OpenApiDocument;
beforeAll(async () => {
  harness = await createServerHarness();
  const answer = await call(harness, 'GET', '/api/openapi.json');
  expect(answer.status).toBe(200);
  document = answer.body;
});
afterAll(() => harness.close());

/** Every route the app answers under `/api`, as `get /api/chats/{id}`. */
function registeredApiRoutes(): string[] {
  const routes = harness.served.app.routes
    .filter((route) => route.path.startsWith('/api/') && route.method !== 'ALL')
    .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
  return [...new Set(routes)].sort();
}

function documentedRoutes(): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
    .sort();
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document describing exactly the routes the app answers', () => {
    expect(document.openapi).toBe('3.1.0');
    const registered = registeredApiRoutes();
    expect(registered.length).toBeGreaterThan(30);
    expect(registered).toContain('get /api/events');
    expect(documentedRoutes()).toEqual(registered);
    const ids = Object.values(document.paths).flatMap((operations) =>
      Object.values(operations).map((operation) => operation.operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('describes inputs from the schemas that check them: every documented enum value is accepted, others refused', async () => {
    let checked = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      const operation = operations.get;
      if (!operation || path.includes('{') || path === '/api/events') continue;
      for (const parameter of operation.parameters) {
        const values = (parameter.schema as { enum?: string[] }).enum;
        if (!values) continue;
        for (const value of values) {
          const answer = await call(harness, 'GET', `${path}?${parameter.name}=${value}`);
          expect(answer.status, `${path}?${parameter.name}=${value}`).not.toBe(400);
          checked += 1;
        }
        const refused = await call(harness, 'GET', `${path}?${parameter.name}=not-a-documented-value`);
        expect(refused.status, `${path}?${parameter.name}`).toBe(400);
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('documents bodies, required fields, parameters and error answers', () => {
    const createTask = document.paths['/api/tasks']?.post;
    const body = createTask?.requestBody?.content['application/json'].schema as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(body.required).toEqual(expect.arrayContaining(['agentId', 'chatId', 'prompt', 'scheduleType', 'scheduleValue']));
    expect(body.properties.scheduleType).toMatchObject({ enum: ['cron', 'interval', 'once'] });
    expect(Object.keys(createTask?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '413', '415']),
    );
    const wire = document.paths['/api/wirings']?.post?.requestBody?.content['application/json'].schema as {
      properties: Record<string, unknown>;
    };
    expect(wire.properties.engage).toMatchObject({ enum: ['always', 'pattern', 'mention', 'mention-sticky'] });
    const chat = document.paths['/api/chats/{id}']?.get;
    expect(chat?.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    const list = document.paths['/api/chats']?.get;
    expect(list?.parameters.map((parameter) => [parameter.name, parameter.required])).toEqual([
      ['channel', false],
      ['status', false],
      ['cursor', false],
      ['limit', false],
    ]);
  });
});

describe('GET /docs', () => {
  it('is a self-contained page listing every operation by resource', async () => {
    const response = await harness.request('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await response.text();
    expect(page).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
    expect(page).not.toMatch(/https?:\/\//);
    for (const tag of document.tags) expect(page).toContain(`id="tag-${tag.name}"`);
    for (const path of Object.keys(document.paths)) expect(page).toContain(`<code>${path}</code>`);
    expect(page).toContain('scheduleValue');
  });
});
