import { readFileSync } from 'node:fs';
import type { FakeFeishuEnvelope } from '@ngb/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FeishuTestRun, startFeishuTestRun } from './testing/feishu-test-run';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8')) as FakeFeishuEnvelope;

describe.each([
  { title: 'plain', encryptKey: undefined },
  { title: 'encrypted', encryptKey: 'fixture-encrypt-key' },
])('feishu fixtures replayed through the webhook ($title)', ({ encryptKey }) => {
  let run: FeishuTestRun;
  beforeEach(async () => {
    run = await startFeishuTestRun({
      ...(encryptKey ? { encryptKey } : {}),
      users: { ou_84aad35d084aa403a838cf73ee18467: 'Ann' },
    });
  });
  afterEach(() => run.close());

  const replay = async (name: string) => {
    const response = await run.webhook(run.fake.request(fixture(name)));
    expect(response.status).toBe(200);
    return run.received.at(-1);
  };

  it('a direct text message', async () => {
    expect(await replay('p2p-text')).toEqual({
      kind: 'message',
      channel: 'feishu',
      chat: { id: 'oc_5ce6d572455d361153b7xx51da133945', isGroup: false },
      platformMessageId: 'om_5ce6d572455d361153b7cb51da133945',
      sender: { id: 'ou_84aad35d084aa403a838cf73ee18467', name: 'Ann', isBot: false },
      text: 'hello & <world>',
      mentionsBot: false,
      timestamp: 1733130000123,
    });
  });

  it('a group message mentioning the bot: placeholders become names, mentionsBot from the open_id', async () => {
    const message = await replay('group-mention');
    expect(message).toMatchObject({
      chat: { id: 'oc_group_1', isGroup: true },
      text: '@ngb what is the weather, ask @Bo',
      mentionsBot: true,
    });
  });

  it('a post: paragraphs as lines, at as @name, its image as an attachment', async () => {
    const message = await replay('post');
    expect(message?.text).toBe('Plan\nstep one link\n@ngb please');
    expect(message?.attachments).toEqual([{ kind: 'image', reference: 'om_post_1/image/img_v2_post_1' }]);
  });

  it('an image and a file become attachments naming their resource', async () => {
    expect((await replay('image'))?.attachments).toEqual([
      { kind: 'image', reference: 'om_image_1/image/img_v2_041b28e3-5680-48c2-9af2-497ace79333g' },
    ]);
    expect((await replay('file'))?.attachments).toEqual([
      { kind: 'file', name: 'report.pdf', mimeType: 'application/pdf', reference: 'om_file_1/file/file_v2_1' },
    ]);
  });

  it('a reply names its parent; a message in a topic carries the root as its thread', async () => {
    const reply = await replay('reply');
    expect(reply?.replyTo).toEqual({ id: 'om_root_1' });
    expect(reply?.threadId).toBeUndefined();
    const threaded = await replay('thread');
    expect(threaded).toMatchObject({ threadId: 'om_thread_root', replyTo: { id: 'om_thread_1' } });
  });

  it("another bot's message is ignored, a recall is a deletion", async () => {
    await replay('other-bot');
    expect(run.received).toEqual([]);
    expect(await replay('recalled')).toMatchObject({
      kind: 'delete',
      platformMessageId: 'om_5ce6d572455d361153b7cb51da133945',
      chat: { id: 'oc_5ce6d572455d361153b7xx51da133945' },
      text: '',
    });
  });
});
