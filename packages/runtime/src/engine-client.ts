import { request } from 'node:http';
import * as v from 'valibot';
import { type AttachedStdio, attachContainerStdio } from './engine-attach';
import { noServerName, readEngineAnswer } from './engine-response';
import {
  type ContainerCreateOptions,
  type ContainerInspection,
  type ContainerSummary,
  containerCreatedSchema,
  containerInspectionSchema,
  containerSummarySchema,
} from './engine-types';

/**
 * The Docker Engine API calls the runtime makes. Errors of the engine carry `statusCode` and the
 * engine's `json.message` (see `EngineApiError`); a missing engine fails with the connection's error
 * (`code` `ENOENT`, `ECONNREFUSED`, `EACCES`, ...).
 */
export interface EngineClient {
  /** Where the engine is, for messages (such as `/var/run/docker.sock`). */
  readonly address: string;
  ping(): Promise<void>;
  /** @throws an error with `statusCode` 404 when the image is missing */
  inspectImage(name: string): Promise<void>;
  /**
   * Lists containers, running or not.
   * @param filters the engine's filters, such as `{ label: ['ngb.sandbox=true'] }`
   */
  listContainers(filters?: Record<string, string[]>): Promise<ContainerSummary[]>;
  /** @returns the new container's id */
  createContainer(options: ContainerCreateOptions): Promise<string>;
  startContainer(id: string): Promise<void>;
  /**
   * Attaches to the container's stdin, stdout and stderr over one connection (containers without a TTY).
   * Attach before starting it to miss nothing of its output.
   */
  attachContainer(id: string): Promise<AttachedStdio>;
  /** @throws an error with `statusCode` 404 when the container is gone */
  inspectContainer(id: string): Promise<ContainerInspection>;
  /**
   * Removes the container, killing it if it runs.
   * @throws an error with `statusCode` 404 (gone) or 409 (being removed)
   */
  removeContainer(id: string): Promise<void>;
}

/** Options of {@link createEngineClient}. */
export interface EngineClientOptions {
  /** The engine's unix socket. */
  socketPath: string;
  /** How long a call waits for the engine's answer. @default 30000 */
  timeoutMs?: number;
}

/**
 * The Engine API version every path is pinned to: 1.41 is Docker 20.10's (Debian 12's `docker.io`), and
 * newer engines serve it unchanged.
 */
const engineApiVersion = '1.41';

/** The biggest container list read: thousands of containers stay far below it. */
const maxListBytes = 64 * 1024 * 1024;
/** The biggest of the other answers (an image's or a container's inspection is a few KiB). */
const maxAnswerBytes = 4 * 1024 * 1024;

/** The Docker Engine API over its unix socket, with nothing but `node:http`. */
export function createEngineClient(options: EngineClientOptions): EngineClient {
  const { socketPath } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const prefix = `/v${engineApiVersion}`;

  const call = (method: string, path: string, body?: unknown, maxBytes = maxAnswerBytes): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const what = `${method} ${path.split('?')[0]}`;
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const sent = request(
        {
          ...noServerName,
          socketPath,
          method,
          path: `${prefix}${path}`,
          headers: {
            host: 'docker',
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (response) => readEngineAnswer(response, what, maxBytes).then(resolve, reject),
      );
      sent.on('error', reject);
      // An engine that takes the connection and never answers must not hang the caller.
      sent.setTimeout(timeoutMs, () =>
        sent.destroy(new Error(`[@ngb/runtime] the Docker engine did not answer ${what} within ${timeoutMs} ms`)),
      );
      sent.end(payload);
    });

  const parse = <Schema extends v.GenericSchema>(schema: Schema, value: unknown, what: string): v.InferOutput<Schema> => {
    const result = v.safeParse(schema, value);
    if (!result.success) {
      throw new Error(`[@ngb/runtime] the Docker engine's answer to ${what} is not what Engine API ${engineApiVersion} says`);
    }
    return result.output;
  };
  const containerPath = (id: string) => `/containers/${encodeURIComponent(id)}`;

  return {
    address: socketPath,
    async ping() {
      await call('GET', '/_ping');
    },
    async inspectImage(name) {
      await call('GET', `/images/${encodeURIComponent(name)}/json`);
    },
    async listContainers(filters) {
      const query = new URLSearchParams({ all: 'true' });
      if (filters) query.set('filters', JSON.stringify(filters));
      const answer = await call('GET', `/containers/json?${query}`, undefined, maxListBytes);
      return parse(v.array(containerSummarySchema), answer, 'listing containers');
    },
    async createContainer({ name, ...body }) {
      const answer = await call('POST', `/containers/create?${new URLSearchParams({ name })}`, body);
      return parse(containerCreatedSchema, answer, 'creating a container').Id;
    },
    async startContainer(id) {
      await call('POST', `${containerPath(id)}/start`);
    },
    attachContainer: (id) =>
      attachContainerStdio({
        socketPath,
        path: `${prefix}${containerPath(id)}/attach?stream=1&stdin=1&stdout=1&stderr=1`,
        timeoutMs,
      }),
    async inspectContainer(id) {
      return parse(containerInspectionSchema, await call('GET', `${containerPath(id)}/json`), 'inspecting a container');
    },
    async removeContainer(id) {
      await call('DELETE', `${containerPath(id)}?force=true`);
    },
  };
}
