import type { MessageFormat } from '../contracts/channel';

/**
 * The markup rule of the channel contract in one place: sends in `format`, and when that was
 * `markdown` and the platform rejected the converted markup, sends the same text once more as plain
 * text. Any other error, and any error of the plain resend, reaches the caller unchanged.
 * @param format how the text is written (`OutboundMessage.format`)
 * @param send sends the text in the format it is given (`markdown`: converted to the platform's
 *   markup; `plain`: as is) and returns what the platform answered
 * @param isMarkupRejected true for the platform's "cannot parse entities" kind of error
 * @returns what the successful `send` returned
 * @throws whatever `send` threw, when it was not a rejected markup or when plain text failed too
 */
export async function sendWithPlainFallback<Result>(
  format: MessageFormat,
  send: (format: MessageFormat) => Promise<Result>,
  isMarkupRejected: (error: unknown) => boolean,
): Promise<Result> {
  if (format === 'plain') return send('plain');
  try {
    return await send('markdown');
  } catch (error) {
    if (!isMarkupRejected(error)) throw error;
    return send('plain');
  }
}
