/** One OneBot v11 message segment (`{ type, data }`), with its data's values as strings or numbers. */
export interface OneBotSegment {
  type: string;
  data: Record<string, unknown>;
}

const unescapeCq = (value: string) =>
  value.replace(/&#91;/g, '[').replace(/&#93;/g, ']').replace(/&#44;/g, ',').replace(/&amp;/g, '&');

/** Escapes text for a CQ-code string (the text between codes). */
export function escapeCqText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/\[/g, '&#91;').replace(/\]/g, '&#93;');
}

/** Escapes a parameter value inside a CQ code. */
export function escapeCqParameter(value: string): string {
  return escapeCqText(value).replace(/,/g, '&#44;');
}

/**
 * Reads a message in OneBot's string form: text with `&amp; &#91; &#93;` escapes and `[CQ:type,key=value]`
 * codes (values also escape `,` as `&#44;`). A `[` that starts no well-formed code stays text.
 */
export function parseCqString(message: string): OneBotSegment[] {
  const segments: OneBotSegment[] = [];
  const pattern = /\[CQ:([a-zA-Z0-9_.-]+)((?:,[^,=[\]]+=[^,[\]]*)*)\]/g;
  let last = 0;
  const pushText = (raw: string) => {
    if (raw !== '') segments.push({ type: 'text', data: { text: unescapeCq(raw) } });
  };
  for (let match = pattern.exec(message); match !== null; match = pattern.exec(message)) {
    pushText(message.slice(last, match.index));
    const data: Record<string, unknown> = {};
    for (const pair of (match[2] ?? '').split(',').slice(1)) {
      const equals = pair.indexOf('=');
      data[pair.slice(0, equals)] = unescapeCq(pair.slice(equals + 1));
    }
    segments.push({ type: match[1] ?? 'unknown', data });
    last = match.index + match[0].length;
  }
  pushText(message.slice(last));
  return segments;
}

/** The segments of an event's `message`, whether it came as an array of segments or as a CQ string. */
export function messageSegments(message: unknown): OneBotSegment[] {
  if (typeof message === 'string') return parseCqString(message);
  if (!Array.isArray(message)) return [];
  const segments: OneBotSegment[] = [];
  for (const item of message) {
    if (typeof item !== 'object' || item === null) continue;
    const { type, data } = item as { type?: unknown; data?: unknown };
    if (typeof type !== 'string') continue;
    segments.push({ type, data: typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {} });
  }
  return segments;
}
