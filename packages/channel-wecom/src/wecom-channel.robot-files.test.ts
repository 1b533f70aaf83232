import { ChannelApiError } from '@ngb/plugin-sdk';
import { createFakeWeComServer, type FakeWeComServer } from '@ngb/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWeComChannel, type WeComChannel } from './wecom-channel';
import { weComFileBytes, weComRobotImageBytes } from './wecom-outbound';

const refusal = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => (ChannelApiError.isInstance(error) ? error : undefined),
  );
// Bytes a text decoding would change: the fake must receive exactly these.
const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x80]);
const png = (size: number) => {
  const data = new Uint8Array(size);
  data.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  data[size - 1] = 0xff;
  return data;
};
const address = { channel: 'wecom', chatId: 'robot' };

describe('WeCom group robot sends files', () => {
  let fake: FakeWeComServer;
  let robot: WeComChannel & Required<Pick<WeComChannel, 'sendFile'>>;
  beforeEach(async () => {
    fake = await createFakeWeComServer();
    const adapter = createWeComChannel({ mode: 'robot', webhookKey: fake.robotKey, apiBaseUrl: fake.url });
    const sendFile = adapter.sendFile;
    if (!sendFile) throw new Error('[test] robot mode has no sendFile');
    robot = { ...adapter, sendFile };
  });
  afterEach(() => fake.close());

  it('uploads the exact bytes to upload_media, sends a file message with its media_id, then the caption', async () => {
    const receipt = await robot.sendFile(address, {
      name: '周报 v2.pdf',
      data: pdf,
      mimeType: 'application/pdf',
      caption: '本周',
    });
    expect(receipt.platformMessageId).toMatch(/^robot-/);
    const [upload] = fake.uploads;
    expect(upload).toMatchObject({ type: 'file', name: '周报 v2.pdf', contentType: 'application/pdf', data: pdf });
    expect(fake.sent.map(({ robot: byRobot, msgtype, content, media }) => ({ byRobot, msgtype, content, media }))).toEqual([
      { byRobot: true, msgtype: 'file', content: '', media: upload },
      { byRobot: true, msgtype: 'text', content: '本周', media: undefined },
    ]);
    expect(fake.calls).toEqual(['/cgi-bin/webhook/upload_media', '/cgi-bin/webhook/send', '/cgi-bin/webhook/send']);
  });

  it('sends a PNG of at most 2 MB inline as an image (base64 and md5), a larger one as a file', async () => {
    const same = (data: Uint8Array | undefined, expected: Uint8Array) => Buffer.from(data ?? []).equals(expected);
    const small = png(weComRobotImageBytes);
    await robot.sendFile(address, { name: 'chart.png', data: small, mimeType: 'image/png' });
    expect(fake.uploads).toEqual([]);
    expect(fake.sent.map(({ msgtype, media }) => [msgtype, media?.contentType])).toEqual([['image', 'image/png']]);
    expect(same(fake.sent[0]?.media?.data, small)).toBe(true);
    const large = png(weComRobotImageBytes + 1);
    await robot.sendFile(address, { name: 'big.png', data: large, mimeType: 'image/png' });
    expect([fake.sent[1]?.msgtype, fake.sent[1]?.media?.name]).toEqual(['file', 'big.png']);
    expect(same(fake.sent[1]?.media?.data, large)).toBe(true);
    // A name or type saying "image" is not enough: the bytes decide.
    await robot.sendFile(address, { name: 'fake.png', data: pdf, mimeType: 'image/png' });
    expect([fake.sent[2]?.msgtype, fake.sent[2]?.media?.name]).toEqual(['file', 'fake.png']);
  });

  it('refuses a file past 20 MB with 413 and one under 5 bytes with 400, before uploading anything', async () => {
    const tooLarge = await refusal(robot.sendFile(address, { name: 'big.zip', data: new Uint8Array(weComFileBytes.max + 1) }));
    expect([tooLarge?.status, tooLarge?.retryable]).toEqual([413, false]);
    expect(tooLarge?.message).toContain('at most 20971520 bytes (20 MB)');
    const tooSmall = await refusal(robot.sendFile(address, { name: 'a.txt', data: new Uint8Array(4) }));
    expect([tooSmall?.status, tooSmall?.retryable]).toEqual([400, false]);
    expect((await refusal(robot.sendFile({ channel: 'wecom', chatId: 'ann' }, { name: 'a.pdf', data: pdf })))?.status).toBe(404);
    expect([fake.calls, fake.uploads, fake.sent]).toEqual([[], [], []]);
  });

  it('maps an upload refused with an errcode, and a wrong key; nothing is sent', async () => {
    fake.failNext('/cgi-bin/webhook/upload_media', { errcode: 45009, errmsg: 'api freq out of limit' });
    expect(await refusal(robot.sendFile(address, { name: 'a.pdf', data: pdf }))).toMatchObject({ status: 429, retryable: true });
    fake.failNext('/cgi-bin/webhook/upload_media', { errcode: -1, errmsg: 'system busy' });
    expect(await refusal(robot.sendFile(address, { name: 'a.pdf', data: pdf }))).toMatchObject({ status: 503, retryable: true });
    const wrongKey = createWeComChannel({ mode: 'robot', webhookKey: 'not-the-key', apiBaseUrl: fake.url });
    const refused = await refusal(wrongKey.sendFile?.(address, { name: 'a.pdf', data: pdf }) ?? Promise.resolve());
    expect([refused?.status, refused?.retryable]).toEqual([401, false]);
    expect(refused?.message).toContain('WECOM_ROBOT_KEY');
    expect([fake.uploads, fake.sent]).toEqual([[], []]);
  });

  it('reports a send refused after the upload, and a caption refused after the file was sent', async () => {
    fake.failNext('/cgi-bin/webhook/send', { errcode: 40007, errmsg: 'invalid media_id' });
    const refused = await refusal(robot.sendFile(address, { name: 'a.pdf', data: pdf, caption: 'x' }));
    expect([refused?.status, refused?.retryable]).toEqual([404, false]);
    expect(fake.uploads).toHaveLength(1);
    expect(fake.sent).toEqual([]);
    // A caption past the 2048 bytes of a text message: the file goes, the caption is refused.
    const caption = await refusal(robot.sendFile(address, { name: 'b.pdf', data: pdf, caption: '中'.repeat(700) }));
    expect(fake.sent).toMatchObject([{ msgtype: 'file', media: { name: 'b.pdf' } }]);
    expect(caption?.message).toMatch(/the file was sent \(robot-[^)]+\) but its caption was not/);
    expect([caption?.status, caption?.retryable]).toEqual([413, false]);
  });
});
