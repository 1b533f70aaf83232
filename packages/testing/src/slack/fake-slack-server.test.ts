import { createHmac } from 'node:crypto';
import { SocketModeClient } from '@slack/socket-mode';
import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeSlackServer, type FakeSlackServer } from './fake-slack-server';

let fake: FakeSlackServer;
const clients: SocketModeClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.disconnect().catch(() => undefined);
  await fake?.close();
});

const webClient = (token = fake.botToken) =>
  new WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });

function socketClient(): SocketModeClient {
  const client = new SocketModeClient({
    appToken: fake.appToken,
    autoReconnectEnabled: false,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    logLevel: 'error' as never,
  });
  clients.push(client);
  return client;
}

describe('fake Slack Web API, driven by @slack/web-api', () => {
  it('answers auth.test and records chat.postMessage as people see it (form-encoded, Bearer)', async () => {
    fake = await createFakeSlackServer({ users: [{ id: 'U1', name: 'ann', displayName: 'Ann' }] });
    const client = webClient();
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true, user_id: fake.botUserId });
    const posted = await client.chat.postMessage({ channel: 'C1', text: '*hi* <@U1> &amp; <https://x.test|the link>' });
    await client.chat.postMessage({ channel: 'C1', text: '&lt;plain&gt; *kept*', mrkdwn: false, thread_ts: String(posted.ts) });
    expect(fake.sent().messages).toMatchObject([
      { channel: 'C1', ts: posted.ts, text: 'hi @Ann & the link', format: 'markdown' },
      { channel: 'C1', text: '<plain> *kept*', format: 'plain', threadTs: posted.ts },
    ]);
    const call = fake.calls('chat.postMessage')[0];
    expect(call?.token).toBe(fake.botToken);
    expect(call?.contentType).toContain('application/x-www-form-urlencoded');
  });

  it('refuses a wrong token, and fails on demand with 429 + Retry-After, 5xx, missing_scope and markup rejection', async () => {
    fake = await createFakeSlackServer();
    await expect(webClient('xoxb-wrong').auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    const client = webClient();
    fake.failNext(
      'chat.postMessage',
      { status: 429, retryAfterSeconds: 7 },
      { status: 503 },
      { error: 'missing_scope', needed: 'chat:write' },
    );
    await expect(client.chat.postMessage({ channel: 'C1', text: 'a' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'a' })).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 503,
    });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'a' })).rejects.toMatchObject({
      data: { error: 'missing_scope', needed: 'chat:write' },
    });
    fake.rejectMarkup('[[bad]]');
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x [[bad]]' })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x [[bad]]', mrkdwn: false })).resolves.toMatchObject({
      ok: true,
    });
    expect(fake.sent().messages.map((message) => message.format)).toEqual(['plain']);
  });

  it('uploads with filesUploadV2 (getUploadURLExternal → upload → completeUploadExternal) and serves the file with the bot token only', async () => {
    fake = await createFakeSlackServer();
    const client = webClient();
    const data = Buffer.from('hello file');
    const result = (await client.filesUploadV2({
      channel_id: 'C1',
      file: data,
      filename: 'a.txt',
      initial_comment: 'see',
    })) as unknown as {
      files: Array<{ files: Array<{ id: string; url_private_download: string }> }>;
    };
    const file = result.files[0]?.files[0];
    expect(fake.sent().files).toMatchObject([
      { channel: 'C1', name: 'a.txt', size: data.length, caption: 'see', fileId: file?.id },
    ]);
    const url = String(file?.url_private_download);
    const withToken = await fetch(url, { headers: { authorization: `Bearer ${fake.botToken}` } });
    expect(Buffer.from(await withToken.arrayBuffer()).toString()).toBe('hello file');
    const withoutToken = await fetch(url);
    expect(withoutToken.headers.get('content-type')).toContain('text/html');
  });
});

