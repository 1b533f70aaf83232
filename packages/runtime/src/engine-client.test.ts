import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineClient } from './engine-client';

// A stand-in engine on a unix socket answering as the Docker Engine API 1.41 does.
const folder = mkdtempSync(join(tmpdir(), 'ngb-engine-'));
const socketPath = join(folder, 'docker.sock');
const seen: string[] = [];
const bodies: unknown[] = [];
let server: Server;

function frame(streamType: number, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(8);
  header[0] = streamType;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

const rawStreamHead = (status: string) =>
  `HTTP/1.1 ${status}\r\nContent-Type: application/vnd.docker.raw-stream\r\n${
    status.startsWith('101') ? 'Connection: Upgrade\r\nUpgrade: tcp\r\n' : ''
  }\r\n`;

/** Answers an attach the way the engine does once hijacked: greets, then echoes each stdin chunk as stdout. */
function serveAttach(url: string, socket: Socket): void {
  seen.push(`POST ${url}`);
  const id = /\/containers\/([^/]+)\/attach/.exec(url)?.[1];
  if (id === 'missing') {
    const body = JSON.stringify({ message: 'No such container: missing' });
    socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    return;
  }
  const status = id === 'plain' ? '200 OK' : '101 UPGRADED';
  if (id === 'garbled') {
    socket.end(Buffer.concat([Buffer.from(rawStreamHead(status)), frame(1, 'ok\n'), Buffer.from('not a frame header')]));
    return;
  }
  // The head and the first frames in one write: the client must not lose what follows the head.
  socket.write(Buffer.concat([Buffer.from(rawStreamHead(status)), frame(1, 'hello\n'), frame(2, 'starting\n')]));
  socket.on('data', (chunk: Buffer) => socket.write(frame(1, `echo:${chunk.toString()}`)));
  socket.on('end', () => socket.end(frame(2, 'stdin closed\n')));
}

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const url = request.url ?? '';
    if (url === '/v1.41/_ping') return void response.end('OK');
    if (url === '/v1.41/images/ngb-agent%3Alatest/json') return json(200, { Id: 'sha256:1' });
    if (url.startsWith('/v1.41/images/')) return json(404, { message: 'No such image: ngb-agent:nope' });
    if (url.startsWith('/v1.41/containers/json'))
      return json(200, [{ Id: 'c1', Labels: { 'ngb.sandbox': 'true' }, State: 'exited', Mounts: [], Names: ['/extra'] }]);
    if (url === '/v1.41/containers/huge/json') {
      // Sent in pieces without a length: only the bytes that arrive can be counted.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(`{"Id":"huge","Padding":"`);
      for (let piece = 0; piece < 80; piece += 1) response.write('x'.repeat(64 * 1024));
      return void response.end('"}');
    }
    if (url === '/v1.41/containers/list-bomb/json') {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 ** 40) });
      response.write('{"Id":"list-bomb"');
      return;
    }
    if (url === '/v1.41/containers/odd/json') return json(200, { Id: 'odd', State: 'running' });
    if (url === '/v1.41/containers/abc123abc123/json')
      return json(200, { Id: 'abc123abc123', State: { Running: false, OOMKilled: true, ExitCode: 137, Error: '' } });
    if (request.method === 'POST' && url.startsWith('/v1.41/containers/create')) {
      let text = '';
      request.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      request.on('end', () => {
        bodies.push(JSON.parse(text));
        json(201, { Id: 'abc123abc123', Warnings: [] });
      });
      return;
    }
    if (request.method === 'POST' && url === '/v1.41/containers/abc123abc123/start') return void response.writeHead(204).end();
    if (request.method === 'DELETE' && url === '/v1.41/containers/busy?force=true') {
      return json(409, { message: 'removal of container busy is already in progress' });
    }
    if (request.method === 'DELETE') return void response.writeHead(204).end();
    if (url === '/v1.41/containers/teapot/start') {
      response.writeHead(500, { 'content-type': 'text/plain' });
      return void response.end('engine trouble\n');
    }
    json(500, { message: 'unexpected' });
  });
  server.on('upgrade', (request, socket: Socket) => serveAttach(request.url ?? '', socket));
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(folder, { recursive: true, force: true });
});

function collect(stream: Readable): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    stream.on('end', () => resolve(text));
  });
}

