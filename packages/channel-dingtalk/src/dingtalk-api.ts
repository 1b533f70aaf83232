import { ChannelApiError, type Clock, readWithinLimit } from '@ngb/plugin-sdk';
import { createDingTalkTokenCache } from './dingtalk-token-cache';
import { mapDingTalkError } from './map-dingtalk-error';

/** What the API client needs. */
export interface DingTalkApiSettings {
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  clock: Clock;
}

// DingTalk's JSON answers are small; a larger one is not read into memory.
const maxAnswerBytes = 1 << 20;

async function readAnswer(response: Response, call: string): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  const tooLarge = () =>
    new ChannelApiError('dingtalk', `[@ngb/channel-dingtalk] ${call} answered more than ${maxAnswerBytes} bytes`, {
      retryable: false,
    });
  for await (const chunk of readWithinLimit(response.body, maxAnswerBytes, tooLarge)) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Makes one call and reads its JSON answer (size-capped); any failure, an HTTP status other than 2xx
 * included, comes back as a ChannelApiError. An answer of HTTP 200 with an `errcode` is returned as is.
 */
export async function fetchDingTalkJson(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
  call: string,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    // A redirect would take the body (and a session reply) to a host nobody checked.
    response = await fetchImpl(url, { ...init, redirect: 'error' });
  } catch (error) {
    throw mapDingTalkError(error);
  }
  const text = await readAnswer(response, call);
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    parsed = { message: text.slice(0, 200) };
  }
  const answer = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (!response.ok)
    throw mapDingTalkError({ call, status: response.status, body: answer, retryAfter: response.headers.get('retry-after') });
  return answer;
}

/** Posts JSON and reads the JSON answer; any failure comes back as a ChannelApiError. */
export function postDingTalkJson(
  fetchImpl: typeof fetch,
  url: string,
  body: unknown,
  call: string,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  return fetchDingTalkJson(
    fetchImpl,
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
    },
    call,
  );
}

/**
 * DingTalk's OpenAPI with the app's access token: fetched with the AppKey and AppSecret, cached until
 * shortly before it expires, and fetched again once when a call is refused with 401.
 */
export function createDingTalkApi(settings: DingTalkApiSettings) {
  const tokens = createDingTalkTokenCache(settings.clock, async () => {
    const answer = await postDingTalkJson(
      settings.fetch,
      `${settings.apiBaseUrl}/v1.0/oauth2/accessToken`,
      { appKey: settings.clientId, appSecret: settings.clientSecret },
      'the access token endpoint',
    );
    const token = answer.accessToken;
    if (typeof token !== 'string' || token === '')
      throw new ChannelApiError('dingtalk', '[@ngb/channel-dingtalk] the access token endpoint answered without a token', {
        retryable: true,
      });
    return { token, lifetimeMs: (typeof answer.expireIn === 'number' ? answer.expireIn : 7200) * 1000 };
  });
  const token = () => tokens.get();

  /** Calls `path` with the access token; one new token and one retry after a 401. */
  async function call(path: string, body: unknown, what: string): Promise<Record<string, unknown>> {
    const send = async () =>
      postDingTalkJson(settings.fetch, `${settings.apiBaseUrl}${path}`, body, what, {
        'x-acs-dingtalk-access-token': await token(),
      });
    try {
      return await send();
    } catch (error) {
      if (!(ChannelApiError.isInstance(error) && error.status === 401 && tokens.invalidate())) throw error;
      return send();
    }
  }

  return { call, token };
}

/** The API client. */
export type DingTalkApi = ReturnType<typeof createDingTalkApi>;
