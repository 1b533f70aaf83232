/** How a log is read: chunk size, and the longest line kept whole. */
export interface LineLimits {
  /** Bytes read at a time. @default 64 KiB */
  chunkBytes: number;
  /** A longer line keeps only its first `maxLineBytes` bytes, followed by a truncation marker. @default 64 KiB */
  maxLineBytes: number;
}

const markerPattern = / …\[line truncated: (\d+) bytes, first (\d+) shown\]$/;

/** Splits a line ending in the truncation marker into its start and the size of the whole line. */
export function parseTruncatedLine(line: string): { start: string; bytes: number } | undefined {
  const match = markerPattern.exec(line);
  if (match === null) return undefined;
  return { start: line.slice(0, match.index), bytes: Number(match[1]) };
}

/**
 * Collects the pieces of one line, read forwards (`append`) or backwards (`prepend`), keeping only
 * its first `maxLineBytes` bytes: memory stays bounded and each piece is copied at most once.
 */
export class LineAssembler {
  readonly #maxBytes: number;
  #pieces: Buffer[] = [];
  #kept = 0;
  #total = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Adds what follows the pieces so far. */
  append(piece: Buffer): void {
    this.#total += piece.length;
    const room = this.#maxBytes - this.#kept;
    if (room <= 0 || piece.length === 0) return;
    const kept = Buffer.from(piece.subarray(0, room));
    this.#pieces.push(kept);
    this.#kept += kept.length;
  }

  /** Adds what precedes the pieces so far; the end of the line is dropped past the limit. */
  prepend(piece: Buffer): void {
    if (piece.length === 0) return;
    this.#total += piece.length;
    const kept = Buffer.from(piece.subarray(0, this.#maxBytes));
    this.#pieces.unshift(kept);
    this.#kept += kept.length;
    while (this.#kept > this.#maxBytes) {
      const last = this.#pieces[this.#pieces.length - 1] as Buffer;
      const excess = this.#kept - this.#maxBytes;
      if (last.length <= excess) {
        this.#pieces.pop();
        this.#kept -= last.length;
      } else {
        this.#pieces[this.#pieces.length - 1] = last.subarray(0, last.length - excess);
        this.#kept = this.#maxBytes;
      }
    }
  }

  isEmpty(): boolean {
    return this.#total === 0;
  }

  /** The line, or its start with a marker naming the whole line's size when it was too long. */
  text(): string {
    const text = Buffer.concat(this.#pieces, this.#kept).toString('utf8');
    return this.#total > this.#kept ? `${text} …[line truncated: ${this.#total} bytes, first ${this.#kept} shown]` : text;
  }

  reset(): void {
    this.#pieces = [];
    this.#kept = 0;
    this.#total = 0;
  }
}
