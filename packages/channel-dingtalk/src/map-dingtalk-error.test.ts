import { ChannelApiError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { mapDingTalkError } from './map-dingtalk-error';

const call = 'the robot send API';
const shape = (error: ChannelApiError) => ({
  status: error.status,
  retryable: error.retryable,
  retryAfterMs: error.retryAfterMs,
});

describe('mapDingTalkError', () => {
  it.each([
    [
      { call, status: 429, body: { code: 'Throttling.Api' }, retryAfter: '2' },
      { status: 429, retryable: true, retryAfterMs: 2_000 },
    ],
    [
      { call, status: 400, body: { code: 'Throttling.User', message: 'too fast' } },
      { status: 429, retryable: true, retryAfterMs: 1_000 },
    ],
    [
      { call, status: 200, body: { errcode: 130101, errmsg: 'send too fast' } },
      { status: 429, retryable: true, retryAfterMs: 1_000 },
    ],
    [
      { call, status: 503, body: {} },
      { status: 503, retryable: true, retryAfterMs: undefined },
    ],
    [
      { call, status: 400, body: { code: 'InvalidAuthentication' } },
      { status: 401, retryable: false, retryAfterMs: undefined },
    ],
    [
      { call, status: 403, body: { code: 'Forbidden.AccessDenied' } },
      { status: 403, retryable: false, retryAfterMs: undefined },
    ],
    [
      { call, status: 404, body: { code: 'resource.notFound' } },
      { status: 404, retryable: false, retryAfterMs: undefined },
    ],
    [
      { call, status: 200, body: { errcode: 300001, errmsg: 'session expired' } },
      { status: 400, retryable: false, retryAfterMs: undefined },
    ],
    [
      { call: 'the media upload', status: 200, body: { errcode: -1, errmsg: '系统繁忙' } },
      { status: 503, retryable: true, retryAfterMs: undefined },
    ],
    [
      { call: 'gettoken', status: 200, body: { errcode: 40089, errmsg: '不合法的appKey或appSecret' } },
      { status: 401, retryable: false, retryAfterMs: undefined },
    ],
    [
      { call: 'the media upload', status: 200, body: { errcode: 42001, errmsg: 'access_token超时' } },
      { status: 401, retryable: false, retryAfterMs: undefined },
    ],
    [
      { call: 'the media upload', status: 200, body: { errcode: 88, errmsg: '鉴权异常' } },
      { status: 403, retryable: false, retryAfterMs: undefined },
    ],
    [
      { call: 'the media upload', status: 200, body: { errcode: 40006, errmsg: '不合法的文件大小' } },
      { status: 400, retryable: false, retryAfterMs: undefined },
    ],
  ])('%j', (failure, expected) => {
    expect(shape(mapDingTalkError(failure))).toEqual(expected);
  });

  it('a network error is retryable; a ChannelApiError passes through', () => {
    expect(shape(mapDingTalkError(new TypeError('fetch failed')))).toEqual({
      status: undefined,
      retryable: true,
      retryAfterMs: undefined,
    });
    const original = new ChannelApiError('dingtalk', 'x', { status: 418, retryable: false });
    expect(mapDingTalkError(original)).toBe(original);
  });

  it('says what to fix, and never echoes the secret', () => {
    const error = mapDingTalkError({
      call: 'the access token endpoint',
      status: 401,
      body: { code: 'InvalidAuthentication', message: 'bad' },
    });
    expect(error.message).toContain('check the clientId option and DINGTALK_CLIENT_SECRET');
  });
});
