import { ChannelApiError } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { dingTalkFileType, maxDingTalkFileBytes } from './dingtalk-outbound';
import { type DingTalkTestRun, eventually, startDingTalkTestRun } from './testing/dingtalk-test-run';

const refusal = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => (ChannelApiError.isInstance(error) ? error : undefined),
  );
// Bytes a text decoding would change: the fake must receive exactly these.
const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x80]);
const group = { channel: 'dingtalk', chatId: 'cidGroup1' };
const direct = { channel: 'dingtalk', chatId: 'staff9' };

describe('DingTalk sends files', () => {
  let run: DingTalkTestRun;
  afterEach(async () => run.close());

  it('uploads the exact bytes with the old OpenAPI token, sends a sampleFile message, then the caption', async () => {
    run = await startDingTalkTestRun();
    const receipt = await run.channel.sendFile(group, { name: 'Q3 报告.PDF', data: pdf, caption: 'the report' });
    const [upload] = run.fake.uploads;
    expect(upload).toMatchObject({ type: 'file', name: 'Q3 报告.PDF', data: pdf });
    expect(run.fake.sent.map(({ chatId, id, via, format, text, file }) => ({ chatId, id, via, format, text, file }))).toEqual([
      {
        chatId: 'cidGroup1',
        id: receipt.platformMessageId,
        via: 'api',
        format: 'file',
        text: 'Q3 报告.PDF',
        file: { upload, fileName: 'Q3 报告.PDF', fileType: 'pdf' },
      },
      { chatId: 'cidGroup1', id: expect.any(String), via: 'api', format: 'text', text: 'the report', file: undefined },
    ]);
    const send = run.fake.calls.find((call) => call.path === '/v1.0/robot/groupMessages/send')?.body ?? {};
    expect(send).toMatchObject({ msgKey: 'sampleFile', msgParam: expect.any(String) });
    expect(JSON.parse(String((send as { msgParam: string }).msgParam))).toEqual({
      mediaId: upload?.mediaId,
      fileName: 'Q3 报告.PDF',
      fileType: 'pdf',
    });
    await run.channel.sendFile(direct, { name: 'notes', data: pdf });
    expect(run.fake.sent.at(-1)).toMatchObject({ chatId: 'staff9', format: 'file', file: { fileType: 'file' } });
    expect([run.fake.oapiTokensIssued, run.fake.tokensIssued]).toEqual([1, 1]);
  });

  it('refuses a file past 20 MB with 413 before asking for a token or uploading, and an empty one with 400', async () => {
    run = await startDingTalkTestRun();
    const tooLarge = await refusal(
      run.channel.sendFile(group, { name: 'big.zip', data: new Uint8Array(maxDingTalkFileBytes + 1) }),
    );
    expect([tooLarge?.status, tooLarge?.retryable]).toEqual([413, false]);
    expect(tooLarge?.message).toContain('at most 20971520 bytes (20 MB)');
    expect((await refusal(run.channel.sendFile(group, { name: 'empty.txt', data: new Uint8Array() })))?.status).toBe(400);
    // Only the stream's endpoint lookup reached DingTalk: no token, no upload, no send.
    expect(run.fake.calls.map((call) => call.path)).toEqual(['/v1.0/gateway/connections/open']);
    expect([run.fake.uploads, run.fake.sent]).toEqual([[], []]);
  });

  it('maps an upload refused with an errcode: busy is retryable, a bad file is not; nothing is sent', async () => {
    run = await startDingTalkTestRun();
    run.fake.failNext({ status: 200, errcode: -1, message: '系统繁忙', path: '/media/upload' });
    expect(await refusal(run.channel.sendFile(group, { name: 'a.pdf', data: pdf }))).toMatchObject({
      status: 503,
      retryable: true,
    });
    run.fake.failNext({ status: 200, errcode: 40006, message: '不合法的文件大小', path: '/media/upload' });
    const refused = await refusal(run.channel.sendFile(group, { name: 'a.pdf', data: pdf }));
    expect([refused?.status, refused?.retryable]).toEqual([400, false]);
    expect(refused?.message).toContain('不合法的文件大小 (40006)');
    expect(run.fake.sent).toEqual([]);
  });

  it('reports a send refused after the upload, and a caption refused after the file was sent', async () => {
    run = await startDingTalkTestRun();
    run.fake.failNext({ status: 403, code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', path: '/robot/' });
    const forbidden = await refusal(run.channel.sendFile(group, { name: 'a.pdf', data: pdf, caption: 'x' }));
    expect([forbidden?.status, forbidden?.retryable]).toEqual([403, false]);
    expect(run.fake.uploads).toHaveLength(1);
    expect(run.fake.sent).toEqual([]);
    // A message from Ann: the caption goes through its session webhook, the file through the send API.
    run.fake.injectMessage({ senderStaffId: 'staff77', senderNick: 'Ann', text: 'send it' });
    const inbound = await eventually(() => run.received[0], 'the message');
    run.fake.failNext({ status: 502, path: '/robot/sendBySession' });
    const caption = await refusal(
      run.channel.sendFile({ channel: 'dingtalk', chatId: inbound.chat.id }, { name: 'b.pdf', data: pdf, caption: 'yours' }),
    );
    const [file] = run.fake.sent;
    expect(run.fake.sent).toMatchObject([{ chatId: 'staff77', format: 'file', text: 'b.pdf' }]);
    expect(caption?.message).toContain(`the file was sent (${file?.id}) but its caption was not`);
    expect([caption?.status, caption?.retryable]).toEqual([502, false]);
  });

  it('fetches the old OpenAPI token again when it reaches its expiry, and once when DingTalk says it expired', async () => {
    run = await startDingTalkTestRun({ tokenLifetimeSeconds: 7200 });
    await run.channel.sendFile(direct, { name: 'a.txt', data: pdf });
    await run.channel.sendFile(direct, { name: 'b.txt', data: pdf });
    expect(run.fake.oapiTokensIssued).toBe(1);
    await run.clock.advance(7_200_000);
    await run.channel.sendFile(direct, { name: 'c.txt', data: pdf });
    expect(run.fake.oapiTokensIssued).toBe(2);
    run.fake.expireTokens();
    await run.channel.sendFile(direct, { name: 'd.txt', data: pdf });
    expect(run.fake.oapiTokensIssued).toBe(3);
    expect(run.fake.calls.filter((call) => call.path === '/media/upload').map((call) => call.status)).toEqual([
      200, 200, 200, 200, 200,
    ]);
    expect(run.fake.uploads.map((upload) => upload.name)).toEqual(['a.txt', 'b.txt', 'c.txt', 'd.txt']);
  });

  it('names the file type by the extension, lower case', () => {
    expect(['a.PDF', 'archive.tar.gz', 'README', 'dot.', '.env'].map(dingTalkFileType)).toEqual([
      'pdf',
      'gz',
      'file',
      'file',
      'env',
    ]);
  });
});
