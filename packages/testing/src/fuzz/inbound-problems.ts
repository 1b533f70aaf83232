const nonEmptyString = (value: unknown) => typeof value === 'string' && value !== '';

/**
 * What is wrong with a normalized inbound message, by the channel contract: ids that are not
 * non-empty strings, a text that is not a string, a time that is not a finite number, flags that are
 * not booleans, attachments without a kind. An empty list when nothing is.
 */
export function inboundProblems(message: unknown): string[] {
  if (typeof message !== 'object' || message === null) return ['not an object'];
  const inbound = message as Record<string, unknown>;
  const chat = (inbound.chat ?? {}) as Record<string, unknown>;
  const sender = (inbound.sender ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  check(nonEmptyString(inbound.channel), 'channel is not a non-empty string');
  check(nonEmptyString(chat.id), 'chat.id is not a non-empty string');
  check(typeof chat.isGroup === 'boolean', 'chat.isGroup is not a boolean');
  check(chat.name === undefined || typeof chat.name === 'string', 'chat.name is not a string');
  check(nonEmptyString(inbound.platformMessageId), 'platformMessageId is not a non-empty string');
  check(nonEmptyString(sender.id), 'sender.id is not a non-empty string');
  check(sender.name === undefined || typeof sender.name === 'string', 'sender.name is not a string');
  check(sender.isBot === undefined || typeof sender.isBot === 'boolean', 'sender.isBot is not a boolean');
  check(typeof inbound.text === 'string', 'text is not a string');
  check(typeof inbound.mentionsBot === 'boolean', 'mentionsBot is not a boolean');
  check(typeof inbound.timestamp === 'number' && Number.isFinite(inbound.timestamp), 'timestamp is not a finite number');
  check(inbound.threadId === undefined || nonEmptyString(inbound.threadId), 'threadId is not a non-empty string');
  if (inbound.replyTo !== undefined) {
    const replyTo = inbound.replyTo as Record<string, unknown>;
    check(nonEmptyString(replyTo.id), 'replyTo.id is not a non-empty string');
    check(replyTo.text === undefined || typeof replyTo.text === 'string', 'replyTo.text is not a string');
  }
  if (inbound.attachments !== undefined) {
    check(Array.isArray(inbound.attachments), 'attachments is not a list');
    for (const attachment of Array.isArray(inbound.attachments) ? inbound.attachments : []) {
      const fields = (attachment ?? {}) as Record<string, unknown>;
      check(nonEmptyString(fields.kind), 'an attachment has no kind');
    }
  }
  return problems;
}
