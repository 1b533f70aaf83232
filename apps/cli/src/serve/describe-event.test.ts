import { describe, expect, it } from 'vitest';
import { qrCodeForTerminal } from '../render/qr-code';
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

describe('describeEvent of a dropped message', () => {
  it('shows every drop with its chat, sender and reason, even without --debug', () => {
    const dropped = {
      type: 'message.dropped',
      at: Date.UTC(2026, 0, 1),
      seq: 2,
      reason: 'sender not allowed (strict chat)',
      channel: 'telegram',
      chatId: '42',
      senderId: 'eve',
      messageId: 'm2',
    } as const;
    expect(describeEvent(dropped, false)).toMatch(
      /telegram:42 eve: not passed to an agent \(sender not allowed \(strict chat\)\)$/,
    );
  });
});

describe('describeEvent of a skipped skill', () => {
  it('shows the reason, even without --debug', () => {
    const skipped = {
      type: 'skill.invalid',
      at: Date.UTC(2026, 0, 1),
      seq: 3,
      scope: 'global',
      name: 'pdf',
      path: 'global/skills/pdf/SKILL.md',
      reason: 'global/skills/pdf/SKILL.md is not valid UTF-8',
    } as const;
    expect(describeEvent(skipped, false)).toMatch(/skill skipped: global\/skills\/pdf\/SKILL.md is not valid UTF-8$/);
  });
});

describe('describeEvent of a heartbeat', () => {
  it('shows what became of it, with the reason when it was skipped', () => {
    const skipped = {
      type: 'heartbeat',
      at: Date.UTC(2026, 0, 1),
      seq: 3,
      state: 'skipped',
      agentId: 'agent-0123456789',
      reason: 'the agent has no main chat',
    } as const;
    expect(describeEvent(skipped, false)).toMatch(/heartbeat of agent \S+ skipped \(the agent has no main chat\)$/);
    expect(describeEvent({ ...skipped, state: 'ok', reason: undefined }, false)).toMatch(/heartbeat of agent \S+ ok$/);
  });
});

describe('describeEvent of a channel waiting for a QR login', () => {
  it('prints the instructions and the code as a QR code, and nothing more once connected', () => {
    const waiting = {
      type: 'channel.status',
      at: Date.UTC(2026, 0, 1),
      seq: 4,
      channel: 'whatsapp',
      status: {
        state: 'connecting',
        login: { kind: 'qr', code: '2@login-code,key,other-key', instructions: 'WhatsApp → Settings → Linked devices' },
      },
    } as const;
    const [first, ...qr] = (describeEvent(waiting, false) ?? '').split('\n');
    expect(first).toContain('whatsapp waits for a login: WhatsApp → Settings → Linked devices');
    expect(qr.join('\n')).toBe(qrCodeForTerminal('2@login-code,key,other-key'));
    // A version-2 code (25 modules) and its quiet zone: 29 columns, 15 lines of two rows each.
    expect(qr).toHaveLength(15);
    expect(qr.every((line) => [...line].length === 29 && /^[█▀▄ ]+$/.test(line))).toBe(true);
    const connected = { ...waiting, seq: 5, status: { state: 'connected' } } as const;
    expect(describeEvent(connected, false)).not.toContain('█');
  });
});
