import type { Attachment, InboundMessage } from '@ngb/plugin-sdk';
import { XMLParser } from 'fast-xml-parser';

/** The prefix of a group chat's id (WeCom userids never hold `/`, so the two cannot meet). */
export const groupChatPrefix = 'group/';

const parser = new XMLParser({
  cdataPropName: '__cdata',
  parseTagValue: false,
  ignoreAttributes: true,
  processEntities: true,
  htmlEntities: false,
});

/** The fields of a WeCom XML document's `<xml>` root, as strings (CDATA kept exactly). */
export type WeComXmlFields = Record<string, string>;

/**
 * Parses a WeCom XML document (the outer callback or the decrypted message) into its root's fields.
 * Documents with a DOCTYPE are refused: WeCom never sends one, and entity declarations are a way to
 * blow up a parser.
 * @returns the fields, or undefined when the text is not a WeCom XML document
 */
export function parseWeComXml(text: string): WeComXmlFields | undefined {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return undefined;
  let parsed: unknown;
  try {
    parsed = parser.parse(text);
  } catch {
    return undefined;
  }
  const root = (parsed as { xml?: unknown } | undefined)?.xml;
  if (typeof root !== 'object' || root === null) return undefined;
  const fields: WeComXmlFields = {};
  for (const [key, value] of Object.entries(root as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = String(value);
    else if (typeof value === 'object' && value !== null && '__cdata' in value) {
      const cdata = (value as { __cdata: unknown }).__cdata;
      fields[key] = Array.isArray(cdata) ? cdata.map(String).join('') : String(cdata);
    }
  }
  return fields;
}

/** MIME types by file extension: WeCom's callback names a file but gives no type. */
const mimeTypes: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  md: 'text/markdown',
  json: 'application/json',
  pdf: 'application/pdf',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  mp4: 'video/mp4',
  amr: 'audio/amr',
};

function mimeTypeOf(name: string): string | undefined {
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : mimeTypes[extension];
}

function attachmentOf(fields: WeComXmlFields, id: string): Attachment | undefined {
  const reference = fields.MediaId;
  if (reference === undefined || reference === '') return undefined;
  switch (fields.MsgType) {
    case 'image':
      return { kind: 'image', name: `image-${id}.jpg`, mimeType: 'image/jpeg', reference };
    case 'voice':
      return { kind: 'audio', name: `voice-${id}.${(fields.Format ?? 'amr').toLowerCase()}`, reference };
    case 'video':
      return { kind: 'video', name: `video-${id}.mp4`, mimeType: 'video/mp4', reference };
    case 'file': {
      const name = fields.FileName ?? `file-${id}`;
      const mimeType = mimeTypeOf(name);
      return { kind: 'file', name, ...(mimeType === undefined ? {} : { mimeType }), reference };
    }
    default:
      return undefined;
  }
}

function textOf(fields: WeComXmlFields): string {
  switch (fields.MsgType) {
    case 'text':
      return fields.Content ?? '';
    case 'link':
      return [fields.Title, fields.Description, fields.Url].filter((part) => part !== undefined && part !== '').join('\n');
    case 'location':
      return `📍 ${fields.Label ?? ''} (${fields.Location_X ?? '?'}, ${fields.Location_Y ?? '?'})`.replace('📍  ', '📍 ');
    default:
      return '';
  }
}

const handledTypes = new Set(['text', 'image', 'voice', 'video', 'file', 'location', 'link']);

/**
 * A decrypted WeCom message → an inbound message. The chat is the sender (application messages are
 * 1:1) unless the message carries a `ChatId` (a group chat of the application: `group/<ChatId>`).
 * The platform id is `MsgId`, the same on every redelivery. Events (`MsgType` event: entering the
 * app, menu clicks) and unknown types carry no message: undefined.
 */
export function normalizeWeComMessage(fields: WeComXmlFields, channel: string): InboundMessage | undefined {
  const type = fields.MsgType ?? '';
  const sender = fields.FromUserName ?? '';
  const id = fields.MsgId ?? '';
  if (!handledTypes.has(type) || sender === '' || id === '') return undefined;
  const groupId = fields.ChatId;
  const isGroup = groupId !== undefined && groupId !== '';
  const seconds = Number(fields.CreateTime);
  const attachment = attachmentOf(fields, id);
  return {
    kind: 'message',
    channel,
    chat: { id: isGroup ? `${groupChatPrefix}${groupId}` : sender, isGroup },
    platformMessageId: id,
    sender: { id: sender },
    text: textOf(fields),
    // WeCom hands the application only what is addressed to it: in a group of the application too.
    mentionsBot: isGroup,
    ...(attachment ? { attachments: [attachment] } : {}),
    timestamp: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0,
  };
}
