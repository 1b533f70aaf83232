import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { type ChannelAdapter, canSendFiles, defineTool, errorMessage, type Tool } from '@ngb/plugin-sdk';
import type { EventBus } from './events';
import { readWorkspaceFile } from './read-workspace-file';
import { formatBytes } from './save-inbox-file';
import type { TurnInfo } from './turn-runner';

/**
 * The files each running turn has sent, so a turn run again (after a failure) does not send the same
 * file twice. Kept in this process: a turn resumed by another process, or after a crash, may send a
 * file once more (at least once, see docs/architecture.md).
 */
export interface SentFiles {
  has(turnId: string, key: string): boolean;
  add(turnId: string, key: string): void;
}

/** Creates the record of sent files, forgetting a turn once it ended for good. */
export function createSentFiles(bus: EventBus): SentFiles {
  const byTurn = new Map<string, Set<string>>();
  bus.on('turn.end', (event) => {
    if (event.status !== 'retrying') byTurn.delete(event.turnId);
  });
  return {
    has: (turnId, key) => byTurn.get(turnId)?.has(key) === true,
    add(turnId, key) {
      const keys = byTurn.get(turnId) ?? new Set<string>();
      keys.add(key);
      byTurn.set(turnId, keys);
    },
  };
}

/** What `send_file` needs. */
export interface SendFileToolOptions {
  /** The running channels by name. */
  channels: ReadonlyMap<string, ChannelAdapter>;
  agentsDirectory: string;
  /** The most bytes of one file. */
  maxBytes: number;
  sentFiles: SentFiles;
}

const mimeTypes: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.zip': 'application/zip',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.mp4': 'video/mp4',
};

/** The host tool `send_file`: a file of the workspace, with a caption, to the chat the turn answers. */
export function createSendFileTool(options: SendFileToolOptions, turn: TurnInfo): Tool {
  return defineTool<{ path: string; caption?: string }>({
    name: 'send_file',
    description:
      'Send a file of your workspace to the chat this turn answers, with an optional caption. The path is relative to your folder or absolute under /workspace/agent.',
    inputSchema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'The file, such as report.pdf or /workspace/agent/out/chart.png.' },
        caption: { type: 'string', description: 'Text shown with the file.' },
      },
      required: ['path'],
    },
    where: 'host',
    async execute(input) {
      const address = turn.origin;
      if (!address) return { output: 'not sent: this turn has no chat to send a file to', isError: true };
      const channel = options.channels.get(address.channel);
      if (!channel || !canSendFiles(channel))
        return { output: `not sent: the channel "${address.channel}" cannot send files`, isError: true };
      const found = readWorkspaceFile(options.agentsDirectory, turn.agent.folder, input.path, options.maxBytes);
      if (found.status === 'refused') return { output: `not sent: ${found.reason}`, isError: true };
      const size = formatBytes(found.data.length);
      const key = createHash('sha256')
        .update(JSON.stringify([found.relativePath, input.caption ?? null]))
        .update(found.data)
        .digest('hex');
      if (options.sentFiles.has(turn.turnId, key))
        return { output: `already sent ${found.relativePath} (${size}) with this caption in an earlier try of this turn` };
      const mimeType = mimeTypes[extname(found.name).toLowerCase()];
      try {
        await channel.sendFile(address, {
          name: found.name,
          data: found.data,
          ...(mimeType && { mimeType }),
          ...(input.caption !== undefined && { caption: input.caption }),
        });
      } catch (error) {
        return { output: `not sent: ${address.channel} refused ${found.relativePath} (${errorMessage(error)})`, isError: true };
      }
      options.sentFiles.add(turn.turnId, key);
      return { output: `sent ${found.relativePath} (${size}) to the chat` };
    },
  });
}
