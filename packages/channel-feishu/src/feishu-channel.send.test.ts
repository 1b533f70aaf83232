import { ChannelApiError } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type FeishuTestRun, startFeishuTestRun } from './testing/feishu-test-run';

let run: FeishuTestRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});
const address = { channel: 'feishu', chatId: 'oc_chat' };
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('[test] expected a refusal');
    },
    (error: unknown) => {
      if (!ChannelApiError.isInstance(error)) throw error;
      return error;
    },
  );

describe('feishu tenant access token', () => {
  it('a token Feishu stops accepting (99991663) is fetched again once and the call made again', async () => {
    run = await startFeishuTestRun();
    expect(run.fake.tokensIssued()).toBe(1);
    run.fake.revokeToken();
    const receipt = await run.channel.send(address, { text: 'after revocation', format: 'plain' });
    expect(receipt.platformMessageId).toMatch(/^om_/);
    expect(run.fake.tokensIssued()).toBe(2);
    expect(run.fake.sent().messages.map((message) => message.text)).toEqual(['after revocation']);
  });

  it('a token refused twice is a 401 and the channel reports failed', async () => {
    run = await startFeishuTestRun();
    run.fake.failNext('message.create', { code: 99991663, status: 400 }, { code: 99991663, status: 400 });
    const error = await refusal(run.channel.send(address, { text: 'x', format: 'plain' }));
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(run.fake.tokensIssued()).toBe(2);
    expect(run.statuses.at(-1)?.state).toBe('failed');
  });

  it('is cached until 3 minutes before its expiry on the injected clock, then fetched again', async () => {
    run = await startFeishuTestRun();
    await run.channel.send(address, { text: 'one', format: 'plain' });
    await run.clock.advance(7_200_000 - 4 * 60_000);
    await run.channel.send(address, { text: 'two', format: 'plain' });
    expect(run.fake.tokensIssued()).toBe(1);
    await run.clock.advance(2 * 60_000);
    await run.channel.send(address, { text: 'three', format: 'plain' });
    expect(run.fake.tokensIssued()).toBe(2);
  });

  it('a wrong app secret fails start with a 401 naming what to check', async () => {
    const error = await refusal(startFeishuTestRun({ appSecret: 'the-real-secret' }, { appSecret: 'wrong' }));
    expect(error.status).toBe(401);
    expect(error.message).toContain('FEISHU_APP_SECRET');
  });
});

describe('feishu sends', () => {
  it('plain text as a text message, markdown as a post; a mention tag in plain text is not read as one', async () => {
    run = await startFeishuTestRun();
    await run.channel.send(address, { text: 'hi <at user_id="all"></at>', format: 'plain' });
    await run.channel.send(address, { text: '**bold** and [a link](https://example.com)', format: 'markdown' });
    const [plain, post] = run.fake.calls('message.create').map((call) => call.body as { msg_type: string; content: string });
    expect(plain?.msg_type).toBe('text');
    expect(JSON.parse(plain?.content ?? '{}').text).toBe('hi <\u2060at user_id="all"><\u2060/at>');
    expect(post?.msg_type).toBe('post');
    expect(JSON.parse(post?.content ?? '{}').zh_cn.content).toEqual([
      [
        { tag: 'text', text: 'bold', style: ['bold'] },
        { tag: 'text', text: ' and ' },
        { tag: 'a', text: 'a link', href: 'https://example.com' },
      ],
    ]);
  });

  it('a reply uses message.reply; a thread replies in the thread; the idempotency key goes as uuid', async () => {
    run = await startFeishuTestRun();
    const first = await run.channel.send(address, { text: 'first', format: 'plain', idempotencyKey: 'row-1:0' });
    const again = await run.channel.send(address, { text: 'first', format: 'plain', idempotencyKey: 'row-1:0' });
    expect(again.platformMessageId).toBe(first.platformMessageId);
    await run.channel.send(address, { text: 'answer', format: 'plain', replyTo: first.platformMessageId });
    await run.channel.send({ ...address, threadId: first.platformMessageId }, { text: 'in thread', format: 'plain' });
    const sent = run.fake.sent().messages;
    expect(sent.map(({ text, replyTo, threadId }) => ({ text, replyTo, threadId }))).toEqual([
      { text: 'first', replyTo: undefined, threadId: undefined },
      { text: 'answer', replyTo: first.platformMessageId, threadId: undefined },
      { text: 'in thread', replyTo: undefined, threadId: first.platformMessageId },
    ]);
  });

  it('edits with PUT and deletes; deleting a message already gone resolves', async () => {
    run = await startFeishuTestRun();
    const receipt = await run.channel.send(address, { text: 'draft', format: 'plain' });
    await run.channel.edit(address, receipt.platformMessageId, '*final*', 'markdown');
    expect(run.fake.calls('message.update')).toHaveLength(1);
    await run.channel.delete(address, receipt.platformMessageId);
    await run.channel.delete(address, receipt.platformMessageId);
    expect(run.fake.sent().deletions).toEqual([{ chatId: 'oc_chat', messageId: receipt.platformMessageId }]);
  });

  it('the first message of a streamed reply is a card, updated by PATCH as often as the stream edits', async () => {
    run = await startFeishuTestRun();
    const receipt = await run.channel.send(address, { text: 'Thinking', format: 'plain', streaming: true });
    expect(run.fake.calls('message.create')[0]?.body).toMatchObject({ msg_type: 'interactive' });
    for (const step of ['Thinking.', 'Thinking..', 'Thinking...'])
      await run.channel.edit(address, receipt.platformMessageId, step, 'plain');
    await run.channel.edit(address, receipt.platformMessageId, '**Done**: <at user_id="all">x</at>', 'markdown');
    expect(run.fake.calls('message.patch')).toHaveLength(4);
    expect(run.fake.calls('message.update')).toHaveLength(0);
    expect(run.fake.sent().edits.map((edit) => [edit.text, edit.format])).toEqual([
      ['Thinking.', 'plain'],
      ['Thinking..', 'plain'],
      ['Thinking...', 'plain'],
      ['**Done**: <at user_id="all">x</at>', 'markdown'],
    ]);
    // The mention tag is neutralized in the card, as in a text message: no agent text mentions everyone.
    const lastPatch = run.fake.calls('message.patch').at(-1)?.body as { content?: string } | undefined;
    expect(String(lastPatch?.content)).toContain('<\u2060at');
  });

  it('a card sent before a restart is still edited by PATCH: the new adapter asks Feishu what the message is', async () => {
    run = await startFeishuTestRun();
    const receipt = await run.channel.send(address, { text: 'partial', format: 'plain', streaming: true });
    await run.channel.stop();
    const again = await startFeishuTestRun({}, { domain: run.fake.url, appId: run.fake.appId, appSecret: run.fake.appSecret });
    try {
      await again.channel.edit(address, receipt.platformMessageId, 'the final text', 'markdown');
      expect(run.fake.calls('message.patch')).toHaveLength(1);
      expect(run.fake.sent().edits.at(-1)).toMatchObject({ text: 'the final text', format: 'markdown' });
    } finally {
      await again.channel.stop();
      await again.fake.close();
    }
  });

  it('sends an image as an image message, with bytes intact', async () => {
    run = await startFeishuTestRun();
    const data = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 128, 7]);
    const receipt = await run.channel.sendFile(address, { name: 'dot.png', mimeType: 'image/png', data });
    expect(run.fake.calls('image.create')).toHaveLength(1);
    // Feishu keeps no name for an image: the fake shows its image_key.
    expect(run.fake.sent().files).toEqual([
      { chatId: 'oc_chat', messageId: receipt.platformMessageId, name: expect.stringMatching(/^img_/), size: 8 },
    ]);
  });
});

