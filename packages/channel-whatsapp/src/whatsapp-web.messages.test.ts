import type { WAMessage } from 'baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWhatsAppTestContext } from './testing/whatsapp-test-context';
import { createWhatsAppWebHarness } from './testing/whatsapp-web-harness';

const bot = '15550001111@s.whatsapp.net';
const group = '120363041234567890@g.us';

describe('WhatsApp Web messages, through the recording stand-in for the Baileys socket', () => {
  const harness = createWhatsAppWebHarness();
  let test: ReturnType<typeof createWhatsAppTestContext>;
  const socket = () => {
    const last = harness.sockets.at(-1);
    if (!last) throw new Error('[test] no socket');
    return last;
  };
  const upsert = async (...messages: WAMessage[]) => {
    const before = test.received.length;
    socket().emit('messages.upsert', { type: 'notify', messages });
    await new Promise((resolve) => setTimeout(resolve, 20));
    return test.received.slice(before);
  };

  beforeEach(async () => {
    await harness.create();
    test = createWhatsAppTestContext();
    await harness.channel.start(test.context);
  });
  afterEach(async () => {
    await harness.channel.stop();
    await harness.dispose?.();
  });

  it('maps a group message mentioning the bot, a DM from a LID, and ignores its own and protocol messages', async () => {
    const received = await upsert(
      {
        key: { remoteJid: group, id: 'G1', fromMe: false, participant: '16505551234:3@s.whatsapp.net' },
        pushName: 'Sheena',
        messageTimestamp: 1_750_000_000,
        message: { extendedTextMessage: { text: '@15550001111 deploy please', contextInfo: { mentionedJid: [bot] } } },
      },
      {
        key: { remoteJid: '88224466@lid', id: 'L1', fromMe: false },
        messageTimestamp: 1_750_000_001,
        message: { conversation: 'hi from a lid' },
      },
      { key: { remoteJid: '16505551234@s.whatsapp.net', id: 'OWN', fromMe: true }, message: { conversation: 'mine' } },
      {
        key: { remoteJid: '16505551234@s.whatsapp.net', id: 'P1', fromMe: false },
        message: { protocolMessage: { type: 14, key: { id: 'G1' }, editedMessage: { conversation: 'x' } } },
      },
      {
        key: { remoteJid: 'status@broadcast', id: 'S1', fromMe: false, participant: '1@s.whatsapp.net' },
        message: { conversation: 'story' },
      },
    );
    expect(received).toEqual([
      {
        kind: 'message',
        channel: 'whatsapp',
        chat: { id: group, isGroup: true, name: 'group 120363041234567890' },
        platformMessageId: 'G1',
        sender: { id: '16505551234', name: 'Sheena', isBot: false },
        text: '@15550001111 deploy please',
        mentionsBot: true,
        timestamp: 1_750_000_000_000,
      },
      {
        kind: 'message',
        channel: 'whatsapp',
        chat: { id: '88224466@lid', isGroup: false },
        platformMessageId: 'L1',
        sender: { id: '88224466@lid', isBot: false },
        text: 'hi from a lid',
        mentionsBot: false,
        timestamp: 1_750_000_001_000,
      },
    ]);
  });

  it('a reply quoting the bot names the quoted message and counts as a mention; a LID mention of the bot counts too', async () => {
    const [reply, lidMention] = await upsert(
      {
        key: { remoteJid: group, id: 'R1', fromMe: false, participant: '16505551234@s.whatsapp.net' },
        message: {
          extendedTextMessage: {
            text: 'and then?',
            contextInfo: {
              stanzaId: '3EB0AB',
              participant: '15550001111:7@s.whatsapp.net',
              quotedMessage: { conversation: 'step one' },
            },
          },
        },
      },
      {
        key: { remoteJid: group, id: 'R2', fromMe: false, participant: '16505551234@s.whatsapp.net' },
        message: { extendedTextMessage: { text: '@bot', contextInfo: { mentionedJid: ['210987654321@lid'] } } },
      },
    );
    expect(reply).toMatchObject({
      mentionsBot: true,
      replyTo: { id: '3EB0AB', author: { id: '15550001111' }, text: 'step one' },
    });
    expect(lidMention?.mentionsBot).toBe(true);
  });

  it('reports edits and revokes as Baileys emits them (messages.update)', async () => {
    const key = { remoteJid: '16505551234@s.whatsapp.net', id: 'E1', fromMe: false };
    socket().emit('messages.update', [
      {
        key,
        update: {
          message: { editedMessage: { message: { protocolMessage: { type: 14, editedMessage: { conversation: 'fixed' } } } } },
        },
      },
      { key, update: { message: null, messageStubType: 1, key } },
      { key, update: { status: 4 } },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(test.received.map(({ kind, platformMessageId, text, chat }) => ({ kind, platformMessageId, text, chat }))).toEqual([
      { kind: 'edit', platformMessageId: 'E1', text: 'fixed', chat: { id: '16505551234', isGroup: false } },
      { kind: 'delete', platformMessageId: 'E1', text: '', chat: { id: '16505551234', isGroup: false } },
    ]);
  });

  it('an image with a caption becomes text and an attachment, fetched through Baileys within maxBytes', async () => {
    harness.media.set('I1', new Uint8Array(50));
    const [image] = await upsert({
      key: { remoteJid: '16505551234@s.whatsapp.net', id: 'I1', fromMe: false },
      message: { imageMessage: { caption: 'the plot', mimetype: 'image/jpeg', fileLength: 50 } },
    });
    const attachment = image?.attachments?.[0];
    expect(image?.text).toBe('the plot');
    expect(attachment).toEqual({ kind: 'image', reference: '16505551234/I1', mimeType: 'image/jpeg', size: 50 });
    if (!attachment) return;
    await expect(harness.channel.fetchAttachment(attachment, { maxBytes: 49 })).rejects.toMatchObject({ status: 413 });
    await expect(
      harness.channel.fetchAttachment({ ...attachment, size: undefined }, { maxBytes: 49 }).then(async (stream) => {
        for await (const _chunk of stream);
      }),
    ).rejects.toMatchObject({ status: 413 });
    await expect(
      harness.channel.fetchAttachment({ kind: 'file', reference: '1/unknown' }, { maxBytes: 49 }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('sends with the calls Baileys expects: text quoting the message replied to, edit, delete, typing, files', async () => {
    const [question] = await upsert({
      key: { remoteJid: '16505551234@s.whatsapp.net', id: 'Q1', fromMe: false },
      message: { conversation: 'q?' },
    });
    const address = { channel: 'whatsapp', chatId: '16505551234' };
    const receipt = await harness.channel.send(address, {
      text: '**yes**',
      format: 'markdown',
      replyTo: question?.platformMessageId,
    });
    await harness.channel.edit(address, receipt.platformMessageId, 'no', 'plain');
    await harness.channel.delete(address, receipt.platformMessageId);
    await harness.channel.sendTyping(address);
    await harness.channel.sendFile(address, {
      name: 'a.pdf',
      data: new Uint8Array(3),
      mimeType: 'application/pdf',
      caption: 'doc',
    });
    await harness.channel.sendFile(
      { ...address, chatId: group },
      { name: 'p.png', data: new Uint8Array(2), mimeType: 'image/png' },
    );
    const jid = '16505551234@s.whatsapp.net';
    const ownKey = { remoteJid: jid, id: receipt.platformMessageId, fromMe: true };
    expect(
      socket().calls.map((call) =>
        call.method === 'sendMessage' ? { jid: call.jid, content: call.content, quoted: call.quoted?.key.id } : call,
      ),
    ).toEqual([
      { jid, content: { text: '*yes*' }, quoted: 'Q1' },
      { jid, content: { text: 'no', edit: ownKey }, quoted: undefined },
      { jid, content: { delete: ownKey }, quoted: undefined },
      { method: 'sendPresenceUpdate', type: 'composing', jid },
      {
        jid,
        content: { document: Buffer.from(new Uint8Array(3)), fileName: 'a.pdf', mimetype: 'application/pdf', caption: 'doc' },
        quoted: undefined,
      },
      { jid: group, content: { image: Buffer.from(new Uint8Array(2)), mimetype: 'image/png' }, quoted: undefined },
    ]);
  });

  it('maps a failed send to a ChannelApiError, and refuses to send while disconnected', async () => {
    socket().failNext(Object.assign(new Error('Connection Closed'), { output: { statusCode: 428 } }));
    await expect(
      harness.channel.send({ channel: 'whatsapp', chatId: '1' }, { text: 'x', format: 'plain' }),
    ).rejects.toMatchObject({
      status: 428,
      retryable: true,
    });
    socket().close(428);
    await expect(
      harness.channel.send({ channel: 'whatsapp', chatId: '1' }, { text: 'x', format: 'plain' }),
    ).rejects.toMatchObject({
      status: 503,
      retryable: true,
    });
  });
});
