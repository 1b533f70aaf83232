// Test support: the channel contract's harness for the web mode, through the recording stand-in for
// Baileys' socket (see recording-whatsapp-socket.ts): people's messages are emitted as Baileys emits
// them (`messages.upsert`, `messages.update`), and sends are read from the calls the channel made.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChannelHarness, HarnessSent } from '@ngb/plugin-sdk/testing';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { renderWhatsAppText } from '@ngb/testing';
import type { proto, WAMessage } from 'baileys';
import { createWhatsAppChannel } from '../whatsapp-channel';
import type { WhatsAppChannelOptions } from '../whatsapp-options';
import type { WhatsAppWebChannel } from '../whatsapp-web-channel';
import { createRecordingWhatsAppSocket, type RecordingWhatsAppSocket } from './recording-whatsapp-socket';

const jidOf = (id: string) => (id.includes('@') ? id : `${id}@s.whatsapp.net`);
const userOf = (jid: string) => jid.replace(/@s\.whatsapp\.net$/, '');

/** The web-mode harness; `sockets` are the stand-ins the channel opened, the last one in use. */
export function createWhatsAppWebHarness(options: Partial<WhatsAppChannelOptions> = {}): ChannelHarness & {
  readonly channel: WhatsAppWebChannel;
  readonly sockets: RecordingWhatsAppSocket[];
  media: Map<string, Uint8Array>;
} {
  let channel: WhatsAppWebChannel | undefined;
  let directory: string | undefined;
  const sockets: RecordingWhatsAppSocket[] = [];
  const media = new Map<string, Uint8Array>();
  const posted = new Map<string, { author: string; text: string }>();
  const formats = new Map<string, 'markdown' | 'plain'>();
  const editFormats: Array<'markdown' | 'plain'> = [];
  let counter = 0;
  const socket = () => {
    const last = sockets.at(-1);
    if (!last) throw new Error('[test] the channel opened no socket');
    return last;
  };
  return {
    get channel() {
      if (!channel) throw new Error('[test] call create() first');
      return channel;
    },
    sockets,
    media,
    platform: {
      directChatId: '77',
      groupChatId: '120363041234567890@g.us',
      echoesOwnMessages: false,
      replies: true,
      edits: true,
      deletions: true,
    },
    async create() {
      if (directory) rmSync(directory, { recursive: true, force: true });
      directory = mkdtempSync(join(tmpdir(), 'ngb-whatsapp-web-'));
      sockets.length = 0;
      media.clear();
      posted.clear();
      formats.clear();
      editFormats.length = 0;
      const created = createWhatsAppChannel(
        { mode: 'web', authDirectory: join(directory, 'auth'), clock: createManualClock(), ...options },
        {
          async createSocket() {
            const next = createRecordingWhatsAppSocket();
            sockets.push(next);
            // A linked device: the connection opens right after the socket is made.
            setImmediate(() => next.open());
            return next;
          },
          async downloadMedia(message) {
            const data = media.get(message.key.id ?? '') ?? new Uint8Array();
            return (async function* () {
              yield data;
            })();
          },
        },
      ) as WhatsAppWebChannel;
      // A WhatsApp text carries no format flag: the harness notes the format each call asked for.
      const send = created.send.bind(created);
      created.send = async (address, message) => {
        const receipt = await send(address, message);
        formats.set(receipt.platformMessageId, message.format);
        return receipt;
      };
      const edit = created.edit.bind(created);
      created.edit = async (address, platformMessageId, text, format = 'plain') => {
        await edit(address, platformMessageId, text, format);
        editFormats.push(format);
      };
      channel = created;
      return created;
    },
    async injectInbound(input) {
      const current = socket();
      const remoteJid = jidOf(input.chatId);
      counter += 1;
      const key = {
        remoteJid,
        fromMe: false,
        id: input.messageId ?? `ABCD${counter}`,
        ...(input.isGroup ? { participant: jidOf(input.sender.id) } : {}),
      };
      const timestamp = Math.floor(Date.now() / 1000);
      if (input.kind === 'edit') {
        current.emit('messages.update', [
          {
            key: { ...key, id: input.messageId },
            update: { message: { editedMessage: { message: { conversation: input.text } } }, messageTimestamp: timestamp },
          },
        ]);
        return;
      }
      if (input.kind === 'delete') {
        current.emit('messages.update', [
          { key: { ...key, id: input.messageId }, update: { message: null, messageStubType: 1 } },
        ]);
        return;
      }
      const quoted = input.replyTo === undefined ? undefined : posted.get(input.replyTo);
      let message: proto.IMessage;
      const [file] = input.attachments ?? [];
      if (file) {
        media.set(key.id, file.data);
        message = {
          documentMessage: { fileName: file.name, mimetype: file.mimeType, fileLength: file.data.length, caption: input.text },
        };
      } else if (input.replyTo !== undefined) {
        message = {
          extendedTextMessage: {
            text: input.text,
            contextInfo: {
              stanzaId: input.replyTo,
              ...(quoted ? { participant: jidOf(quoted.author), quotedMessage: { conversation: quoted.text } } : {}),
            },
          },
        };
      } else message = { conversation: input.text };
      posted.set(key.id, { author: input.sender.id, text: input.text });
      const waMessage = {
        key,
        message,
        messageTimestamp: timestamp,
        ...(input.sender.name ? { pushName: input.sender.name } : {}),
      } as WAMessage;
      current.emit('messages.upsert', { messages: [waMessage], type: 'notify' });
    },
    async sent(): Promise<HarnessSent> {
      const sent: HarnessSent = { messages: [], edits: [], deletions: [], typing: [], files: [] };
      for (const current of sockets) {
        for (const call of current.calls) {
          if (call.method === 'sendPresenceUpdate' && call.type === 'composing' && call.jid)
            sent.typing.push({ chatId: userOf(call.jid) });
          if (call.method !== 'sendMessage') continue;
          const content = call.content as Record<string, unknown>;
          const chatId = userOf(call.jid);
          if ('delete' in content) {
            sent.deletions.push({ chatId, platformMessageId: String((content.delete as { id?: string }).id) });
          } else if ('edit' in content) {
            const text = String(content.text);
            sent.edits.push({
              chatId,
              platformMessageId: String((content.edit as { id?: string }).id),
              text: renderWhatsAppText(text).text,
              format: editFormats[sent.edits.length] ?? 'markdown',
            });
          } else if ('document' in content || 'image' in content) {
            const data = (content.document ?? content.image) as Uint8Array;
            const caption = typeof content.caption === 'string' ? renderWhatsAppText(content.caption).text : undefined;
            sent.files.push({
              chatId,
              platformMessageId: call.id,
              name: String(content.fileName ?? ''),
              size: data.length,
              ...(caption === undefined ? {} : { caption }),
            });
          } else {
            sent.messages.push({
              chatId,
              platformMessageId: call.id,
              text: renderWhatsAppText(String(content.text)).text,
              format: formats.get(call.id) ?? 'markdown',
              ...(call.quoted?.key.id ? { replyTo: call.quoted.key.id } : {}),
            });
          }
        }
      }
      return sent;
    },
    async dispose() {
      if (directory) rmSync(directory, { recursive: true, force: true });
      directory = undefined;
    },
  };
}