describe('feishu error mapping through the fake', () => {
  it('rate limit 99991400 is retryable with the reset time', async () => {
    run = await startFeishuTestRun();
    run.fake.failNext('message.create', { code: 99991400, retryAfterSeconds: 3 });
    const error = await refusal(run.channel.send(address, { text: 'x', format: 'plain' }));
    expect({ status: error.status, retryable: error.retryable, retryAfterMs: error.retryAfterMs }).toEqual({
      status: 429,
      retryable: true,
      retryAfterMs: 3000,
    });
  });

  it('230002 (bot not in the chat) and a missing scope are 403, naming the fix', async () => {
    run = await startFeishuTestRun();
    run.fake.failNext('message.create', { code: 230002, msg: 'Bot/User can NOT be out of the chat.' });
    const outside = await refusal(run.channel.send(address, { text: 'x', format: 'plain' }));
    expect(outside.status).toBe(403);
    expect(outside.message).toContain('add the bot to the group');
    run.fake.failNext('message.create', { code: 99991672, msg: 'Access denied', missingScopes: ['im:message:send_as_bot'] });
    const scope = await refusal(run.channel.send(address, { text: 'x', format: 'plain' }));
    expect(scope.status).toBe(403);
    expect(scope.message).toContain('im:message:send_as_bot');
  });

  it('an HTTP 503 is retryable; a plain refusal is not', async () => {
    run = await startFeishuTestRun();
    run.fake.failNext('message.create', { code: 1, status: 503, msg: 'unavailable' });
    expect((await refusal(run.channel.send(address, { text: 'x', format: 'plain' }))).retryable).toBe(true);
    run.fake.failNext('message.create', { code: 230001, msg: 'invalid receive_id' });
    const refused = await refusal(run.channel.send(address, { text: 'x', format: 'plain' }));
    expect({ status: refused.status, retryable: refused.retryable }).toEqual({ status: 400, retryable: false });
  });
});

describe('feishu downloads', () => {
  it('refuses past maxBytes from the announced length and streams the bytes otherwise', async () => {
    run = await startFeishuTestRun();
    const data = new Uint8Array(2048).fill(7);
    const key = run.fake.addResource({ data, kind: 'file' });
    const envelope = run.fake.postMessage({
      chatId: 'oc_chat',
      senderOpenId: 'ou_ann',
      messageType: 'file',
      content: { file_key: key, file_name: 'blob.bin' },
    });
    await run.webhook(run.fake.request(envelope));
    const attachment = run.received[0]?.attachments?.[0];
    if (!attachment) throw new Error('[test] no attachment');
    const tooLarge = await refusal(run.channel.fetchAttachment(attachment, { maxBytes: 1024 }));
    expect(tooLarge.status).toBe(413);
    const chunks: Uint8Array[] = [];
    for await (const chunk of await run.channel.fetchAttachment(attachment, { maxBytes: 4096 })) chunks.push(chunk);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(data));
    const missing = await refusal(
      run.channel.fetchAttachment(
        { ...attachment, reference: `${envelope.event.message ? 'om_x' : ''}/file/nope` },
        { maxBytes: 10 },
      ),
    );
    expect(missing.status).toBe(404);
  });
});
