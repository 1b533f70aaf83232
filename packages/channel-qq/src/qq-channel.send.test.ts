import { ChannelApiError } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type QQTestRun, startQQTestRun } from './testing/qq-test-run';

const group = { channel: 'qq', chatId: 'group:2002' };
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('QQ outbound through the fake implementation', () => {
  let run: QQTestRun;
  afterEach(async () => run.close());

  it('markdown becomes plain text, a reply carries a reply segment first', async () => {
    run = await startQQTestRun();
    await run.channel.send(group, {
      text: '**Done**: see [the docs](https://example.com/a)',
      format: 'markdown',
      replyTo: '4242',
    });
    expect(run.fake.sent[0]?.segments).toEqual([
      { type: 'reply', data: { id: '4242' } },
      { type: 'text', data: { text: 'Done: see the docs (https://example.com/a)' } },
    ]);
    expect(run.fake.actions.at(-1)).toMatchObject({ action: 'send_group_msg', params: { group_id: 2002 } });
  });

  it('markdown that converts to nothing is sent as written rather than refused as empty', async () => {
    run = await startQQTestRun();
    await run.channel.send(group, { text: '```\n```', format: 'markdown' });
    expect(run.fake.sent.map((message) => message.text)).toEqual(['```\n```']);
  });

  it('plain text is sent as typed: CQ-looking text stays text in a segment', async () => {
    run = await startQQTestRun();
    await run.channel.send({ channel: 'qq', chatId: 'private:77' }, { text: '[CQ:at,qq=all] & *x*', format: 'plain' });
    expect(run.fake.sent[0]).toMatchObject({ chatId: 'private:77', text: '[CQ:at,qq=all] & *x*' });
  });

  it('an image file goes inline as base64, with its caption in the same message', async () => {
    run = await startQQTestRun();
    const data = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    const receipt = await run.channel.sendFile(group, { name: 'chart.png', data, mimeType: 'image/png', caption: 'the chart' });
    expect(run.fake.sent[0]).toMatchObject({
      messageId: Number(receipt.platformMessageId),
      text: 'the chart',
      images: [{ name: 'chart.png', size: 7 }],
    });
  });

  it('a failed retcode is a ChannelApiError with the wording; the mapping decides retry', async () => {
    run = await startQQTestRun();
    run.fake.failNext({ action: 'send_group_msg', retcode: 1403, wording: '机器人已被禁言' });
    const muted = await failureOf(run.channel.send(group, { text: 'hello', format: 'plain' }));
    expect(ChannelApiError.isInstance(muted) && { status: muted.status, retryable: muted.retryable }).toEqual({
      status: 403,
      retryable: false,
    });
    expect(String(muted)).toContain('机器人已被禁言');
    run.fake.failNext({ action: 'send_group_msg', retcode: 1200, wording: '发送失败' });
    const transient = await failureOf(run.channel.send(group, { text: 'hello', format: 'plain' }));
    expect(ChannelApiError.isInstance(transient) && transient.retryable).toBe(true);
  });

  it('an action answered async (retcode 1: accepted, done later) succeeds', async () => {
    run = await startQQTestRun();
    const receipt = await run.channel.send(group, { text: 'soon gone', format: 'plain' });
    run.fake.failNext({ action: 'delete_msg', retcode: 1, status: 'async' });
    await run.channel.delete(group, receipt.platformMessageId);
    expect(run.fake.actions.at(-1)).toMatchObject({ action: 'delete_msg', retcode: 1 });
  });

  it('deleting a message already gone resolves; a bad chat id is refused before anything is sent', async () => {
    run = await startQQTestRun();
    await run.channel.delete(group, '999999');
    const bad = await failureOf(run.channel.send({ channel: 'qq', chatId: '2002' }, { text: 'x', format: 'plain' }));
    expect(ChannelApiError.isInstance(bad) && bad.status).toBe(400);
    expect(run.fake.actions.map((action) => action.action)).toEqual(['get_login_info', 'delete_msg']);
  });
});
