/** Collects a stream's bytes up to a cap, keeping its start and its end. */
export interface OutputCapture {
  push(chunk: Buffer): void;
  /** Bytes seen so far, kept or not. */
  readonly totalBytes: number;
  /** True when bytes were dropped. */
  readonly truncated: boolean;
  /** The kept text; when bytes were dropped, a marker stands where they were. */
  text(): string;
}

/** The line that replaces dropped output, so that a reader (or a model) cannot miss it. */
export function truncationMarker(totalBytes: number, omittedBytes: number): string {
  return `\n[ngb: output truncated: ${totalBytes} bytes in total, ${omittedBytes} bytes omitted here]\n`;
}

/**
 * Creates a capture keeping the first and the last `maxBytes / 2` bytes. Memory stays bounded
 * however much is pushed.
 */
export function createOutputCapture(maxBytes: number): OutputCapture {
  const headLimit = Math.floor(maxBytes / 2);
  const tailLimit = maxBytes - headLimit;
  const head: Buffer[] = [];
  let headBytes = 0;
  let tail: Buffer[] = [];
  let tailBytes = 0;
  let totalBytes = 0;

  return {
    push(chunk) {
      totalBytes += chunk.length;
      let rest = chunk;
      if (headBytes < headLimit) {
        const taken = rest.subarray(0, headLimit - headBytes);
        head.push(taken);
        headBytes += taken.length;
        rest = rest.subarray(taken.length);
      }
      if (rest.length === 0) return;
      tail.push(rest);
      tailBytes += rest.length;
      if (tailBytes > tailLimit * 2) {
        const joined = Buffer.concat(tail);
        tail = [joined.subarray(joined.length - tailLimit)];
        tailBytes = tailLimit;
      }
    },
    get totalBytes() {
      return totalBytes;
    },
    get truncated() {
      return totalBytes > maxBytes;
    },
    text() {
      const headText = Buffer.concat(head).toString('utf8');
      const tailBuffer = Buffer.concat(tail);
      if (totalBytes <= maxBytes) return headText + tailBuffer.toString('utf8');
      const kept = tailBuffer.subarray(Math.max(0, tailBuffer.length - tailLimit));
      return headText + truncationMarker(totalBytes, totalBytes - headBytes - kept.length) + kept.toString('utf8');
    },
  };
}
