import { expect, it } from 'vitest';
import {
  canDelete,
  canEdit,
  canFetchFiles,
  canHandleWebhooks,
  canSendFiles,
  canShowButtons,
  canType,
  hasThreads,
} from '../contracts/channel-capabilities';
import { ChannelApiError } from '../errors';
import type { ContractRun } from './channel-contract-run';
import type { ChannelHarness } from './channel-harness';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** Reads a download whole; a refusal surfaces whether it comes when opening or while reading. */
async function readAll(download: Promise<AsyncIterable<Uint8Array>>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of await download) chunks.push(chunk);
  const whole = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.length;
  }
  return whole;
}

/** The cases of optional capabilities and platform features; each skips itself when they are absent. */
export function describeCapabilityCases(harness: ChannelHarness, current: () => ContractRun): void {
  const started = async () => {
    const run = current();
    await run.adapter.start(run.context);
    return { run, address: { channel: run.adapter.name, chatId: run.platform.directChatId } };
  };

  it('typing: shows a typing indicator in the chat', async (test) => {
    const { run, address } = await started();
    if (!canType(run.adapter)) return test.skip('no TypingCapability');
    await run.adapter.sendTyping(address);
    expect((await harness.sent()).typing.map((typing) => typing.chatId)).toEqual([address.chatId]);
  });

  it('edit: replaces the text of a sent message, in the format asked', async (test) => {
    const { run, address } = await started();
    if (!canEdit(run.adapter)) return test.skip('no EditCapability');
    const receipt = await run.adapter.send(address, { text: 'draft', format: 'markdown' });
    await run.adapter.edit(address, receipt.platformMessageId, 'final words', 'markdown');
    await run.adapter.edit(address, receipt.platformMessageId, 'plain & <final>');
    expect((await harness.sent()).edits).toEqual([
      { chatId: address.chatId, platformMessageId: receipt.platformMessageId, text: 'final words', format: 'markdown' },
      { chatId: address.chatId, platformMessageId: receipt.platformMessageId, text: 'plain & <final>', format: 'plain' },
    ]);
  });

  it('delete: removes a sent message', async (test) => {
    const { run, address } = await started();
    if (!canDelete(run.adapter)) return test.skip('no DeleteCapability');
    const receipt = await run.adapter.send(address, { text: 'soon gone', format: 'plain' });
    await run.adapter.delete(address, receipt.platformMessageId);
    expect((await harness.sent()).deletions).toEqual([{ chatId: address.chatId, platformMessageId: receipt.platformMessageId }]);
  });

  it('files: sends a file with its name, size and caption', async (test) => {
    const { run, address } = await started();
    if (!canSendFiles(run.adapter)) return test.skip('no FilesCapability');
    const data = new TextEncoder().encode('line one\nline two\n');
    const receipt = await run.adapter.sendFile(address, {
      name: 'notes.txt',
      data,
      mimeType: 'text/plain',
      caption: 'the notes',
    });
    expect(receipt.platformMessageId).not.toBe('');
    expect((await harness.sent()).files).toEqual([
      {
        chatId: address.chatId,
        platformMessageId: receipt.platformMessageId,
        name: 'notes.txt',
        size: data.length,
        caption: 'the notes',
      },
    ]);
  });

  it('files in: an inbound file is reported with its name and type, downloads to the same bytes, and a download past maxBytes is refused with 413', async (test) => {
    const { run, address } = await started();
    if (!canFetchFiles(run.adapter)) return test.skip('no FetchFilesCapability');
    const data = new TextEncoder().encode('a,b\n1,2\n');
    await harness.injectInbound({
      chatId: address.chatId,
      sender: { id: '77', name: 'Ada' },
      text: 'the table',
      attachments: [{ name: 'table.csv', mimeType: 'text/csv', data }],
    });
    const inbound = await run.waitFor(() => run.received[0], 'the message with a file');
    const attachment = inbound.attachments?.[0];
    if (!attachment) throw new Error('[channel contract] the inbound message carries no attachment');
    expect(attachment).toMatchObject({ kind: 'file', name: 'table.csv', mimeType: 'text/csv' });
    expect(await readAll(run.adapter.fetchAttachment(attachment, { maxBytes: 1024 }))).toEqual(data);
    const refused = await readAll(run.adapter.fetchAttachment(attachment, { maxBytes: data.length - 1 })).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(ChannelApiError.isInstance(refused) && refused.status).toBe(413);
  });

  it('buttons: shows choices as buttons, and a press arrives as a choice from the person who pressed it', async (test) => {
    const { run, address } = await started();
    if (!canShowButtons(run.adapter)) return test.skip('no ButtonsCapability');
    if (!harness.pressButton)
      throw new Error('[contract] an adapter with buttons needs a harness that can press one (pressButton)');
    const choices = [
      { id: 'ask:contract-question:0', label: 'Yes' },
      { id: 'ask:contract-question:1', label: 'No, thanks' },
    ];
    const receipt = await run.adapter.send(address, { text: 'Shall I?', format: 'plain', choices });
    const shown = (await harness.sent()).messages.find((message) => message.platformMessageId === receipt.platformMessageId);
    expect(shown?.buttons).toEqual(choices);
    await harness.pressButton({
      chatId: address.chatId,
      platformMessageId: receipt.platformMessageId,
      choiceId: 'ask:contract-question:1',
      sender: { id: '77', name: 'Ann' },
    });
    const press = await run.waitFor(() => run.received[0], 'the press');
    expect(press).toMatchObject({
      kind: 'choice',
      choice: 'ask:contract-question:1',
      chat: { id: address.chatId },
      sender: { id: '77' },
    });
    expect(press.platformMessageId).not.toBe(receipt.platformMessageId);
  });

  it('threads: reports the thread of an inbound message and answers in it', async (test) => {
    const { run } = await started();
    if (!hasThreads(run.adapter)) return test.skip('no ThreadsCapability');
    const chatId = run.platform.groupChatId;
    await harness.injectInbound({ chatId, isGroup: true, threadId: 'thread-1', text: 'in a thread', sender: { id: '77' } });
    const inbound = await run.waitFor(() => run.received[0], 'the threaded message');
    expect(inbound.threadId).toBe('thread-1');
    await run.adapter.send(
      { channel: run.adapter.name, chatId, threadId: inbound.threadId },
      { text: 'answer', format: 'plain' },
    );
    expect((await harness.sent()).messages.map((message) => message.threadId)).toEqual(['thread-1']);
  });

  it('webhook: a signed request is answered 2xx only after receive resolved', async (test) => {
    const { run, address } = await started();
    if (!canHandleWebhooks(run.adapter)) return test.skip('no WebhookCapability');
    if (!harness.webhookRequest) throw new Error('[channel contract] a webhook adapter needs `webhookRequest` in its harness');
    const request = await harness.webhookRequest(
      { chatId: address.chatId, text: 'by webhook', sender: { id: '77' } },
      { signed: true },
    );
    const release = run.holdReceive();
    let answered = false;
    const answer = run.adapter.handleWebhook(request).finally(() => {
      answered = true;
    });
    await run.waitFor(() => (run.receiveCalls() > 0 ? true : undefined), 'the call to receive');
    for (let turn = 0; turn < 5; turn += 1) await nextTurn();
    expect(answered).toBe(false);
    release();
    const response = await answer;
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(300);
    expect(run.received.map((message) => message.text)).toEqual(['by webhook']);
  });

  it('webhook: a request with a wrong signature gets a 4xx and never reaches receive', async (test) => {
    const { run, address } = await started();
    if (!canHandleWebhooks(run.adapter)) return test.skip('no WebhookCapability');
    if (!harness.webhookRequest) throw new Error('[channel contract] a webhook adapter needs `webhookRequest` in its harness');
    const request = await harness.webhookRequest(
      { chatId: address.chatId, text: 'forged', sender: { id: '77' } },
      { signed: false },
    );
    const response = await run.adapter.handleWebhook(request);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(run.receiveCalls()).toBe(0);
  });

  it('webhook: a request receive could not store gets a 5xx, so the platform retries', async (test) => {
    const { run, address } = await started();
    if (!canHandleWebhooks(run.adapter)) return test.skip('no WebhookCapability');
    if (!harness.webhookRequest) throw new Error('[channel contract] a webhook adapter needs `webhookRequest` in its harness');
    run.failReceive(new Error('disk full'));
    const request = await harness.webhookRequest(
      { chatId: address.chatId, text: 'lost?', sender: { id: '77' } },
      { signed: true },
    );
    const response = await run.adapter.handleWebhook(request);
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(run.receiveCalls()).toBe(1);
  });

  it('markup: resends as plain text what the platform rejects as markup', async (test) => {
    const { run, address } = await started();
    const text = run.platform.rejectedMarkup;
    if (text === undefined) return test.skip('the harness names no markup its platform rejects');
    const receipt = await run.adapter.send(address, { text, format: 'markdown' });
    const { messages } = await harness.sent();
    expect(messages.map(({ text, format, platformMessageId }) => ({ text, format, platformMessageId }))).toEqual([
      { text, format: 'plain', platformMessageId: receipt.platformMessageId },
    ]);
  });

  it('replies: names the message replied to, with its author and text when given', async (test) => {
    const { run, address } = await started();
    if (!run.platform.replies) return test.skip('the harness says its platform has no replies');
    await harness.injectInbound({ chatId: address.chatId, text: 'the question', sender: { id: '77', name: 'Ann' } });
    const first = await run.waitFor(() => run.received[0], 'the first message');
    await harness.injectInbound({
      chatId: address.chatId,
      text: 'the answer',
      sender: { id: '78' },
      replyTo: first.platformMessageId,
    });
    const reply = await run.waitFor(() => run.received[1], 'the reply');
    expect(reply.replyTo?.id).toBe(first.platformMessageId);
    if (reply.replyTo?.author !== undefined) expect(reply.replyTo.author.id).toBe('77');
    if (reply.replyTo?.text !== undefined) expect('the question').toContain(reply.replyTo.text);
  });

  it('inbound edits: reports an edit as its own kind, naming the edited message', async (test) => {
    const { run, address } = await started();
    if (!run.platform.edits) return test.skip('the harness says its platform reports no edits');
    await harness.injectInbound({ chatId: address.chatId, text: 'first words', sender: { id: '77' } });
    const original = await run.waitFor(() => run.received[0], 'the message');
    const messageId = original.platformMessageId;
    await harness.injectInbound({ kind: 'edit', chatId: address.chatId, messageId, text: 'better words', sender: { id: '77' } });
    const edit = await run.waitFor(() => run.received[1], 'the edit');
    expect(edit).toMatchObject({
      kind: 'edit',
      platformMessageId: messageId,
      text: 'better words',
      chat: { id: address.chatId },
    });
  });

  it('inbound deletions: reports a deletion as its own kind, naming the removed message', async (test) => {
    const { run, address } = await started();
    if (!run.platform.deletions) return test.skip('the harness says its platform reports no deletions');
    await harness.injectInbound({ chatId: address.chatId, text: 'regrettable', sender: { id: '77' } });
    const original = await run.waitFor(() => run.received[0], 'the message');
    const messageId = original.platformMessageId;
    await harness.injectInbound({ kind: 'delete', chatId: address.chatId, messageId, text: '', sender: { id: '77' } });
    const deletion = await run.waitFor(() => run.received[1], 'the deletion');
    expect(deletion).toMatchObject({ kind: 'delete', platformMessageId: messageId, text: '', chat: { id: address.chatId } });
  });
}
