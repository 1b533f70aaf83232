import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type QQTestRun, startQQTestRun } from './testing/qq-test-run';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('QQ inbound: OneBot v11 payloads replayed through the fake implementation', () => {
  let run: QQTestRun;
  afterEach(async () => run.close());

  // Each case: the payloads sent in order, then what `receive` got. A marker message after them proves
  // the dropped ones were dropped rather than late.
  const replay = async (...names: string[]) => {
    run = await startQQTestRun();
    for (const name of names) run.fake.injectEvent(fixture(name));
    run.fake.injectMessage({ chatId: 'private:5', userId: 5, message: 'marker' });
    await eventually(() => run.received.some((message) => message.text === 'marker'), 'the marker');
    return run.received.filter((message) => message.text !== 'marker');
  };

  it('a group message as segments @-ing the bot: group chat with its name, card as sender name, mention', async () => {
    const [message] = await replay('group-message-at-bot');
    expect(message).toEqual({
      channel: 'qq',
      chat: { id: 'group:987654321', name: 'Ops', isGroup: true },
      platformMessageId: '1876543210',
      sender: { id: '123456789', name: 'Ann (ops)' },
      text: '@ngb-bot deploy status?',
      mentionsBot: true,
      timestamp: 1764676800_000,
    });
  });

  it('a message as a CQ-code string: escapes decoded, reply id, @all (no mention of the bot), face kept readable', async () => {
    const [message] = await replay('group-message-cq-string');
    expect(message).toMatchObject({
      chat: { id: 'group:987654321', isGroup: true },
      platformMessageId: '1876543211',
      sender: { id: '123456789', name: 'Ann' },
      text: '@all rules: a[0] & b,c [face 178]',
      mentionsBot: false,
      replyTo: { id: '1876543000' },
    });
  });

  it('an image: an attachment with the URL as reference, the size announced, and a placeholder in the text', async () => {
    const [message] = await replay('private-message-image');
    expect(message).toMatchObject({ chat: { id: 'private:123456789', name: 'Ann', isGroup: false }, text: 'look[image]' });
    expect(message?.attachments).toEqual([
      {
        kind: 'image',
        name: '3A1F0C9E2B7D4A5C8E6F1D2B3C4A5E6F.jpg',
        mimeType: 'image/jpeg',
        size: 48213,
        reference: 'https://multimedia.nt.qq.com.cn/download?appid=1406&fileid=EhQ&rkey=CAQ',
      },
    ]);
  });

  it('faces, a file without a URL and unknown segments stay readable placeholders', async () => {
    const [message] = await replay('private-message-mixed');
    expect(message?.text).toBe('[face 14]see [file][card][poke_unknown_kind]');
    expect(message?.attachments).toBeUndefined();
  });

  it('recalls are deletions: group (by the operator) and friend', async () => {
    const messages = await replay('group-recall', 'friend-recall');
    expect(messages).toEqual([
      {
        kind: 'delete',
        channel: 'qq',
        chat: { id: 'group:987654321', isGroup: true },
        platformMessageId: '1876543210',
        sender: { id: '555000111' },
        text: '',
        mentionsBot: false,
        timestamp: 1764677040_000,
      },
      {
        kind: 'delete',
        channel: 'qq',
        chat: { id: 'private:123456789', isGroup: false },
        platformMessageId: '1876543212',
        sender: { id: '123456789' },
        text: '',
        mentionsBot: false,
        timestamp: 1764677100_000,
      },
    ]);
  });

  it("message_sent echoes of the bot's own sends and meta events are not handed on", async () => {
    expect(await replay('message-sent-own', 'heartbeat')).toEqual([]);
  });

  it("a reply to the bot's own message mentions the bot and names it as the author when it was seen", async () => {
    run = await startQQTestRun();
    const receipt = await run.channel.send(
      { channel: 'qq', chatId: 'group:987654321' },
      { text: 'the summary', format: 'plain' },
    );
    const reply = fixture('group-reply-to-bot');
    reply.message = [
      { type: 'reply', data: { id: receipt.platformMessageId } },
      { type: 'text', data: { text: 'and tomorrow?' } },
    ];
    run.fake.injectEvent(reply);
    const message = await eventually(() => run.received[0], 'the reply');
    expect(message).toMatchObject({ text: 'and tomorrow?', mentionsBot: true, replyTo: { id: receipt.platformMessageId } });
  });

  it('a reply to an earlier message names its author and text', async () => {
    run = await startQQTestRun();
    run.fake.injectEvent(fixture('group-message-at-bot'));
    await eventually(() => run.received[0], 'the first message');
    const reply = fixture('group-reply-to-bot');
    reply.message = `[CQ:reply,id=1876543210]and tomorrow?`;
    run.fake.injectEvent(reply);
    const message = await eventually(() => run.received[1], 'the reply');
    expect(message.replyTo).toEqual({
      id: '1876543210',
      author: { id: '123456789', name: 'Ann (ops)' },
      text: '@ngb-bot deploy status?',
    });
    expect(message.mentionsBot).toBe(false);
  });

  it('the same message in segment and CQ-string form reads the same', async () => {
    run = await startQQTestRun();
    const message = [
      { type: 'at', data: { qq: String(run.fake.selfId) } },
      { type: 'text', data: { text: ' [x] & y, z' } },
    ];
    run.fake.injectMessage({ chatId: 'group:2002', userId: 77, message });
    run.fake.injectMessage({ chatId: 'group:2002', userId: 77, message, asCqString: true });
    await eventually(() => run.received[1], 'both');
    expect(run.received.map(({ text, mentionsBot }) => ({ text, mentionsBot }))).toEqual([
      { text: '@10000 [x] & y, z', mentionsBot: true },
      { text: '@10000 [x] & y, z', mentionsBot: true },
    ]);
  });
});
