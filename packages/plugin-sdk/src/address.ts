/** Where a message goes or came from: a chat on a channel, optionally a thread in it. */
export interface Address {
  /** The channel adapter's name, such as `telegram`. */
  channel: string;
  /** The platform's own chat id. */
  chatId: string;
  /** The platform's thread id, when the message belongs to a thread. */
  threadId?: string;
}

// `%` and `:` are escaped inside each part so that any id (WhatsApp JIDs, Matrix ids...) round-trips exactly.
function encodePart(part: string): string {
  return part.replaceAll('%', '%25').replaceAll(':', '%3A');
}

function decodePart(part: string, whole: string): string {
  if (/%(?!25|3A)/i.test(part)) throw new TypeError(`[@ngb/plugin-sdk] invalid escape in address "${whole}"`);
  return part.replace(/%3A/gi, ':').replace(/%25/g, '%');
}

/**
 * The string form of an address: `channel:chatId[:threadId]`, with `%` and `:` inside a part
 * written as `%25` and `%3A`. `parseAddress(formatAddress(a))` equals `a`.
 */
export function formatAddress(address: Address): string {
  const head = `${encodePart(address.channel)}:${encodePart(address.chatId)}`;
  return address.threadId === undefined ? head : `${head}:${encodePart(address.threadId)}`;
}

/**
 * Parses `channel:chatId[:threadId]`.
 * @throws TypeError when the text has fewer than two or more than three parts, or an empty part.
 */
export function parseAddress(text: string): Address {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => part.length === 0)) {
    throw new TypeError(`[@ngb/plugin-sdk] invalid address "${text}": expected channel:chatId[:threadId]`);
  }
  const [channel = '', chatId = '', threadId] = parts.map((part) => decodePart(part, text));
  return threadId === undefined ? { channel, chatId } : { channel, chatId, threadId };
}
