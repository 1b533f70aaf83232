import { createHash } from 'node:crypto';
import {
  type Agent,
  type Attachment,
  type ChannelAdapter,
  canFetchFiles,
  type Logger,
  type Store,
  type StoredMessage,
} from '@ngb/plugin-sdk';
import type { EventBus } from './events';
import { formatTimestamp } from './format-messages';
import { safeFileName } from './safe-file-name';
import { saveInboxFile } from './save-inbox-file';

/** Where the agent folder is in every sandbox. */
export const workspaceAgentPath = '/workspace/agent';

/** Fetches the attachments of the messages a turn reads into the agent's inbox, and says where they are. */
export interface InboxAttachments {
  /**
   * One prompt line per attachment of `message`: where it was saved in the workspace, or why it was
   * not. Downloads only what no earlier try of the turn saved; never throws for a failed download.
   */
  describe(agent: Agent, sessionId: string, message: StoredMessage, signal?: AbortSignal): Promise<string[]>;
}

/** What {@link createInboxAttachments} needs. */
export interface InboxAttachmentsOptions {
  store: Pick<Store, 'chats'>;
  /** The running channels by name. */
  channels: ReadonlyMap<string, ChannelAdapter>;
  agentsDirectory: string;
  /** The most bytes saved of one attachment. */
  maxBytes: number;
  bus: EventBus;
  logger: Logger;
}

/**
 * The name an attachment gets in the inbox: its own name made safe, with a tag drawn from the stored
 * message's id and the attachment's place in it. The same attachment has the same name on every try
 * of a turn (so a retried turn finds it and downloads nothing), and two attachments of one day with
 * the same name never collide.
 */
function inboxFileName(messageId: string, index: number, attachment: Attachment): { shown: string; fileName: string } {
  const tag = createHash('sha256').update(`${messageId}:${index}`).digest('hex').slice(0, 8);
  return safeFileName(attachment.name, `-${tag}`);
}

/** Creates the inbox downloads of one gateway. */
export function createInboxAttachments(options: InboxAttachmentsOptions): InboxAttachments {
  const { bus, logger } = options;
  return {
    async describe(agent, sessionId, message, signal) {
      if (message.attachments.length === 0) return [];
      const chat = await options.store.chats.get(message.chatId);
      const channelName = chat?.channel ?? 'this channel';
      const adapter = chat ? options.channels.get(chat.channel) : undefined;
      const date = formatTimestamp(message.timestamp, agent.timezone).slice(0, 10);
      const lines: string[] = [];
      for (const [index, attachment] of message.attachments.entries()) {
        const { shown, fileName } = inboxFileName(message.id, index, attachment);
        const head = `${attachment.kind}: ${shown}`;
        const refuse = (reason: string) => {
          logger.warn('attachment not saved', { sessionId, messageId: message.id, name: shown, reason });
          bus.emit({ type: 'attachment.refused', sessionId, messageId: message.id, name: shown, reason });
        };
        if (!adapter || !canFetchFiles(adapter)) {
          refuse(`not downloadable from ${channelName}`);
          lines.push(`[${head} — not downloadable from ${channelName}]`);
          continue;
        }
        const result = await saveInboxFile({
          agentsDirectory: options.agentsDirectory,
          folder: agent.folder,
          date,
          fileName,
          maxBytes: options.maxBytes,
          download: () => adapter.fetchAttachment(attachment, { maxBytes: options.maxBytes, signal }),
        });
        if (result.status === 'refused') {
          refuse(result.reason);
          lines.push(`[${head} — not saved: ${result.reason}]`);
          continue;
        }
        const path = `${workspaceAgentPath}/${result.relativePath}`;
        if (result.status === 'saved') {
          logger.info('attachment saved', { sessionId, messageId: message.id, path, bytes: result.bytes });
          bus.emit({ type: 'attachment.saved', sessionId, messageId: message.id, name: shown, path, bytes: result.bytes });
        }
        lines.push(`[${head} — saved to ${path}]`);
      }
      return lines;
    },
  };
}
