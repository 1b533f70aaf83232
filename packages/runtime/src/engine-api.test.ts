import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineApi } from './engine-api';

// A stand-in engine on a unix socket answering as the Docker Engine API does.
const folder = mkdtempSync(join(tmpdir(), 'ngb-engine-'));
const socketPath = join(folder, 'docker.sock');
const seen: string[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.url === '/_ping') return void response.end('OK');
    if (request.url === '/images/ngb-agent%3Alatest/json') return json(200, { Id: 'sha256:1' });
    if (request.url?.startsWith('/images/')) return json(404, { message: 'No such image: ngb-agent:nope' });
    if (request.url?.startsWith('/containers/json'))
      return json(200, [{ Id: 'c1', Labels: { 'ngb.sandbox': 'true' }, State: 'exited' }]);
    if (request.method === 'DELETE' && request.url === '/containers/busy?force=true') {
      return json(409, { message: 'removal of container busy is already in progress' });
    }
    if (request.method === 'DELETE') return void response.writeHead(204).end();
    json(500, { message: 'unexpected' });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(folder, { recursive: true, force: true });
});

describe('createEngineApi', () => {
  const engine = createEngineApi(socketPath);

  it('pings, inspects an image and lists containers with label filters', async () => {
    await engine.ping();
    await engine.inspectImage('ngb-agent:latest');
    const containers = await engine.listContainers({ label: ['ngb.sandbox=true'] });
    expect(containers.map((container) => container.Id)).toEqual(['c1']);
    expect(seen).toContain(`GET /containers/json?all=true&filters=${encodeURIComponent('{"label":["ngb.sandbox=true"]}')}`);
  });

  it('fails the way dockerode does: statusCode and the engine message', async () => {
    const missing = await engine.inspectImage('ngb-agent:nope').catch((error: unknown) => error);
    expect(missing).toMatchObject({ statusCode: 404, json: { message: 'No such image: ngb-agent:nope' } });
    const busy = await engine.removeContainer('busy').catch((error: unknown) => error);
    expect(busy).toMatchObject({ statusCode: 409 });
    await engine.removeContainer('gone');
  });

  it('passes on the connection error of an engine that is not there', async () => {
    const error = await createEngineApi(join(folder, 'none.sock'))
      .ping()
      .catch((thrown: unknown) => thrown);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
