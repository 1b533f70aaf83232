import { ChannelApiError, type Clock } from '@ngb/plugin-sdk';
import { fetchDingTalkJson } from './dingtalk-api';
import { createDingTalkTokenCache } from './dingtalk-token-cache';
import { mapDingTalkError, oapiTokenErrcodes } from './map-dingtalk-error';

/** What the old OpenAPI client needs. */
export interface DingTalkOapiSettings {
  oapiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  clock: Clock;
}

/** A file for `/media/upload`. */
export interface DingTalkMedia {
  name: string;
  data: Uint8Array;
  mimeType?: string;
}

const prefix = '[@ngb/channel-dingtalk]';

/** The answer of an old OpenAPI call: errcode 0, or the error it maps to. */
function checked(answer: Record<string, unknown>, call: string): Record<string, unknown> {
  const errcode = Number(answer.errcode ?? 0);
  if (errcode !== 0) throw mapDingTalkError({ call, status: 200, body: answer });
  return answer;
}

/**
 * DingTalk's old OpenAPI (`oapi.dingtalk.com`), for what the new one lacks: uploading a file a robot
 * message can carry (`/media/upload`). It takes its own token, from `GET /gettoken?appkey=&appsecret=`
 * (the one the dingtalk-stream SDK fetches too), not the `/v1.0/oauth2/accessToken` one: cached until
 * shortly before it expires, and fetched again once when a call says it is invalid or expired.
 */
export function createDingTalkOapi(settings: DingTalkOapiSettings) {
  const base = settings.oapiBaseUrl.replace(/\/+$/, '');
  const tokens = createDingTalkTokenCache(settings.clock, async () => {
    const url = new URL(`${base}/gettoken`);
    url.searchParams.set('appkey', settings.clientId);
    url.searchParams.set('appsecret', settings.clientSecret);
    const call = 'the old OpenAPI token endpoint (gettoken)';
    const answer = checked(await fetchDingTalkJson(settings.fetch, url.href, { method: 'GET' }, call), call);
    const token = answer.access_token;
    if (typeof token !== 'string' || token === '')
      throw new ChannelApiError('dingtalk', `${prefix} ${call} answered without a token`, { retryable: true });
    return { token, lifetimeMs: (typeof answer.expires_in === 'number' ? answer.expires_in : 7200) * 1000 };
  });

  async function uploadOnce(media: DingTalkMedia, type: string): Promise<Record<string, unknown>> {
    const url = new URL(`${base}/media/upload`);
    url.searchParams.set('access_token', await tokens.get());
    url.searchParams.set('type', type);
    const form = new FormData();
    form.set(
      'media',
      new Blob([media.data as Uint8Array<ArrayBuffer>], { type: media.mimeType ?? 'application/octet-stream' }),
      media.name,
    );
    return fetchDingTalkJson(settings.fetch, url.href, { method: 'POST', body: form }, 'the media upload');
  }

  return {
    /**
     * Uploads `media` (`type` `file`, `image`, `voice` or `video`); one new token and one retry when
     * DingTalk says the token is invalid or expired.
     * @returns the `media_id`
     * @throws ChannelApiError mapped from DingTalk's errcode or HTTP status
     */
    async upload(media: DingTalkMedia, type: string): Promise<string> {
      let answer = await uploadOnce(media, type);
      if (oapiTokenErrcodes.has(Number(answer.errcode ?? 0)) && tokens.invalidate()) {
        answer = await uploadOnce(media, type);
      }
      const mediaId = checked(answer, 'the media upload').media_id;
      if (typeof mediaId !== 'string' || mediaId === '')
        throw new ChannelApiError('dingtalk', `${prefix} the media upload answered without a media_id`, { retryable: true });
      return mediaId;
    },
  };
}

/** The old OpenAPI client. */
export type DingTalkOapi = ReturnType<typeof createDingTalkOapi>;
