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
}

/** Escapes text for an XML attribute or element (`&` first). */
export function escapeXml(text: string): string {
  return text
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
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The new messages of a turn as XML, every attribute and text escaped; the sender's name falls
 * back to their id; times are in the agent's time zone.
 */
export function formatMessages(messages: readonly PromptMessage[], timeZone: string): string {
  const lines = messages.map((message) => {
    const sender = escapeXml(message.senderName?.trim() || message.senderId);
    const time = escapeXml(formatTimestamp(message.timestamp, timeZone));
    const context = message.context ? ' context="true"' : '';
    const files = (message.attachments ?? []).map((line) => `\n${escapeXml(line)}`).join('');
    return `<message sender="${sender}" time="${time}"${context}>${escapeXml(message.text)}${files}</message>`;
  });
  return `<messages>\n${lines.join('\n')}\n</messages>`;
}
