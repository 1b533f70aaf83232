import { describe, expect, it } from 'vitest';
import { describeEvent } from './describe-event';

const received = {
  type: 'message.received',
  at: Date.UTC(2026, 0, 1),
  seq: 1,
  messageId: 'm1',
  channel: 'telegram',
  chatId: '42',
  senderId: 'ann',
  text: 'my private plans',
} as const;

describe('describeEvent', () => {
  it('shows the text of a message with --debug only', () => {
    expect(describeEvent(received, false)).toContain('telegram:42 ann:');
    expect(describeEvent(received, false)).not.toContain('private plans');
    expect(describeEvent(received, false)).toContain('16 characters');
    expect(describeEvent(received, true)).toContain('my private plans');
  });
});