describe('createEngineClient', () => {
  const engine = createEngineClient({ socketPath });

  it('pings, inspects an image and lists containers with label filters, on the pinned API version', async () => {
    await engine.ping();
    await engine.inspectImage('ngb-agent:latest');
    const containers = await engine.listContainers({ label: ['ngb.sandbox=true'] });
    expect(containers).toEqual([{ Id: 'c1', Labels: { 'ngb.sandbox': 'true' }, State: 'exited', Mounts: [] }]);
    expect(seen).toContain(`GET /v1.41/containers/json?all=true&filters=${encodeURIComponent('{"label":["ngb.sandbox=true"]}')}`);
    expect(engine.address).toBe(socketPath);
  });

  it('creates a container with its name in the query and the rest as the body, starts and inspects it', async () => {
    const id = await engine.createContainer({
      name: 'ngb-default-s1-abcd',
      Image: 'ngb-agent:latest',
      Cmd: ['--root', '/workspace'],
      User: '1000:1000',
      WorkingDir: '/workspace/agent',
      Env: ['HOME=/tmp'],
      Labels: { 'ngb.sandbox': 'true' },
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      OpenStdin: true,
      StdinOnce: true,
      Tty: false,
      HostConfig: {
        NetworkMode: 'none',
        ReadonlyRootfs: true,
        Tmpfs: { '/tmp': 'rw' },
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Privileged: false,
        PidsLimit: 64,
        Memory: 1,
        MemorySwap: 1,
        NanoCpus: 1,
        Mounts: [],
        IpcMode: 'private',
        LogConfig: { Type: 'none', Config: {} },
        AutoRemove: false,
      },
    });
    expect(id).toBe('abc123abc123');
    expect(seen).toContain('POST /v1.41/containers/create?name=ngb-default-s1-abcd');
    expect(bodies.at(-1)).toMatchObject({ Image: 'ngb-agent:latest', HostConfig: { NetworkMode: 'none' } });
    expect(bodies.at(-1)).not.toHaveProperty('name');
    await engine.startContainer(id);
    expect(await engine.inspectContainer(id)).toEqual({
      Id: 'abc123abc123',
      State: { Running: false, OOMKilled: true, ExitCode: 137, Error: '' },
    });
  });

  it('fails with statusCode and the engine message, the shape the error mapper reads', async () => {
    const missing = await engine.inspectImage('ngb-agent:nope').catch((error: unknown) => error);
    expect(missing).toMatchObject({ statusCode: 404, json: { message: 'No such image: ngb-agent:nope' } });
    const busy = await engine.removeContainer('busy').catch((error: unknown) => error);
    expect(busy).toMatchObject({ statusCode: 409, json: { message: 'removal of container busy is already in progress' } });
    const plain = await engine.startContainer('teapot').catch((error: unknown) => error);
    expect(plain).toMatchObject({ statusCode: 500, json: { message: 'engine trouble' } });
    await engine.removeContainer('gone');
  });

  it('refuses an answer past the cap, counting the bytes that arrive', async () => {
    await expect(engine.inspectContainer('huge')).rejects.toThrow(
      /the Docker engine answered GET \/containers\/huge\/json with more than 4194304 bytes/,
    );
  });

  it('gives up on an engine that announces a huge answer and stalls, after the time limit', async () => {
    const impatient = createEngineClient({ socketPath, timeoutMs: 200 });
    await expect(impatient.inspectContainer('list-bomb')).rejects.toThrow(
      /did not answer GET \/containers\/list-bomb\/json within 200 ms/,
    );
  });

  it('refuses an answer that is not the shape the API version says', async () => {
    await expect(engine.inspectContainer('odd')).rejects.toThrow(
      /answer to inspecting a container is not what Engine API 1.41 says/,
    );
  });

  it('passes on the connection error of an engine that is not there', async () => {
    const error = await createEngineClient({ socketPath: join(folder, 'none.sock') })
      .ping()
      .catch((thrown: unknown) => thrown);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it.each([
    ['101 UPGRADED', 'upgraded'],
    ['200 OK (the upgrade headers ignored)', 'plain'],
  ])('attaches over a hijacked connection answered %s: output demultiplexed, stdin raw', async (_case, id) => {
    const stdio = await engine.attachContainer(id);
    expect(seen).toContain(`POST /v1.41/containers/${id}/attach?stream=1&stdin=1&stdout=1&stderr=1`);
    const stdout = collect(stdio.stdout);
    const stderr = collect(stdio.stderr);
    await new Promise((resolve) => stdio.stdin.write('ping\n', resolve));
    stdio.stdin.end();
    expect(await stdout).toBe('hello\necho:ping\n');
    expect(await stderr).toBe('starting\nstdin closed\n');
    expect(stdio.failure()).toBeUndefined();
  });

  it("fails an attach to a missing container with the engine's answer", async () => {
    await expect(engine.attachContainer('missing')).rejects.toMatchObject({
      statusCode: 404,
      json: { message: 'No such container: missing' },
    });
  });

  it('cuts the stream at a garbled frame and says why', async () => {
    const stdio = await engine.attachContainer('garbled');
    expect(await collect(stdio.stdout)).toBe('ok\n');
    expect(stdio.failure()?.reason).toBe('protocol');
    expect(stdio.failure()?.message).toMatch(/attach stream is garbled/);
  });
});
