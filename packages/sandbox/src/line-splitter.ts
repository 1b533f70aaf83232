/** Splits a byte stream into lines without ever holding more than `maxLineBytes` of one line. */
export interface LineSplitter {
  push(chunk: Buffer): void;
  /** Hands out a last line that had no newline. */
  end(): void;
}

/**
 * Creates a splitter calling `onLine` for each complete line (newline removed, `\r\n` too) and
 * `onOversized` once for each line longer than `maxLineBytes`, whose bytes are dropped.
 */
export function createLineSplitter(maxLineBytes: number, onLine: (line: string) => void, onOversized: () => void): LineSplitter {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let discarding = false;

  const emit = (parts: Buffer[]) => {
    let line = Buffer.concat(parts).toString('utf8');
    if (line.endsWith('\r')) line = line.slice(0, -1);
    onLine(line);
  };

  return {
    push(chunk) {
      let start = 0;
      for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, newline);
        if (!discarding && pendingBytes + piece.length > maxLineBytes) onOversized();
        else if (!discarding) emit([...pending, piece]);
        pending = [];
        pendingBytes = 0;
        discarding = false;
        start = newline + 1;
      }
      const rest = chunk.subarray(start);
      if (rest.length === 0 || discarding) return;
      if (pendingBytes + rest.length > maxLineBytes) {
        discarding = true;
        pending = [];
        pendingBytes = 0;
        onOversized();
        return;
      }
      pending.push(rest);
      pendingBytes += rest.length;
    },
    end() {
      if (!discarding && pendingBytes > 0) emit(pending);
      pending = [];
      pendingBytes = 0;
    },
  };
}
