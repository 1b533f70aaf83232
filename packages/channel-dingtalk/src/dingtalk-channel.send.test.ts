import { ChannelApiError } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type DingTalkTestRun, eventually, startDingTalkTestRun } from './testing/dingtalk-test-run';

const ann = { senderStaffId: 'staff77', senderNick: 'Ann', text: 'hello' };
const refusal = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => (ChannelApiError.isInstance(error) ? error : undefined),
  );

describe('DingTalk sends', () => {
  let run: DingTalkTestRun;
  afterEach(async () => run.close());

  it('answers through the message session webhook while it is valid, through the send API once it expired', async () => {
    run = await startDingTalkTestRun({ sessionLifetimeMs: 600_000 });
    run.fake.injectMessage(ann);
    const inbound = await eventually(() => run.received[0], 'the message');
    const address = { channel: 'dingtalk', chatId: inbound.chat.id };
    await run.channel.send(address, { text: '**first**', format: 'markdown' });
    await run.clock.advance(600_000);
    const second = await run.channel.send(address, { text: 'second', format: 'plain' });
    expect(run.fake.sent.map(({ chatId, via, format, text }) => ({ chatId, via, format, text }))).toEqual([
      { chatId: 'staff77', via: 'session-webhook', format: 'markdown', text: '**first**' },
      { chatId: 'staff77', via: 'api', format: 'text', text: 'second' },
    ]);
    expect(second.platformMessageId).toBe(run.fake.sent[1]?.id);
    expect(run.fake.tokensIssued).toBe(1);
  });

  it('a session webhook DingTalk says expired falls back to the send API', async () => {
    run = await startDingTalkTestRun();
    const message = run.fake.injectMessage({ ...ann, groupId: 'cidGroup1' });
    const inbound = await eventually(() => run.received[0], 'the message');
    expect(inbound).toMatchObject({ chat: { id: 'cidGroup1', isGroup: true }, mentionsBot: true, text: 'hello' });
    run.fake.expireSession(message.sessionWebhook);
    await run.channel.send({ channel: 'dingtalk', chatId: 'cidGroup1' }, { text: 'to all', format: 'plain' });
    expect(run.fake.sent).toMatchObject([{ chatId: 'cidGroup1', via: 'api', text: 'to all' }]);
    expect(run.fake.calls.map((call) => call.path)).toContain('/v1.0/robot/groupMessages/send');
  });

  it('refuses to post to a session webhook outside the allowed origins, and posts nothing', async () => {
    run = await startDingTalkTestRun({}, { sessionWebhookOrigins: ['https://oapi.dingtalk.com'] });
    run.fake.injectMessage(ann);
    const inbound = await eventually(() => run.received[0], 'the message');
    const error = await refusal(
      run.channel.send({ channel: 'dingtalk', chatId: inbound.chat.id }, { text: 'x', format: 'plain' }),
    );
    expect(error?.message).toContain('not an allowed origin (option `sessionWebhookOrigins`)');
    expect(error?.retryable).toBe(false);
    expect(run.fake.sent).toEqual([]);
  });

  it('caches the access token, and fetches a new one once when DingTalk refuses it', async () => {
    run = await startDingTalkTestRun();
    const address = { channel: 'dingtalk', chatId: 'staff9' };
    await run.channel.send(address, { text: 'one', format: 'plain' });
    await run.channel.send(address, { text: 'two', format: 'plain' });
    expect(run.fake.tokensIssued).toBe(1);
    run.fake.expireTokens();
    await run.channel.send(address, { text: 'three', format: 'plain' });
    expect(run.fake.tokensIssued).toBe(2);
    expect(run.fake.sent.map((message) => message.text)).toEqual(['one', 'two', 'three']);
  });

  it('fetches a new token when the cached one reaches its expiry', async () => {
    run = await startDingTalkTestRun({ tokenLifetimeSeconds: 7200 });
    const address = { channel: 'dingtalk', chatId: 'staff9' };
    await run.channel.send(address, { text: 'one', format: 'plain' });
    await run.clock.advance(7_200_000);
    await run.channel.send(address, { text: 'two', format: 'plain' });
    expect(run.fake.tokensIssued).toBe(2);
  });

  it('maps throttling to retryable with Retry-After, 5xx to retryable, Forbidden to a permission message', async () => {
    run = await startDingTalkTestRun();
    const address = { channel: 'dingtalk', chatId: 'cidGroup1' };
    run.fake.failNext({ status: 429, code: 'Throttling.Api', retryAfter: 3, path: '/robot/' });
    expect(await refusal(run.channel.send(address, { text: 'x', format: 'plain' }))).toMatchObject({
      status: 429,
      retryable: true,
      retryAfterMs: 3_000,
    });
    run.fake.failNext({ status: 502, path: '/robot/' });
    expect(await refusal(run.channel.send(address, { text: 'x', format: 'plain' }))).toMatchObject({
      status: 502,
      retryable: true,
    });
    run.fake.failNext({ status: 403, code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', path: '/robot/' });
    const forbidden = await refusal(run.channel.send(address, { text: 'x', format: 'plain' }));
    expect([forbidden?.status, forbidden?.retryable]).toEqual([403, false]);
    expect(forbidden?.message).toContain('qyapi_robot_sendmsg');
    run.fake.failNext({ status: 400, code: 'invalidParameter.msgParam', message: 'msgParam is invalid', path: '/robot/' });
    expect(await refusal(run.channel.send(address, { text: 'x', format: 'plain' }))).toMatchObject({
      status: 400,
      retryable: false,
    });
    expect(run.fake.sent).toEqual([]);
  });

  it('recalls a message sent through the send API, and says a session webhook reply cannot be recalled', async () => {
    run = await startDingTalkTestRun();
    const group = { channel: 'dingtalk', chatId: 'cidGroup1' };
    const receipt = await run.channel.send(group, { text: 'oops', format: 'plain' });
    await run.channel.delete(group, receipt.platformMessageId);
    expect(run.fake.recalls).toEqual([{ chatId: 'cidGroup1', id: receipt.platformMessageId }]);
    run.fake.injectMessage(ann);
    const inbound = await eventually(() => run.received[0], 'the message');
    const direct = { channel: 'dingtalk', chatId: inbound.chat.id };
    const reply = await run.channel.send(direct, { text: 'hi', format: 'plain' });
    expect((await refusal(run.channel.delete(direct, reply.platformMessageId)))?.message).toContain('cannot be recalled');
  });
});
