import { DWClient, type DWClientDownStream } from 'dingtalk-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeDingTalkServer } from './fake-dingtalk-server';
import type { FakeDingTalkServer } from './fake-dingtalk-types';

const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const until = async (check: () => boolean, what: string) => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 5_000) throw new Error(`[test] ${what}: not seen within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** The real SDK client, connected to the fake (its endpoint lookup URL is fixed, so the test looks up). */
async function connectSdk(fake: FakeDingTalkServer, frames: DWClientDownStream[]): Promise<DWClient> {
  const client = new DWClient({ clientId: fake.clientId, clientSecret: fake.clientSecret });
  client.config.autoReconnect = false;
  client.registerCallbackListener('/v1.0/im/bot/messages/get', (frame) => void frames.push(frame));
  const lookup = await post(`${fake.url}/v1.0/gateway/connections/open`, {
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    subscriptions: client.config.subscriptions,
  });
  (client as unknown as { dw_url: string }).dw_url = `${lookup.body.endpoint}?ticket=${lookup.body.ticket}`;
  await client._connect();
  return client;
}

describe('fake DingTalk', () => {
  let fake: FakeDingTalkServer;
  const clients: DWClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    await fake.close();
  });

  it('refuses a wrong client secret at the endpoint lookup with 401 InvalidAuthentication', async () => {
    fake = await createFakeDingTalkServer();
    const answer = await post(`${fake.url}/v1.0/gateway/connections/open`, { clientId: fake.clientId, clientSecret: 'no' });
    expect([answer.status, answer.body.code]).toEqual([401, 'InvalidAuthentication']);
  });

  it('the real SDK receives a robot message, its ack is recorded, its ping answer counted', async () => {
    fake = await createFakeDingTalkServer();
    const frames: DWClientDownStream[] = [];
    clients.push(await connectSdk(fake, frames));
    const message = fake.injectMessage({ senderStaffId: 'staff1', text: 'hi' });
    await until(() => frames.length === 1, 'the callback');
    expect(JSON.parse(frames[0]?.data ?? '{}')).toMatchObject({
      msgId: message.msgId,
      text: { content: 'hi' },
      conversationType: '1',
    });
    clients[0]?.socketCallBackResponse(frames[0]?.headers.messageId ?? '', {});
    await until(() => fake.stream.acks.length === 1, 'the ack');
    fake.ping();
    await until(() => fake.stream.pongs === 1, 'the ping answer');
    expect(fake.pendingCallbacks()).toBe(0);
  });

  it('delivers an unacknowledged message again on the next connection', async () => {
    fake = await createFakeDingTalkServer();
    const first: DWClientDownStream[] = [];
    clients.push(await connectSdk(fake, first));
    fake.injectMessage({ senderStaffId: 'staff1', text: 'again', groupId: 'cidG' });
    await until(() => first.length === 1, 'the first delivery');
    fake.dropConnections();
    const second: DWClientDownStream[] = [];
    clients.push(await connectSdk(fake, second));
    await until(() => second.length === 1, 'the redelivery');
    expect(second[0]?.headers.messageId).toBe(first[0]?.headers.messageId);
    expect(fake.stream.redeliveries).toBe(1);
  });

  it('hands out tokens, records sends through the API and the session webhook, and fails the next call on demand', async () => {
    fake = await createFakeDingTalkServer();
    const token = await post(`${fake.url}/v1.0/oauth2/accessToken`, { appKey: fake.clientId, appSecret: fake.clientSecret });
    const headers = { 'x-acs-dingtalk-access-token': String(token.body.accessToken) };
    const sent = await post(
      `${fake.url}/v1.0/robot/groupMessages/send`,
      {
        robotCode: fake.robotCode,
        openConversationId: 'cidG',
        msgKey: 'sampleMarkdown',
        msgParam: JSON.stringify({ title: 't', text: '**x**' }),
      },
      headers,
    );
    const message = fake.injectMessage({ senderStaffId: 'staff1', text: 'hi' });
    await post(message.sessionWebhook, { msgtype: 'text', text: { content: 'reply' } });
    fake.expireSession(message.sessionWebhook);
    expect((await post(message.sessionWebhook, { msgtype: 'text', text: { content: 'late' } })).body.errcode).toBe(300001);
    expect(fake.sent).toEqual([
      { chatId: 'cidG', id: sent.body.processQueryKey, via: 'api', format: 'markdown', title: 't', text: '**x**' },
      { chatId: 'staff1', id: '', via: 'session-webhook', format: 'text', text: 'reply' },
    ]);
    fake.failNext({ status: 429, code: 'Throttling.Api', path: '/robot/' });
    expect((await post(`${fake.url}/v1.0/robot/groupMessages/send`, {}, headers)).status).toBe(429);
    fake.expireTokens();
    expect((await post(`${fake.url}/v1.0/robot/groupMessages/send`, {}, headers)).body.code).toBe('InvalidAuthentication');
  });

  it('takes multipart uploads with the old OpenAPI token only, and sends them as sampleFile messages', async () => {
    fake = await createFakeDingTalkServer();
    const upload = async (token: string, data: Uint8Array) => {
      const form = new FormData();
      form.set('media', new Blob([data as Uint8Array<ArrayBuffer>]), 'report.pdf');
      const url = `${fake.url}/media/upload?access_token=${encodeURIComponent(token)}&type=file`;
      return (await (await fetch(url, { method: 'POST', body: form })).json()) as Record<string, unknown>;
    };
    const gettoken = async (secret: string) =>
      (await (await fetch(`${fake.url}/gettoken?appkey=${fake.clientId}&appsecret=${secret}`)).json()) as Record<string, unknown>;
    expect((await gettoken('wrong')).errcode).toBe(40089);
    const oapiToken = String((await gettoken(fake.clientSecret)).access_token);
    const newToken = String(
      (await post(`${fake.url}/v1.0/oauth2/accessToken`, { appKey: fake.clientId, appSecret: fake.clientSecret })).body
        .accessToken,
    );
    const bytes = new Uint8Array([37, 80, 68, 70, 0, 255, 13, 10]);
    expect((await upload(newToken, bytes)).errcode).toBe(40014);
    const answer = await upload(oapiToken, bytes);
    expect(answer).toMatchObject({ errcode: 0, errmsg: 'ok', type: 'file' });
    expect(fake.uploads).toEqual([{ mediaId: answer.media_id, type: 'file', name: 'report.pdf', data: bytes }]);
    const msgParam = JSON.stringify({ mediaId: answer.media_id, fileName: 'report.pdf', fileType: 'pdf' });
    const sent = await post(
      `${fake.url}/v1.0/robot/groupMessages/send`,
      { robotCode: fake.robotCode, openConversationId: 'cid1', msgKey: 'sampleFile', msgParam },
      { 'x-acs-dingtalk-access-token': newToken },
    );
    expect(sent.status).toBe(200);
    expect(fake.sent).toMatchObject([{ chatId: 'cid1', format: 'file', file: { fileName: 'report.pdf', fileType: 'pdf' } }]);
    fake.expireTokens();
    expect((await upload(oapiToken, bytes)).errcode).toBe(42001);
  });
});
