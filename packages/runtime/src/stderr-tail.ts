import type { Readable } from 'node:stream';
import type { Logger } from '@ngb/plugin-sdk';

/** Keeps the last few KB a sandbox wrote to stderr, for the message when it dies. */
export interface StderrTail {
  /** `; stderr: ...` or an empty string. */
  describe(): string;
}

export function createStderrTail(stream: Readable, logger: Logger, maxChars = 2000): StderrTail {
  let tail = '';
  stream.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    logger.debug('sandbox stderr', { text });
    tail = (tail + text).slice(-maxChars);
  });
  return { describe: () => (tail.trim() ? `; stderr: ${tail.trim()}` : '') };
}