describe('fake Slack Socket Mode, driven by @slack/socket-mode', () => {
  it('says hello, delivers envelopes and records the acks', async () => {
    fake = await createFakeSlackServer();
    const client = socketClient();
    const seen: Array<{ text: unknown; retry: unknown }> = [];
    client.on('message', async ({ ack, event, retry_num }) => {
      seen.push({ text: event.text, retry: retry_num });
      await ack();
    });
    await client.start();
    const posted = fake.postMessage({ channel: 'C1', user: 'U1', text: 'a & b' });
    const envelope = posted.envelopes[0];
    if (!envelope) throw new Error('no envelope');
    await fake.waitForAck(envelope.envelopeId);
    expect(seen).toEqual([{ text: 'a &amp; b', retry: 0 }]);
    expect(fake.unackedEnvelopes()).toEqual([]);
    expect(fake.calls('apps.connections.open')[0]?.token).toBe(fake.appToken);
  });

  it('keeps unacknowledged envelopes and resends them with retry_attempt 1', async () => {
    fake = await createFakeSlackServer();
    const client = socketClient();
    const retries: unknown[] = [];
    client.on('message', async ({ ack, retry_num }) => {
      retries.push(retry_num);
      if (retries.length > 1) await ack();
    });
    await client.start();
    const [envelope] = fake.postMessage({ channel: 'C1', user: 'U1', text: 'hi' }).envelopes;
    if (!envelope) throw new Error('no envelope');
    await expect.poll(() => retries.length).toBe(1);
    expect(fake.unackedEnvelopes().map((candidate) => candidate.envelopeId)).toEqual([envelope.envelopeId]);
    fake.redeliver(envelope.envelopeId);
    await fake.waitForAck(envelope.envelopeId);
    expect(retries).toEqual([0, 1]);
  });

  it('closes the socket on a disconnect frame, and stays open but sends nothing while silent', async () => {
    fake = await createFakeSlackServer();
    const client = socketClient();
    const texts: unknown[] = [];
    client.on('message', async ({ ack, event }) => {
      texts.push(event.text);
      await ack();
    });
    await client.start();
    fake.silence();
    fake.postMessage({ channel: 'C1', user: 'U1', text: 'held' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(texts).toEqual([]);
    expect(fake.openConnections()).toBe(1);
    fake.speak();
    await expect.poll(() => texts).toEqual(['held']);
    const closed = new Promise((resolve) => client.once('disconnected', resolve));
    fake.sendDisconnect('refresh_requested');
    await closed;
    await expect.poll(() => fake.openConnections()).toBe(0);
  });
});

describe('fake Slack Events API requests', () => {
  it('signs with v0=HMAC-SHA256 of v0:<ts>:<body> and marks retries', async () => {
    fake = await createFakeSlackServer();
    const body = fake.eventCallback({ type: 'message', text: 'x', channel: 'C1', ts: '1.000001' });
    const request = fake.signedRequest(body, { timestampSeconds: 1_700_000_000, retryNum: 1 });
    const raw = await request.text();
    const expected = `v0=${createHmac('sha256', fake.signingSecret).update(`v0:1700000000:${raw}`).digest('hex')}`;
    expect(request.headers.get('x-slack-signature')).toBe(expected);
    expect(request.headers.get('x-slack-retry-num')).toBe('1');
  });
});

describe('fake Slack buttons, driven by @slack/web-api and @slack/socket-mode', () => {
  it('records the buttons of an actions block; a press arrives as an interactive block_actions envelope the client acks', async () => {
    fake = await createFakeSlackServer({ users: [{ id: 'U1', name: 'ann' }] });
    const posted = await webClient().chat.postMessage({
      channel: 'C1',
      text: 'Which?',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Which?' } },
        {
          type: 'actions',
          block_id: 'b1',
          elements: [{ type: 'button', action_id: 'a1', value: 'v1', text: { type: 'plain_text', text: 'One' } }],
        },
      ],
    });
    expect(fake.sent().messages[0]).toMatchObject({ text: 'Which?', buttons: [{ actionId: 'a1', value: 'v1', text: 'One' }] });
    const client = socketClient();
    const seen: Array<{ type: string; body: Record<string, unknown> }> = [];
    client.on('slack_event', async (envelope: { type: string; body: Record<string, unknown>; ack(): Promise<void> }) => {
      seen.push(envelope);
      await envelope.ack();
    });
    await client.start();
    const { envelope } = fake.pressButton({ channel: 'C1', ts: String(posted.ts), value: 'v1', user: 'U1' });
    await fake.waitForAck(envelope.envelopeId);
    expect(seen[0]?.type).toBe('interactive');
    expect(seen[0]?.body).toMatchObject({
      type: 'block_actions',
      user: { id: 'U1', username: 'ann' },
      channel: { id: 'C1' },
      container: { type: 'message', message_ts: posted.ts, channel_id: 'C1' },
      message: { ts: posted.ts, text: 'Which?' },
      actions: [{ action_id: 'a1', block_id: 'b1', value: 'v1', type: 'button', text: { type: 'plain_text', text: 'One' } }],
    });
    // Once chat.update replaced the blocks, the button is gone.
    await webClient().chat.update({ channel: 'C1', ts: String(posted.ts), text: 'Which?', blocks: [] });
    expect(() => fake.pressButton({ channel: 'C1', ts: String(posted.ts), value: 'v1', user: 'U1' })).toThrow(/no button/);
  });
});
