import { randomBytes } from 'node:crypto';

/** A Telegram user as the Bot API writes it. */
export interface FakeTelegramUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
}

/** A Telegram chat as the Bot API writes it. */
export interface FakeTelegramChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  first_name?: string;
  username?: string;
  is_forum?: boolean;
}

/** A file the fake keeps, for `getFile` and the download URL. */
export interface FakeTelegramFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  data: Uint8Array;
  /** The size `getFile` and the message announce (the real size unless a test says otherwise). */
  announcedSize: number;
  name: string;
  mimeType: string;
}

/** A file a person attaches: sent as a document unless `as` says another kind. */
export interface FakeTelegramUpload {
  name: string;
  mimeType: string;
  data: Uint8Array;
  /** How the person sent it. @default 'document' */
  as?: 'document' | 'photo' | 'audio' | 'video' | 'voice';
  /** The size the platform announces, when a test wants it to lie. @default the real size */
  announcedSize?: number;
}

/** Chats, messages and files the fake platform knows, with Telegram's per-chat message ids. */
export function createFakeTelegramChats() {
  const chats = new Map<string, FakeTelegramChat>();
  const messages = new Map<string, Record<string, unknown>>();
  const nextMessageId = new Map<string, number>();
  const files = new Map<string, FakeTelegramFile>();
  let fileCounter = 0;

  return {
    chat(id: number | string, known?: Partial<FakeTelegramChat>): FakeTelegramChat {
      const key = String(id);
      const existing = chats.get(key);
      const chat: FakeTelegramChat = { ...(existing ?? { id: Number(id), type: 'private' }), ...known, id: Number(id) };
      chats.set(key, chat);
      return chat;
    },
    allocateMessageId(chatId: number | string): number {
      const key = String(chatId);
      const id = nextMessageId.get(key) ?? 1;
      nextMessageId.set(key, id + 1);
      return id;
    },
    remember(message: Record<string, unknown>): void {
      const chat = message.chat as FakeTelegramChat;
      messages.set(`${chat.id}:${String(message.message_id)}`, message);
    },
    message(chatId: number | string, messageId: number | string): Record<string, unknown> | undefined {
      return messages.get(`${Number(chatId)}:${Number(messageId)}`);
    },
    forget(chatId: number | string, messageId: number | string): boolean {
      return messages.delete(`${Number(chatId)}:${Number(messageId)}`);
    },
    addFile(upload: Omit<FakeTelegramUpload, 'as'>, folder: string): FakeTelegramFile {
      fileCounter += 1;
      const extension = /\.[A-Za-z0-9]{1,8}$/.exec(upload.name)?.[0] ?? '';
      const file: FakeTelegramFile = {
        file_id: `BQACAgIAAx-${fileCounter}-${randomBytes(6).toString('hex')}`,
        file_unique_id: `AgAD${fileCounter}`,
        file_path: `${folder}/file_${fileCounter}${extension}`,
        data: upload.data,
        announcedSize: upload.announcedSize ?? upload.data.length,
        name: upload.name,
        mimeType: upload.mimeType,
      };
      files.set(file.file_id, file);
      return file;
    },
    file(fileId: string): FakeTelegramFile | undefined {
      return files.get(fileId);
    },
    fileAt(path: string): FakeTelegramFile | undefined {
      for (const file of files.values()) if (file.file_path === path) return file;
      return undefined;
    },
  };
}

/** The chats, messages and files of one fake server. */
export type FakeTelegramChats = ReturnType<typeof createFakeTelegramChats>;

/** The message fields Telegram gives for a file, by how it was sent. */
export function fileFields(file: FakeTelegramFile, as: FakeTelegramUpload['as'] = 'document'): Record<string, unknown> {
  const base = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.announcedSize };
  switch (as) {
    case 'photo':
      return {
        photo: [
          {
            ...base,
            file_id: `${file.file_id}-small`,
            file_unique_id: `${file.file_unique_id}s`,
            width: 90,
            height: 60,
            file_size: 1,
          },
          { ...base, width: 1280, height: 853 },
        ],
      };
    case 'audio':
      return { audio: { ...base, duration: 3, file_name: file.name, mime_type: file.mimeType } };
    case 'video':
      return { video: { ...base, duration: 3, width: 640, height: 480, file_name: file.name, mime_type: file.mimeType } };
    case 'voice':
      return { voice: { ...base, duration: 3, mime_type: file.mimeType } };
    default:
      return { document: { ...base, file_name: file.name, mime_type: file.mimeType } };
  }
}
