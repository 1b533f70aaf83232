import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { probeDockerEngine } from './docker-engine';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-docker-engine-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  servers = [];
});

/** An engine on a unix socket: `/_ping` answers with `headers`; every other path never answers. */
async function fakeEngine(name: string, headers: Record<string, string>) {
  const socketPath = join(scratch, `${name}.sock`);
  const paths: string[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    if (request.url === '/_ping') response.writeHead(200, { 'content-type': 'text/plain', ...headers }).end('OK');
    else held.push(response);
  });
  server.on('close', () => {
    for (const response of held) response.destroy();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return { env: { DOCKER_HOST: `unix://${socketPath}` }, paths };
}

describe('probeDockerEngine', () => {
  it('pings the engine and reads its version from the Server header, without waiting for /version', async () => {
    const engine = await fakeEngine('docker', { server: 'Docker/27.3.1 (linux)', 'api-version': '1.47' });
    const probe = await probeDockerEngine(engine.env, 500);
    expect(probe).toMatchObject({ ok: true, version: '27.3.1' });
    expect(engine.paths).toEqual(['/_ping']);
  });

  it('names the API version when the engine gives no Server header', async () => {
    const engine = await fakeEngine('bare', { 'api-version': '1.41' });
    expect(await probeDockerEngine(engine.env, 500)).toMatchObject({ ok: true, version: 'API 1.41' });
  });

  it('says there is no socket when nothing listens', async () => {
    const probe = await probeDockerEngine({ DOCKER_HOST: `unix://${join(scratch, 'none.sock')}` }, 500);
    expect(probe).toMatchObject({ ok: false, error: 'no socket' });
  });
});
