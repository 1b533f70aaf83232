import type { Attachment, InboundMessage } from '@ngb/plugin-sdk';
import type { DingTalkChatRoute } from './dingtalk-outbound';

/** An inbound robot message normalized, with what it says about answering its chat. */
export interface DingTalkInbound {
  message: InboundMessage;
  route: DingTalkChatRoute;
}

const mimeTypes: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  md: 'text/markdown',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

function fileAttachment(content: Record<string, unknown>): Attachment | undefined {
  const reference = text(content.downloadCode);
  if (!reference) return undefined;
  const name = text(content.fileName);
  const extension = name?.split('.').pop()?.toLowerCase() ?? '';
  const mimeType = mimeTypes[extension];
  return { kind: 'file', reference, ...(name ? { name } : {}), ...(mimeType ? { mimeType } : {}) };
}

function picture(content: Record<string, unknown>): Attachment | undefined {
  const reference = text(content.downloadCode);
  return reference ? { kind: 'image', reference } : undefined;
}

/** Text and attachments of each `msgtype`; undefined for kinds the robot does not read. */
function body(data: Record<string, unknown>): { text: string; attachments: Attachment[] } | undefined {
  const content = record(data.content);
  switch (data.msgtype) {
    case 'text':
      return { text: text(record(data.text).content) ?? '', attachments: [] };
    case 'richText': {
      const parts = Array.isArray(content.richText) ? content.richText.map(record) : [];
      const attachments = parts.filter((part) => part.type === 'picture').flatMap((part) => picture(part) ?? []);
      return { text: parts.map((part) => text(part.text) ?? '').join(''), attachments };
    }
    case 'picture':
      return { text: '', attachments: picture(content) ? [picture(content) as Attachment] : [] };
    case 'file':
      return { text: '', attachments: fileAttachment(content) ? [fileAttachment(content) as Attachment] : [] };
    case 'audio': {
      const reference = text(content.downloadCode);
      return { text: text(content.recognition) ?? '', attachments: reference ? [{ kind: 'audio', reference }] : [] };
    }
    case 'video': {
      const reference = text(content.downloadCode);
      return { text: '', attachments: reference ? [{ kind: 'video', reference }] : [] };
    }
    default:
      return undefined;
  }
}

/**
 * A robot message of DingTalk's Stream mode (the CALLBACK frame's `data`, parsed) → an inbound
 * message. The sender is the person's `senderId` (stable for this app); a 1:1 chat's id is the
 * person's staff id (`senderStaffId`, what the 1:1 send API takes), a group's its `conversationId`. In a group the robot only receives messages that @ it: `mentionsBot` follows
 * `isInAtList`, and the leading `@robot` is removed when the robot is the only one mentioned.
 * @returns undefined for a payload without the fields every robot message has, or a kind it cannot read
 */
export function normalizeDingTalkMessage(raw: unknown, now: () => number): DingTalkInbound | undefined {
  const data = record(raw);
  const messageId = text(data.msgId);
  const conversationId = text(data.conversationId);
  const senderId = text(data.senderId);
  if (!messageId || !conversationId || !senderId) return undefined;
  const staffId = text(data.senderStaffId);
  const content = body(data);
  if (!content) return undefined;
  const isGroup = data.conversationType === '2';
  const atUsers = Array.isArray(data.atUsers) ? data.atUsers.map(record) : [];
  const onlyRobotMentioned = atUsers.length === 1 && atUsers[0]?.dingtalkId === data.chatbotUserId;
  let messageText = content.text;
  if (isGroup && onlyRobotMentioned) messageText = messageText.replace(/^\s*@\S+\s?/, '');
  messageText = messageText.trim();
  const name = text(data.senderNick);
  const chatName = isGroup ? text(data.conversationTitle) : name;
  const webhook = text(data.sessionWebhook);
  const expiresAt = typeof data.sessionWebhookExpiredTime === 'number' ? data.sessionWebhookExpiredTime : undefined;
  return {
    message: {
      channel: 'dingtalk',
      chat: { id: isGroup ? conversationId : staffId || senderId, isGroup, ...(chatName ? { name: chatName } : {}) },
      platformMessageId: messageId,
      sender: { id: senderId, ...(name ? { name } : {}), isBot: false },
      text: messageText,
      mentionsBot: isGroup && data.isInAtList === true,
      ...(content.attachments.length > 0 ? { attachments: content.attachments } : {}),
      timestamp: typeof data.createAt === 'number' ? data.createAt : now(),
    },
    route: { isGroup, ...(webhook && expiresAt !== undefined ? { sessionWebhook: { url: webhook, expiresAt } } : {}) },
  };
}
