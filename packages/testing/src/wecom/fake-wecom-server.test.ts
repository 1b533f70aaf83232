import { createDecipheriv, createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { weComCallbackSignature } from './fake-wecom-callback';
import { createFakeWeComServer } from './fake-wecom-server';
import type { FakeWeComServer } from './fake-wecom-types';

describe('fake WeCom', () => {
  let fake: FakeWeComServer;
  beforeEach(async () => {
    fake = await createFakeWeComServer({ users: { ann: 'Ann' } });
  });
  afterEach(() => fake.close());

  const api = async (path: string, query: Record<string, string>, body?: unknown) => {
    const url = new URL(path, fake.url);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const response = await fetch(url, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    return (await response.json()) as Record<string, unknown>;
  };

  it('hands out tokens for the right corpid and secret only, and refuses expired ones with 42001', async () => {
    expect((await api('/cgi-bin/gettoken', { corpid: fake.corpId, corpsecret: 'wrong' })).errcode).toBe(40001);
    const answer = await api('/cgi-bin/gettoken', { corpid: fake.corpId, corpsecret: fake.secret });
    expect(answer).toMatchObject({ errcode: 0, expires_in: 7200 });
    const token = String(answer.access_token);
    const message = { touser: 'ann', agentid: fake.agentId, msgtype: 'text', text: { content: '你好' } };
    expect(await api('/cgi-bin/message/send', { access_token: token }, message)).toMatchObject({ errcode: 0 });
    expect(fake.sent.map((sent) => [sent.toUser, sent.content])).toEqual([['ann', '你好']]);
    fake.expireTokens();
    expect((await api('/cgi-bin/message/send', { access_token: token }, message)).errcode).toBe(42001);
    expect((await api('/cgi-bin/message/send', { access_token: 'made-up' }, message)).errcode).toBe(40014);
    expect((await api('/cgi-bin/user/get', { access_token: token, userid: 'ann' })).errcode).toBe(42001);
  });

  it('refuses content past 2048 bytes (CJK counted in bytes) and fails the next call on demand', async () => {
    const token = String((await api('/cgi-bin/gettoken', { corpid: fake.corpId, corpsecret: fake.secret })).access_token);
    const send = (content: string) =>
      api(
        '/cgi-bin/message/send',
        { access_token: token },
        { touser: 'ann', agentid: fake.agentId, msgtype: 'markdown', markdown: { content } },
      );
    expect((await send('中'.repeat(683))).errcode).toBe(45002);
    expect((await send('中'.repeat(682))).errcode).toBe(0);
    fake.failNext('/cgi-bin/message/send', { errcode: 45009 });
    expect((await send('x')).errcode).toBe(45009);
    expect((await send('x')).errcode).toBe(0);
  });

  it('signs callbacks with the token and encrypts them so a reference decryption reads the message and the CorpID', async () => {
    const request = fake.callbackRequest('http://gateway.test/hook', { fromUser: 'ann', msgId: '42', content: 'hi' });
    const url = new URL(request.url);
    const body = await request.text();
    const outer = new XMLParser().parse(body) as { xml: { ToUserName: string; Encrypt: string; AgentID: string } };
    expect(outer.xml).toMatchObject({ ToUserName: fake.corpId, AgentID: fake.agentId });
    const encrypted = outer.xml.Encrypt;
    const [timestamp, nonce] = [url.searchParams.get('timestamp') ?? '', url.searchParams.get('nonce') ?? ''];
    expect(url.searchParams.get('msg_signature')).toBe(weComCallbackSignature(fake.token, timestamp, nonce, encrypted));
    const key = Buffer.from(`${fake.encodingAesKey}=`, 'base64');
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    const unpadded = plain.subarray(0, plain.length - (plain.at(-1) ?? 0));
    const length = unpadded.readUInt32BE(16);
    expect(unpadded.subarray(20, 20 + length).toString()).toContain(
      '<Content><![CDATA[hi]]></Content><MsgId><![CDATA[42]]></MsgId>',
    );
    expect(unpadded.subarray(20 + length).toString()).toBe(fake.corpId);
  });

  it('takes robot uploads of 5 B to 20 MB with the key, and robot file and base64 image messages', async () => {
    const upload = async (key: string, data: Uint8Array, type = 'file') => {
      const form = new FormData();
      form.set('media', new Blob([data as Uint8Array<ArrayBuffer>]), '报告.pdf');
      const url = new URL('/cgi-bin/webhook/upload_media', fake.url);
      url.search = new URLSearchParams({ key, type }).toString();
      return (await (await fetch(url, { method: 'POST', body: form })).json()) as Record<string, unknown>;
    };
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
    expect((await upload('not-the-key', bytes)).errcode).toBe(93000);
    expect((await upload(fake.robotKey, bytes.subarray(0, 4))).errcode).toBe(40006);
    const answer = await upload(fake.robotKey, bytes);
    expect(answer).toMatchObject({ errcode: 0, errmsg: 'ok', type: 'file' });
    expect(fake.uploads.map(({ name, data }) => ({ name, data }))).toEqual([{ name: '报告.pdf', data: bytes }]);
    const send = (body: unknown) => api('/cgi-bin/webhook/send', { key: fake.robotKey }, body);
    expect((await send({ msgtype: 'file', file: { media_id: 'made-up' } })).errcode).toBe(40007);
    expect((await send({ msgtype: 'file', file: { media_id: answer.media_id } })).errcode).toBe(0);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7]);
    const md5 = createHash('md5').update(png).digest('hex');
    expect((await send({ msgtype: 'image', image: { base64: png.toString('base64'), md5: '0'.repeat(32) } })).errcode).toBe(
      301019,
    );
    expect((await send({ msgtype: 'image', image: { base64: png.toString('base64'), md5 } })).errcode).toBe(0);
    expect(fake.sent.map(({ robot, msgtype, media }) => ({ robot, msgtype, name: media?.name, data: media?.data }))).toEqual([
      { robot: true, msgtype: 'file', name: '报告.pdf', data: bytes },
      { robot: true, msgtype: 'image', name: '', data: new Uint8Array(png) },
    ]);
  });
});
