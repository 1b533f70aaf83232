// The old OpenAPI of the fake DingTalk (`oapi.dingtalk.com`): `GET /gettoken?appkey=&appsecret=`, whose
// `access_token` is the one `/media/upload` takes (a token of the new `/v1.0/oauth2/accessToken` is
// refused there, as it is a different token), and `POST /media/upload?access_token=&type=`, a
// multipart upload whose `media` part carries a filename. Answers are HTTP 200 with `errcode`/`errmsg`.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readMultipart } from '../http/multipart';
import type { FakeDingTalkUpload } from './fake-dingtalk-types';

/** What the old OpenAPI needs from the fake. */
export interface FakeDingTalkOapiSettings {
  clientId: string;
  clientSecret: string;
  tokenLifetimeSeconds: number;
  now: () => number;
}

// DingTalk's limits by media type: 20 MB for files, images and videos, 2 MB for voice.
const maxBytes: Record<string, number> = { image: 20 << 20, file: 20 << 20, video: 20 << 20, voice: 2 << 20 };

/** The old OpenAPI routes, with their tokens and the files uploaded. */
export function createFakeDingTalkOapi(settings: FakeDingTalkOapiSettings) {
  // true: valid; false: expired (errcode 42001). Unknown tokens get 40014.
  const tokens = new Map<string, boolean>();
  const uploads: FakeDingTalkUpload[] = [];
  let issued = 0;

  const answer = (response: ServerResponse, body: Record<string, unknown>) => {
    response.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
    response.end(JSON.stringify(body));
  };

  function gettoken(url: URL, response: ServerResponse): void {
    if (url.searchParams.get('appkey') !== settings.clientId || url.searchParams.get('appsecret') !== settings.clientSecret) {
      answer(response, { errcode: 40089, errmsg: '不合法的appKey或appSecret' });
      return;
    }
    const token = `fake-oapi-token-${randomUUID()}`;
    tokens.set(token, true);
    issued += 1;
    answer(response, { errcode: 0, errmsg: 'ok', access_token: token, expires_in: settings.tokenLifetimeSeconds });
  }

  function upload(url: URL, request: IncomingMessage, raw: Buffer, response: ServerResponse): FakeDingTalkUpload | undefined {
    const valid = tokens.get(url.searchParams.get('access_token') ?? '');
    if (valid === undefined) return void answer(response, { errcode: 40014, errmsg: '不合法的access_token' });
    if (!valid) return void answer(response, { errcode: 42001, errmsg: 'access_token超时' });
    const type = url.searchParams.get('type') ?? '';
    const limit = maxBytes[type];
    if (limit === undefined) return void answer(response, { errcode: 40004, errmsg: '不合法的媒体文件类型' });
    const part = readMultipart(raw, request.headers['content-type'] ?? '').find((candidate) => candidate.name === 'media');
    if (!part || part.filename === undefined || part.data.length === 0)
      return void answer(response, { errcode: 40005, errmsg: '不合法的文件: a multipart `media` part with a filename' });
    if (part.data.length > limit) return void answer(response, { errcode: 40006, errmsg: '不合法的文件大小' });
    const stored: FakeDingTalkUpload = {
      mediaId: `@fake-media-${randomUUID()}`,
      type,
      name: part.filename,
      data: new Uint8Array(part.data),
    };
    uploads.push(stored);
    answer(response, {
      errcode: 0,
      errmsg: 'ok',
      media_id: stored.mediaId,
      type,
      created_at: settings.now(),
    });
    return stored;
  }

  return {
    uploads,
    gettoken,
    upload,
    issued: () => issued,
    /** Makes every token handed out so far expired (errcode 42001). */
    expire(): void {
      for (const token of tokens.keys()) tokens.set(token, false);
    },
  };
}
