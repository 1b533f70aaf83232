import { type IncomingHttpHeaders, request } from 'node:http';
import { errorMessage } from '@ngb/plugin-sdk';
import type { Env } from '../config/load-config';

/** Where the Docker engine listens, from `DOCKER_HOST` (unix or tcp), else the default socket. */
interface DockerEndpoint {
  socketPath?: string;
  host?: string;
  port?: number;
  /** As written for humans: `/var/run/docker.sock` or `tcp://host:port`. */
  display: string;
}

/** Reads `DOCKER_HOST`; TLS endpoints are not probed (the runtime handles them). */
function dockerEndpoint(env: Env): DockerEndpoint {
  const value = env.DOCKER_HOST;
  if (value?.startsWith('tcp://')) {
    const url = new URL(value.replace(/^tcp:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 2375), display: value };
  }
  const socketPath = value?.startsWith('unix://') ? value.slice('unix://'.length) : '/var/run/docker.sock';
  return { socketPath, display: socketPath };
}

/**
 * Plain HTTP names no TLS peer. Left unset, Node derives the name from the host through `net.isIP`,
 * whose IPv6 pattern is compiled at its first use: 10-20 ms on the way to `ngb serve`'s ready line.
 * (Every request takes `servername`; only the `https` types declare it.)
 */
const noServerName = { servername: '' };

/** One call to the Docker Engine API. Resolves with the status and JSON body; rejects when nothing answers. */
function dockerRequest(
  endpoint: DockerEndpoint,
  path: string,
  options: { method?: string; timeoutMs?: number } = {},
): Promise<{ status: number; body: unknown; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const call = request(
      {
        ...noServerName,
        socketPath: endpoint.socketPath,
        host: endpoint.host,
        port: endpoint.port,
        path,
        method: options.method ?? 'GET',
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text === '' ? undefined : JSON.parse(text);
          } catch {
            // Plain-text answers (`_ping` says "OK") stay text.
          }
          resolve({ status: response.statusCode ?? 0, body, headers: response.headers });
        });
        response.on('error', reject);
      },
    );
    call.setTimeout(options.timeoutMs ?? 1500, () => call.destroy(new Error(`no answer within ${options.timeoutMs ?? 1500} ms`)));
    call.on('error', reject);
    call.end();
  });
}

/** Whether the engine answers, and its version. */
export type DockerProbe =
  | { ok: true; version: string; endpoint: DockerEndpoint }
  | { ok: false; error: string; endpoint: DockerEndpoint };

/**
 * The engine's version from the `Server` header of a ping (`Docker/27.3.1 (linux)`, `Libpod/5.2.0 (linux)`),
 * else its API version.
 */
function engineVersion(headers: IncomingHttpHeaders): string {
  const server = /^[^/\s]+\/(\S+)/.exec(String(headers.server ?? ''))?.[1];
  if (server !== undefined) return server;
  const api = headers['api-version'];
  return api === undefined ? 'unknown' : `API ${String(api)}`;
}

/**
 * Pings the engine; never throws. `/_ping` answers at once, where `/version` asks the engine's
 * components for theirs first (tens of milliseconds, on the path of every start).
 */
export async function probeDockerEngine(env: Env, timeoutMs = 1500): Promise<DockerProbe> {
  const endpoint = dockerEndpoint(env);
  try {
    const { status, headers } = await dockerRequest(endpoint, '/_ping', { timeoutMs });
    if (status !== 200) return { ok: false, endpoint, error: `the engine answered HTTP ${status}` };
    return { ok: true, endpoint, version: engineVersion(headers) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no socket'
        : code === 'ECONNREFUSED'
          ? 'connection refused'
          : code === 'EACCES'
            ? 'permission denied'
            : errorMessage(error);
    return { ok: false, endpoint, error: reason };
  }
}

/** The one line that says how to get an engine running. */
export function dockerFix(probe: Extract<DockerProbe, { ok: false }>): string {
  if (probe.error === 'permission denied')
    return `add your user to the "docker" group (sudo usermod -aG docker $USER) and log in again`;
  return 'start the engine: `sudo systemctl start docker` (or `sudo dockerd &`), or install Docker (Debian: apt-get install docker.io)';
}

/** Whether an image exists locally. */
export async function imageExists(env: Env, image: string): Promise<boolean> {
  const { status } = await dockerRequest(dockerEndpoint(env), `/images/${encodeURIComponent(image)}/json`);
  return status === 200;
}

/** Ids of the containers carrying a label with a value. */
export async function containersWithLabel(env: Env, label: string, value: string): Promise<string[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${label}=${value}`] }));
  const { status, body } = await dockerRequest(dockerEndpoint(env), `/containers/json?all=true&filters=${filters}`);
  if (status !== 200 || !Array.isArray(body)) return [];
  return body.map((container) => String((container as { Id?: string }).Id ?? '')).filter((id) => id !== '');
}

/** Removes a container, stopping it first. */
export async function removeContainer(env: Env, id: string): Promise<void> {
  const { status, body } = await dockerRequest(dockerEndpoint(env), `/containers/${encodeURIComponent(id)}?force=true`, {
    method: 'DELETE',
    timeoutMs: 15_000,
  });
  if (status !== 204 && status !== 404)
    throw new Error(`docker could not remove container ${id.slice(0, 12)}: ${JSON.stringify(body)}`);
}
