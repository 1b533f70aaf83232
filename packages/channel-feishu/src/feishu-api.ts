import { Client } from '@larksuiteoapi/node-sdk';
import type { Clock } from '@ngb/plugin-sdk';
import { FeishuResponseError, feishuErrorOf, feishuTokenCodes, mapFeishuError, scopesOf } from './map-feishu-error';

/** Options of {@link createFeishuApi}. */
export interface FeishuApiOptions {
  appId: string;
  appSecret: string;
  /** The API base URL (`https://open.feishu.cn`, or a fake's). */
  baseUrl: string;
  clock: Clock;
  /** Called with every mapped failure before it is thrown (to report refused credentials). */
  onError?(error: ReturnType<typeof mapFeishuError>): void;
}

/** One call of Feishu's Open API. */
export interface FeishuRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path below the base URL, `/open-apis/...`. */
  path: string;
  params?: Record<string, string>;
  data?: unknown;
}

/**
 * The SDK's token cache, kept per channel (the SDK's default is one cache for the whole process) and on
 * the injected clock; the SDK stores the token until 3 minutes before its `expire`.
 */
function createTokenCache(clock: Clock) {
  const values = new Map<string, { value: unknown; expiredTime?: number }>();
  const keyOf = (key: string | { toString(): string }, options?: { namespace?: string }) =>
    `${options?.namespace ?? ''}/${String(key)}`;
  return {
    async get(key: string | { toString(): string }, options?: { namespace?: string }) {
      const entry = values.get(keyOf(key, options));
      if (!entry) return undefined;
      if (entry.expiredTime !== undefined && entry.expiredTime <= clock.now()) return undefined;
      return entry.value;
    },
    async set(key: string | { toString(): string }, value: unknown, expiredTime?: number, options?: { namespace?: string }) {
      // The SDK computes the expiry from Date.now(); re-base it on the injected clock.
      const ttl = expiredTime === undefined ? undefined : expiredTime - Date.now();
      values.set(keyOf(key, options), { value, ...(ttl !== undefined ? { expiredTime: clock.now() + ttl } : {}) });
      return true;
    },
    clear() {
      values.clear();
    },
  };
}

/** The SDK's logger: silent, because its error logs carry request bodies (the app secret among them). */
const silentSdkLogger = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

/** Feishu's JSON answer: `code` 0 on success. */
interface FeishuBody {
  code?: unknown;
  msg?: unknown;
  data?: unknown;
  error?: { permission_violations?: unknown };
}

/**
 * Feishu's Open API through the SDK's `Client` (which fetches the tenant access token, caches it and
 * adds it to each call). A call answered with a token code (99991661/99991663/99991668) drops the cached
 * token and is made once more with a new one; a second refusal is a 401. Every failure is mapped by
 * `mapFeishuError`.
 */
export function createFeishuApi(options: FeishuApiOptions) {
  const cache = createTokenCache(options.clock);
  const client = new Client({
    appId: options.appId,
    appSecret: options.appSecret,
    domain: options.baseUrl,
    cache,
    logger: silentSdkLogger,
  });

  const once = async (request: FeishuRequest): Promise<unknown> => {
    const body = (await client.request({
      method: request.method,
      url: `${options.baseUrl}${request.path}`,
      ...(request.params ? { params: request.params } : {}),
      ...(request.data !== undefined ? { data: request.data } : {}),
    })) as FeishuBody | undefined;
    const code = typeof body?.code === 'number' ? body.code : 0;
    if (code !== 0) {
      throw new FeishuResponseError(
        code,
        typeof body?.msg === 'string' ? body.msg : '',
        200,
        undefined,
        scopesOf(body?.error?.permission_violations),
      );
    }
    return body;
  };

  const fail = (error: unknown): never => {
    const mapped = mapFeishuError(error);
    options.onError?.(mapped);
    throw mapped;
  };

  /** Runs `work`; a token code drops the cached token and runs it once more; failures are mapped. */
  const withToken = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const code = feishuErrorOf(await withJsonBody(error))?.code;
      if (code === undefined || !feishuTokenCodes.has(code)) return fail(error);
    }
    cache.clear();
    try {
      return await work();
    } catch (error) {
      return fail(await withJsonBody(error));
    }
  };

  return {
    client,
    /**
     * Makes one call; resolves with Feishu's whole answer (`{ code: 0, data, ... }`).
     * @throws ChannelApiError from mapFeishuError
     */
    call: (request: FeishuRequest): Promise<FeishuBody> => withToken(async () => (await once(request)) as FeishuBody),
    /**
     * Runs one of the SDK's typed methods (uploads, downloads) with the same token refresh and mapping.
     * @throws ChannelApiError from mapFeishuError
     */
    sdk: <T>(work: (sdkClient: Client) => Promise<T>): Promise<T> => withToken(() => work(client)),
  };
}

/** The API of one Feishu app. */
export type FeishuApi = ReturnType<typeof createFeishuApi>;

/** A stream download's error carries its body as a stream: read it (capped) so its JSON `code` can be mapped. */
async function withJsonBody(error: unknown): Promise<unknown> {
  const response = (error as { response?: { data?: unknown } } | undefined)?.response;
  const data = response?.data as AsyncIterable<Uint8Array> | undefined;
  if (!response || typeof data !== 'object' || data === null || !(Symbol.asyncIterator in data)) return error;
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of data) {
      total += chunk.length;
      if (total > 64 * 1024) break;
      chunks.push(chunk);
    }
    response.data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    response.data = undefined;
  }
  return error;
}
