import { afterEach, describe, expect, it } from 'vitest';
import groupAt from './__fixtures__/group-at.json';
import textOneOnOne from './__fixtures__/text-1on1.json';
import { type DingTalkTestRun, eventually, startDingTalkTestRun } from './testing/dingtalk-test-run';

describe('DingTalk payloads replayed through the fake', () => {
  let run: DingTalkTestRun;
  afterEach(async () => run.close());

  it('a documented group @ message is received, acked, and answered through the API once its session webhook expired', async () => {
    run = await startDingTalkTestRun({ robotCode: groupAt.robotCode }, { robotCode: groupAt.robotCode });
    const frame = run.fake.deliver(groupAt);
    const inbound = await eventually(() => run.received[0], 'the message');
    expect(inbound).toMatchObject({
      chat: { id: groupAt.conversationId, isGroup: true, name: '项目组' },
      sender: { id: groupAt.senderId, name: '李四' },
      text: '部署 *staging* 了吗？',
      mentionsBot: true,
      platformMessageId: groupAt.msgId,
    });
    await eventually(() => run.fake.stream.acks.includes(frame.headers.messageId), 'the ack');
    // The fixture's webhook expired long before the clock's now: the send API answers instead.
    await run.channel.send({ channel: 'dingtalk', chatId: inbound.chat.id }, { text: '**yes**', format: 'markdown' });
    expect(run.fake.sent).toMatchObject([{ chatId: groupAt.conversationId, via: 'api', format: 'markdown', text: '**yes**' }]);
  });

  it('a documented 1:1 message whose webhook points outside the allowed origins is refused, not posted', async () => {
    run = await startDingTalkTestRun({ robotCode: textOneOnOne.robotCode });
    run.fake.deliver({ ...textOneOnOne, sessionWebhookExpiredTime: Date.now() + 3_600_000 });
    const inbound = await eventually(() => run.received[0], 'the message');
    expect(inbound.chat).toEqual({ id: 'manager1234', isGroup: false, name: '张三' });
    const error = await run.channel.send({ channel: 'dingtalk', chatId: 'manager1234' }, { text: 'hi', format: 'plain' }).then(
      () => undefined,
      (thrown: unknown) => String(thrown),
    );
    expect(error).toContain('refusing to post to the session webhook at https://oapi.dingtalk.com');
    expect(run.fake.sent).toEqual([]);
  });

  it('credentials refused while running (at a reconnect) → failed, with no retry loop', async () => {
    run = await startDingTalkTestRun();
    run.fake.failNext({ status: 401, code: 'InvalidAuthentication', path: '/gateway/' });
    run.fake.dropConnections();
    await eventually(() => run.statuses.at(-1)?.state === 'failed', 'failed');
    expect(run.statuses.at(-1)).toMatchObject({ error: expect.stringContaining('DINGTALK_CLIENT_SECRET') });
    expect(run.clock.pendingDelays()).toEqual([]);
    expect(run.fake.stream.lookups).toBe(2);
  });
});
