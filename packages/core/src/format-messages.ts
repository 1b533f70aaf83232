/** A chat message as the agent sees it in its prompt. */
export interface PromptMessage {
  senderId: string;
  senderName?: string;
  text: string;
  timestamp: number;
  /** Set for messages stored as context without waking the agent. */
  context?: boolean;
  /** One line per attachment: where it was saved in the workspace, or why not. */
  attachments?: readonly string[];
  /** The message this one answers, as far as the platform told (author and quoted text). */
  replyTo?: { author?: string; text?: string };
}

// Characters XML 1.0 cannot hold even escaped (C0 controls, lone surrogates, U+FFFE/U+FFFF).
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Escapes text for an XML attribute or element (`&` first); characters XML cannot hold at all
 * become U+FFFD, so the result always reads as XML.
 */
export function escapeXml(text: string): string {
  return text
    .replace(notXmlChar, '\uFFFD')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD HH:mm` in the given IANA time zone. */
export function formatTimestamp(timestamp: number, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(timestamp).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  // The default of every time zone setting: asking Intl would load its zone data at start-up (~25 ms).
  if (timeZone === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function formatReplyTo(replyTo: PromptMessage['replyTo']): string {
  if (!replyTo || (replyTo.author === undefined && replyTo.text === undefined)) return '';
  const author = replyTo.author === undefined ? '' : ` author="${escapeXml(replyTo.author)}"`;
  return `<reply_to${author}>${escapeXml(replyTo.text ?? '')}</reply_to>\n`;
}

/**
 * The new messages of a turn as XML, every attribute and text escaped; the sender's name falls
 * back to their id; times are in the agent's time zone. A reply carries the message it answers as
 * `<reply_to author="...">quoted text</reply_to>` before its own text.
 * @param omitted how many older messages were left out; said in one line before the rest
 */
export function formatMessages(messages: readonly PromptMessage[], timeZone: string, omitted = 0): string {
  const lines = messages.map((message) => {
    const sender = escapeXml(message.senderName?.trim() || message.senderId);
    const time = escapeXml(formatTimestamp(message.timestamp, timeZone));
    const context = message.context ? ' context="true"' : '';
    const files = (message.attachments ?? []).map((line) => `\n${escapeXml(line)}`).join('');
    const replyTo = formatReplyTo(message.replyTo);
    return `<message sender="${sender}" time="${time}"${context}>${replyTo}${escapeXml(message.text)}${files}</message>`;
  });
  if (omitted > 0)
    lines.unshift(`<omitted>${omitted} older ${omitted === 1 ? 'message was' : 'messages were'} left out</omitted>`);
  return `<messages>\n${lines.join('\n')}\n</messages>`;
}
