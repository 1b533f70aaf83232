import { ChannelApiError, type ChannelContext, silentLogger } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { mapWeComError, WeComErrcode, WeComHttpStatus } from './map-wecom-error';
import { createWeComChannelHarness } from './testing/wecom-channel-harness';

const context: ChannelContext = { receive: async () => ({ dropped: 'test' }), logger: silentLogger, setStatus: () => undefined };
const address = { channel: 'wecom', chatId: 'ann' };

describe('mapWeComError', () => {
  it.each([
    [45009, 429, true, 'rate limited'],
    [45033, 429, true, 'rate limited'],
    [-1, 503, true, 'busy'],
    [40014, 401, false, 'WECOM_SECRET'],
    [42001, 401, false, 'WECOM_SECRET'],
    [60020, 403, false, 'trusted IP'],
    [81013, 403, false, 'visible range'],
    [60011, 403, false, 'visible range'],
    [93000, 401, false, 'WECOM_ROBOT_KEY'],
    [40058, 400, false, 'bad things'],
  ])('errcode %i → %i, retryable %s, saying %s', (errcode, status, retryable, says) => {
    const mapped = mapWeComError(new WeComErrcode(errcode, 'bad things'));
    expect([mapped.status, mapped.retryable]).toEqual([status, retryable]);
    expect(mapped.message).toContain(says);
    expect(mapped.message).toMatch(/^\[@ngb\/channel-wecom\] /);
  });

  it('HTTP 429 and 5xx and network failures are retryable; other statuses are not', () => {
    expect(mapWeComError(new WeComHttpStatus(429, 2000))).toMatchObject({ status: 429, retryable: true, retryAfterMs: 2000 });
    expect(mapWeComError(new WeComHttpStatus(502)).retryable).toBe(true);
    expect(mapWeComError(new TypeError('fetch failed')).retryable).toBe(true);
    expect(mapWeComError(new WeComHttpStatus(404)).retryable).toBe(false);
  });
});

describe('WeCom errors through the fake', () => {
  const harness = createWeComChannelHarness();
  afterEach(async () => {
    await harness.channel.stop();
    await harness.dispose?.();
  });

  it('reports an untrusted IP (60020) as 403 with the fix, a frequency limit as retryable, an HTTP 503 as retryable', async () => {
    await harness.create();
    const adapter = harness.channel;
    await adapter.start(context);
    const failed = (errcode: number | undefined, status?: number) => {
      harness.fake.failNext('/cgi-bin/message/send', status === undefined ? { errcode: errcode ?? 0 } : { status });
      return adapter.send(address, { text: 'x', format: 'plain' }).catch((error: unknown) => error);
    };
    const ip = await failed(60020);
    expect(ChannelApiError.isInstance(ip) && [ip.status, ip.retryable]).toEqual([403, false]);
    expect((ip as Error).message).toContain('trusted IP');
    const limited = await failed(45009);
    expect(ChannelApiError.isInstance(limited) && [limited.status, limited.retryable]).toEqual([429, true]);
    const down = await failed(undefined, 503);
    expect(ChannelApiError.isInstance(down) && [down.status, down.retryable]).toEqual([503, true]);
    expect(harness.fake.sent).toEqual([]);
  });

  it('resends as plain text when WeCom refuses the markdown (45002), and not for other refusals', async () => {
    await harness.create();
    const adapter = harness.channel;
    await adapter.start(context);
    harness.fake.failNext('/cgi-bin/message/send', { errcode: 45002, errmsg: 'content size out of limit' });
    await adapter.send(address, { text: '**bold**', format: 'markdown' });
    expect(harness.fake.sent.map(({ msgtype, content }) => ({ msgtype, content }))).toEqual([
      { msgtype: 'text', content: '**bold**' },
    ]);
    harness.fake.failNext('/cgi-bin/message/send', { errcode: 40058, errmsg: 'invalid parameter' });
    const refused = await adapter.send(address, { text: '**bold**', format: 'markdown' }).catch((error: unknown) => error);
    expect(ChannelApiError.isInstance(refused) && refused.status).toBe(400);
    expect(harness.fake.sent).toHaveLength(1);
  });

  it('downloads past the caller limit are refused with 413 from the announced size, and an unknown media id is 404', async () => {
    await harness.create();
    const adapter = harness.channel;
    await adapter.start(context);
    const media = harness.fake.addMedia({ name: 'big.bin', contentType: 'application/octet-stream', data: new Uint8Array(4096) });
    const tooBig = await adapter
      .fetchAttachment?.({ kind: 'file', reference: media.mediaId }, { maxBytes: 1024 })
      .catch((error: unknown) => error);
    expect(ChannelApiError.isInstance(tooBig) && tooBig.status).toBe(413);
    const gone = await adapter
      .fetchAttachment?.({ kind: 'file', reference: 'media-unknown' }, { maxBytes: 1024 })
      .catch((error: unknown) => error);
    expect(ChannelApiError.isInstance(gone) && gone.status).toBe(404);
  });
});
