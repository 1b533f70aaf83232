const boundaries = [/\n\s*\n/g, /\n/g, /\s+/g];

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

// The last index (exclusive) in text[0, limit] just after a boundary match, or -1.
function lastBoundary(text: string, limit: number, pattern: RegExp): number {
  let best = -1;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const end = match.index + match[0].length;
    if (end > limit) {
      // A separator straddling the limit: cut at its start instead, if that leaves something.
      if (match.index > 0 && match.index <= limit && best < match.index) best = match.index;
      break;
    }
    if (end > 0) best = end;
  }
  return best;
}

// How many UTF-16 units of `text`, from its start, fit in `maxBytes` of UTF-8 (never half a pair).
function unitsWithinBytes(text: string, maxBytes: number): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const pair = isHighSurrogate(code) && index + 1 < text.length;
    const size = pair ? 4 : code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
    if (bytes + size > maxBytes) return index;
    bytes += size;
    if (pair) index += 1;
  }
  return text.length;
}

/**
 * Splits text into chunks of at most `limit` UTF-16 units (and, with `maxBytes`, at most that many
 * UTF-8 bytes), preferring paragraph breaks, then line
 * breaks, then spaces, and never cutting a surrogate pair. Joining the chunks gives the input back
 * exactly (separators stay at the end of the chunk they close). Empty text has no chunks.
 * @throws RangeError when `limit` is not an integer of at least 2 or `maxBytes` not one of at least 4
 *   (the gateway refuses such a channel when it is registered)
 */
export function splitMessage(text: string, unitLimit: number, maxBytes?: number): string[] {
  if (!Number.isInteger(unitLimit) || unitLimit < 2)
    throw new RangeError(`[@ngb/core] split limit must be an integer ≥ 2, got ${unitLimit}`);
  if (maxBytes !== undefined && (!Number.isInteger(maxBytes) || maxBytes < 4))
    throw new RangeError(`[@ngb/core] split byte limit must be an integer ≥ 4, got ${maxBytes}`);
  if (text === '') return [];
  const chunks: string[] = [];
  let rest = text;
  for (;;) {
    const limit =
      maxBytes === undefined ? unitLimit : Math.min(unitLimit, unitsWithinBytes(rest.slice(0, unitLimit + 1), maxBytes));
    if (rest.length <= limit) break;
    const window = rest.slice(0, limit + 1);
    let cut = -1;
    for (const pattern of boundaries) {
      cut = lastBoundary(window, limit, pattern);
      if (cut > limit / 4) break;
    }
    // A boundary in the first quarter would leave a tiny chunk: cut hard at the limit instead.
    if (cut <= limit / 4 || cut > limit) {
      cut = limit;
      if (isHighSurrogate(rest.charCodeAt(cut - 1))) cut -= 1;
    }
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}
