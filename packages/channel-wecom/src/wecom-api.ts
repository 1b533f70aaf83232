import type { Clock } from '@ngb/plugin-sdk';
import { tokenErrcodes, WeComErrcode, WeComHttpStatus } from './map-wecom-error';

/** Settings of {@link createWeComApi}. */
export interface WeComApiSettings {
  baseUrl: string;
  corpId: string;
  secret: string;
  clock: Clock;
  timeoutMs: number;
}

/** What one call sends: a JSON body, a multipart form, or nothing (a GET). */
interface WeComCallBody {
  json?: unknown;
  form?: FormData;
}

/** The application API with its access token: fetched once, cached until shortly before it expires, shared. */
export interface WeComApi {
  /** Fetches a token now (at start, to check the credentials). */
  refreshToken(): Promise<void>;
  /**
   * Calls `path` with the token; on an invalid or expired token (40001, 40014, 42001) fetches a new
   * one and calls once more.
   * @throws WeComErrcode, WeComHttpStatus, or the network's error
   */
  call(path: string, query: Record<string, string>, body?: WeComCallBody): Promise<Record<string, unknown>>;
  /** A GET with the token whose answer is a file (the token is refreshed like `call`); a JSON answer is an errcode. */
  download(path: string, query: Record<string, string>, signal?: AbortSignal): Promise<Response>;
  /** Forgets the token (on stop). */
  clear(): void;
}

/** How long before its announced expiry a token is replaced. */
const refreshMarginMs = 5 * 60_000;

/** Reads a WeCom JSON answer: HTTP status, then `errcode`. */
export async function readWeComAnswer(response: Response): Promise<Record<string, unknown>> {
  if (response.status !== 200) {
    const retryAfter = Number(response.headers.get('retry-after'));
    await response.body?.cancel().catch(() => undefined);
    throw new WeComHttpStatus(response.status, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new WeComHttpStatus(502);
  }
  if (typeof body !== 'object' || body === null) throw new WeComHttpStatus(502);
  const answer = body as Record<string, unknown>;
  const errcode = typeof answer.errcode === 'number' ? answer.errcode : 0;
  if (errcode !== 0) throw new WeComErrcode(errcode, typeof answer.errmsg === 'string' ? answer.errmsg : '');
  return answer;
}

/** Creates the token-holding API client of app mode. */
export function createWeComApi(settings: WeComApiSettings): WeComApi {
  let token: { value: string; expiresAt: number } | undefined;
  let refreshing: Promise<string> | undefined;
  const url = (path: string, query: Record<string, string>) => {
    const target = new URL(path, settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`);
    for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
    return target;
  };

  const fetchToken = async (): Promise<string> => {
    const response = await fetch(url('cgi-bin/gettoken', { corpid: settings.corpId, corpsecret: settings.secret }), {
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    const answer = await readWeComAnswer(response);
    const value = answer.access_token;
    if (typeof value !== 'string' || value === '') throw new WeComHttpStatus(502);
    const seconds = typeof answer.expires_in === 'number' ? answer.expires_in : 7200;
    token = { value, expiresAt: settings.clock.now() + Math.max(0, seconds * 1000 - refreshMarginMs) };
    return value;
  };

  /** One refresh at a time: concurrent callers wait for the same one. */
  const refresh = (): Promise<string> => {
    refreshing ??= fetchToken().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };

  const current = (): Promise<string> =>
    token !== undefined && settings.clock.now() < token.expiresAt ? Promise.resolve(token.value) : refresh();

  const withToken = async <T>(run: (accessToken: string) => Promise<T>): Promise<T> => {
    const used = await current();
    try {
      return await run(used);
    } catch (error) {
      if (!(error instanceof WeComErrcode) || !tokenErrcodes.has(error.errcode)) throw error;
      if (token?.value === used) token = undefined;
      return run(await current());
    }
  };

  const request = (
    path: string,
    query: Record<string, string>,
    accessToken: string,
    body?: WeComCallBody,
    signal?: AbortSignal,
  ) =>
    fetch(url(path, { ...query, access_token: accessToken }), {
      method: body === undefined ? 'GET' : 'POST',
      signal: signal
        ? AbortSignal.any([signal, AbortSignal.timeout(settings.timeoutMs)])
        : AbortSignal.timeout(settings.timeoutMs),
      ...(body?.json !== undefined
        ? { body: JSON.stringify(body.json), headers: { 'content-type': 'application/json; charset=utf-8' } }
        : body?.form !== undefined
          ? { body: body.form }
          : {}),
    });

  return {
    async refreshToken() {
      token = undefined;
      await refresh();
    },
    call(path, query, body) {
      return withToken(async (accessToken) => readWeComAnswer(await request(path, query, accessToken, body)));
    },
    download(path, query, signal) {
      return withToken(async (accessToken) => {
        const response = await request(path, query, accessToken, undefined, signal);
        const type = response.headers.get('content-type') ?? '';
        // WeCom answers a refused download with a JSON errcode instead of the file.
        if (response.status !== 200 || type.includes('application/json')) {
          await readWeComAnswer(response);
          throw new WeComHttpStatus(502);
        }
        return response;
      });
    },
    clear() {
      token = undefined;
    },
  };
}
