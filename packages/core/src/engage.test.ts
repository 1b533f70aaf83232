import type { Agent, Wiring } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { shouldEngage } from './engage';

const agent = { id: 'a', name: 'Andy', assistantName: 'Andy' } as Agent;
const group = { isGroup: true };
const wiring = (patch: Partial<Wiring>): Wiring => ({
  id: 'w',
  chatId: 'c',
  agentId: 'a',
  engage: 'mention',
  sessionMode: 'shared',
  priority: 0,
  accumulate: false,
  createdAt: 0,
  ...patch,
});
const says = (text: string) => ({ text, mentionsBot: false });

// Engage rules compile their expressions once (by source and flags): a rule must never see another's.
describe('shouldEngage with compiled expressions', () => {
  it('matches each pattern by its own source, also after many distinct patterns', () => {
    for (let index = 0; index < 600; index += 1) {
      const rule = wiring({ engage: 'pattern', pattern: `^job-${index}\\b` });
      expect(shouldEngage(rule, agent, group, says(`job-${index} now`))).toBe(true);
      expect(shouldEngage(rule, agent, group, says(`job-${index + 1} now`))).toBe(false);
    }
  });

  it('follows a renamed assistant and keeps patterns case-insensitive', () => {
    expect(shouldEngage(wiring({}), agent, group, says('@andy hi'))).toBe(true);
    const renamed = { ...agent, assistantName: 'Bea' };
    expect(shouldEngage(wiring({}), renamed, group, says('@andy hi'))).toBe(false);
    expect(shouldEngage(wiring({}), renamed, group, says('@Bea hi'))).toBe(true);
    expect(shouldEngage(wiring({ engage: 'pattern', pattern: 'urgent' }), agent, group, says('URGENT: x'))).toBe(true);
  });
});
