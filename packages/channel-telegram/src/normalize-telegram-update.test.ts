import { describe, expect, it } from 'vitest';
import { normalizeTelegramUpdate } from './normalize-telegram-update';

const options = { channel: 'telegram', self: { id: 4242, username: 'ngb_test_bot' } };
const message = (fields: Record<string, unknown>) => ({
  update_id: 1,
  message: {
    message_id: 5,
    date: 1,
    chat: { id: 9, type: 'private', first_name: 'Ann' },
    from: { id: 9, first_name: 'Ann' },
    ...fields,
  },
});

describe('normalizeTelegramUpdate', () => {
  it.each([
    ['null', null],
    ['a string', 'update'],
    ['no update id', { message: {} }],
    ['a message without a chat', { update_id: 1, message: { message_id: 1, date: 1 } }],
    ['a message id that is text', { update_id: 1, message: { message_id: 'x', date: 1, chat: { id: 1, type: 'private' } } }],
    [
      'a channel post (no sender)',
      { update_id: 1, channel_post: { message_id: 1, date: 1, chat: { id: -1, type: 'channel' }, text: 'x' } },
    ],
    ['a callback query', { update_id: 1, callback_query: { id: '1', from: { id: 1 } } }],
  ])('is no message for %s', (_name, payload) => {
    expect(normalizeTelegramUpdate(payload, options)).toBeUndefined();
  });

  it('reads mentions by their UTF-16 offsets, after emoji', () => {
    const text = '🌱🌱 @NGB_test_bot hi';
    const inbound = normalizeTelegramUpdate(message({ text, entities: [{ type: 'mention', offset: 5, length: 13 }] }), options);
    expect(inbound?.mentionsBot).toBe(true);
  });

  it('is not mentioned by another bot name, nor by entities pointing outside the text', () => {
    const other = message({ text: '@other_bot hi', entities: [{ type: 'mention', offset: 0, length: 10 }] });
    const outside = message({ text: 'hi', entities: [{ type: 'mention', offset: 50, length: 13 }] });
    expect(normalizeTelegramUpdate(other, options)?.mentionsBot).toBe(false);
    expect(normalizeTelegramUpdate(outside, options)?.mentionsBot).toBe(false);
  });

  it('never throws, whatever the payload', () => {
    let seed = 3;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const values = [null, 0, -1, 'x', '', true, [], {}, 1.5, { id: 1 }, [{ type: 'mention', offset: -3, length: 99 }]];
    const keys = [
      'message_id',
      'date',
      'chat',
      'from',
      'text',
      'entities',
      'reply_to_message',
      'photo',
      'document',
      'message_thread_id',
    ];
    for (let sample = 0; sample < 300; sample += 1) {
      const fields = Object.fromEntries(
        keys.filter(() => random() < 0.5).map((key) => [key, values[Math.floor(random() * values.length)]]),
      );
      expect(() => normalizeTelegramUpdate(message(fields), options)).not.toThrow();
    }
  });
});
