import { describe, expect, it } from 'vitest';
import type { MessageFormat } from '../contracts/channel';
import { ChannelApiError } from '../errors';
import { sendWithPlainFallback } from './send-with-plain-fallback';

const markupRejected = () => new ChannelApiError('fake', "[fake] Bad Request: can't parse entities", { status: 400 });
const isMarkupRejected = (error: unknown) => ChannelApiError.isInstance(error) && error.message.includes("can't parse");

function platform(refuse: (format: MessageFormat, call: number) => Error | undefined) {
  const calls: MessageFormat[] = [];
  const send = async (format: MessageFormat) => {
    calls.push(format);
    const error = refuse(format, calls.length);
    if (error) throw error;
    return { platformMessageId: `m-${calls.length}` };
  };
  return { calls, send };
}

describe('sendWithPlainFallback', () => {
  it('sends markdown once when the platform accepts it', async () => {
    const { calls, send } = platform(() => undefined);
    await expect(sendWithPlainFallback('markdown', send, isMarkupRejected)).resolves.toEqual({ platformMessageId: 'm-1' });
    expect(calls).toEqual(['markdown']);
  });

  it('resends as plain text, once, when the platform rejects the markup', async () => {
    const { calls, send } = platform((format) => (format === 'markdown' ? markupRejected() : undefined));
    await expect(sendWithPlainFallback('markdown', send, isMarkupRejected)).resolves.toEqual({ platformMessageId: 'm-2' });
    expect(calls).toEqual(['markdown', 'plain']);
  });

  it('sends plain text as plain, without a markdown attempt', async () => {
    const { calls, send } = platform(() => undefined);
    await sendWithPlainFallback('plain', send, isMarkupRejected);
    expect(calls).toEqual(['plain']);
  });

  it('passes other errors on without a resend', async () => {
    const rateLimited = new ChannelApiError('fake', '[fake] Too Many Requests', { status: 429, retryAfterMs: 1000 });
    const { calls, send } = platform(() => rateLimited);
    await expect(sendWithPlainFallback('markdown', send, isMarkupRejected)).rejects.toBe(rateLimited);
    expect(calls).toEqual(['markdown']);
  });

  it('passes on the error of the plain resend, and tries no third time', async () => {
    const unavailable = new ChannelApiError('fake', '[fake] unavailable', { status: 503 });
    const { calls, send } = platform((format) => (format === 'markdown' ? markupRejected() : unavailable));
    await expect(sendWithPlainFallback('markdown', send, isMarkupRejected)).rejects.toBe(unavailable);
    expect(calls).toEqual(['markdown', 'plain']);
  });
});
