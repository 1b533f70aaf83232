import type { Logger } from '@ngb/plugin-sdk';
import { readAgentFile } from './read-agent-file';

/** Reads agent files for prompts, logging each problem once rather than at every turn. */
export interface AgentFileReader {
  /**
   * The text of a file under the agents folder, trimmed: empty when it is missing or refused (a
   * link, FIFO, device...), cut at the size cap with a note saying so.
   */
  read(relativePath: string): Promise<string>;
}

/** Creates the reader of one gateway. */
export function createAgentFileReader(options: { agentsDirectory: string; maxBytes: number; logger: Logger }): AgentFileReader {
  const { agentsDirectory, maxBytes, logger } = options;
  // path → the problem last reported for it; a problem is logged again only after the file was fine.
  const reported = new Map<string, string>();
  const report = (path: string, problem: string, log: () => void) => {
    if (reported.get(path) === problem) return;
    reported.set(path, problem);
    log();
  };
  return {
    async read(relativePath) {
      const found = await readAgentFile(agentsDirectory, relativePath, { maxBytes });
      if (found.status === 'missing') {
        reported.delete(relativePath);
        return '';
      }
      if (found.status === 'refused') {
        report(relativePath, found.reason, () =>
          logger.warn('agent file skipped: the host reads only regular files in agent folders and follows no links', {
            path: relativePath,
            reason: found.reason,
            detail: found.detail,
          }),
        );
        return '';
      }
      if (!found.truncated) {
        reported.delete(relativePath);
        return found.text.trim();
      }
      report(relativePath, 'truncated', () =>
        logger.warn('agent file truncated at the size cap', { path: relativePath, maxBytes }),
      );
      return `${found.text.trim()}\n\n[truncated: ${relativePath} holds more than ${maxBytes} bytes; only the first ${maxBytes} are shown]`;
    },
  };
}
