import { request } from 'node:http';
import type Docker from 'dockerode';

/** The few Docker Engine calls start-up makes, without loading dockerode. */
export interface EngineApi {
  ping(): Promise<void>;
  /** @throws an error with `statusCode` 404 when the image is missing */
  inspectImage(name: string): Promise<void>;
  listContainers(filters?: Record<string, string[]>): Promise<Docker.ContainerInfo[]>;
  /** @throws an error with `statusCode` 404 (gone) or 409 (being removed) */
  removeContainer(id: string): Promise<void>;
}

/** The biggest answer read from the engine: a container list of thousands stays far below it. */
const maxAnswerBytes = 64 * 1024 * 1024;

/** An engine error shaped like dockerode's, so the one error mapper reads both. */
class EngineApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly json: { message?: string } | undefined,
  ) {
    super(`(HTTP code ${statusCode}) ${json?.message ?? 'unexpected answer from the Docker engine'}`);
    this.name = 'EngineApiError';
  }
}

function call(socketPath: string, method: string, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const sent = request({ socketPath, method, path, headers: { host: 'docker' } }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxAnswerBytes) {
          response.destroy(new Error(`the Docker engine answered ${method} ${path} with more than ${maxAnswerBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text && (response.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text;
        } catch {
          json = text;
        }
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(json);
        else reject(new EngineApiError(status, typeof json === 'object' && json !== null ? json : { message: String(json) }));
      });
    });
    sent.on('error', reject);
    // An engine that takes the connection and never answers must not hang start-up.
    sent.setTimeout(30_000, () => sent.destroy(new Error(`the Docker engine did not answer ${method} ${path} within 30 s`)));
    sent.end();
  });
}

/** The engine API over its unix socket, with nothing but `node:http`. */
export function createEngineApi(socketPath: string): EngineApi {
  return {
    async ping() {
      await call(socketPath, 'GET', '/_ping');
    },
    async inspectImage(name) {
      await call(socketPath, 'GET', `/images/${encodeURIComponent(name)}/json`);
    },
    async listContainers(filters) {
      const query = new URLSearchParams({ all: 'true' });
      if (filters) query.set('filters', JSON.stringify(filters));
      return (await call(socketPath, 'GET', `/containers/json?${query}`)) as Docker.ContainerInfo[];
    },
    async removeContainer(id) {
      await call(socketPath, 'DELETE', `/containers/${encodeURIComponent(id)}?force=true`);
    },
  };
}

/** The same calls through a dockerode client someone handed over. */
export function engineApiOf(docker: Docker): EngineApi {
  return {
    async ping() {
      await docker.ping();
    },
    async inspectImage(name) {
      await docker.getImage(name).inspect();
    },
    listContainers: (filters) => docker.listContainers({ all: true, filters }),
    async removeContainer(id) {
      await docker.getContainer(id).remove({ force: true });
    },
  };
}
