import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UnknownSenderPolicy } from '@ngb/plugin-sdk';
import { createManualClock, type ManualClock } from '@ngb/plugin-sdk/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

const hour = 60 * 60_000;
const idleMs = 24 * hour;

/** One step of a scenario: a message (and whether it engages the agent), a `/clear`, time passing or a restart. */
type Step =
  | { say: string; thread?: string; chat?: 'group' | 'dm'; sender?: string; engages: boolean }
  | { clear: string }
  | { advance: number }
  | { restart: true };

let directory: string;
let clock: ManualClock;
let harness: Harness | undefined;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ngb-sticky-'));
  clock = createManualClock(Date.UTC(2026, 5, 1, 9));
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  rmSync(directory, { recursive: true, force: true });
});

async function start(policy: UnknownSenderPolicy, first: boolean): Promise<Harness> {
  const started = await createHarness({
    storePath: join(directory, 'ngb.db'),
    clock,
    stickyIdleMs: idleMs,
    leaseMs: 100 * hour,
    typingIntervalMs: 100 * hour,
  });
  if (first) {
    const agent = await started.addAgent('andy', { assistantName: 'Andy' });
    await started.addChat('group', { agent, isGroup: true, engage: 'mention-sticky', sessionMode: 'per-thread', policy });
    await started.addChat('dm', { agent, isGroup: false, engage: 'mention-sticky', sessionMode: 'per-thread', policy });
    await started.grant('owner-1', 'owner');
  }
  return started;
}

/** Runs the steps and returns, per message step, whether it engaged the agent. */
async function play(steps: readonly Step[], policy: UnknownSenderPolicy = 'public'): Promise<boolean[]> {
  harness = await start(policy, true);
  const engaged: boolean[] = [];
  for (const step of steps) {
    const current: Harness = harness;
    if ('say' in step) {
      const chatId = step.chat ?? 'group';
      const result = await current.gateway.receive({
        channel: 'fake',
        chat: { id: chatId, isGroup: chatId === 'group' },
        sender: { id: step.sender ?? 'owner-1' },
        platformMessageId: `m-${clock.now()}-${engaged.length}`,
        threadId: step.thread,
        text: step.say,
        mentionsBot: false,
        timestamp: clock.now(),
      });
      await current.gateway.idle();
      engaged.push('routed' in result && result.routed.some((routed) => routed.kind === 'message'));
    } else if ('clear' in step) {
      await current.say('/clear', { chatId: 'group', isGroup: true, threadId: step.clear, sender: 'owner-1' });
    } else if ('advance' in step) {
      await clock.advance(step.advance);
    } else {
      await current.close();
      harness = await start(policy, false);
    }
  }
  return engaged;
}

const expected = (steps: readonly Step[]) => steps.flatMap((step) => ('say' in step ? [step.engages] : []));

describe('mention-sticky table', () => {
  const table: ReadonlyArray<readonly [string, readonly Step[], UnknownSenderPolicy?]> = [
    ['a mention in a thread engages', [{ say: '@Andy hello', thread: 't1', engages: true }]],
    [
      'a later plain message in that thread engages',
      [
        { say: 'before any mention', thread: 't1', engages: false },
        { say: '@Andy hello', thread: 't1', engages: true },
        { say: 'and what about tomorrow?', thread: 't1', engages: true },
        { say: 'and the day after?', thread: 't1', engages: true },
      ],
    ],
    [
      'a plain message in another thread does not',
      [
        { say: '@Andy hello', thread: 't1', engages: true },
        { say: 'another topic', thread: 't2', engages: false },
      ],
    ],
    [
      'the main timeline of the group is never sticky',
      [
        { say: '@Andy hello', engages: true },
        { say: 'chatter in the main timeline', engages: false },
        { say: '@Andy hello', thread: 't1', engages: true },
        { say: 'chatter in the main timeline', engages: false },
      ],
    ],
    [
      'a DM engages anyway and never makes the same thread sticky in the group',
      [
        { say: 'hello in a DM thread', chat: 'dm', thread: 't1', engages: true },
        { say: 'plain in the group thread of the same id', thread: 't1', engages: false },
      ],
    ],
    [
      'after /clear a thread needs a mention again',
      [
        { say: '@Andy hello', thread: 't1', engages: true },
        { clear: 't1' },
        { say: 'still there?', thread: 't1', engages: false },
        { say: '@Andy again', thread: 't1', engages: true },
        { say: 'sticky again', thread: 't1', engages: true },
      ],
    ],
    [
      'after the idle time a thread needs a mention again (each engaged message restarts it)',
      [
        { say: '@Andy hello', thread: 't1', engages: true },
        { advance: idleMs - 1 },
        { say: 'just in time', thread: 't1', engages: true },
        { advance: idleMs - 1 },
        { say: 'just in time again', thread: 't1', engages: true },
        { advance: idleMs },
        { say: 'too late', thread: 't1', engages: false },
      ],
    ],
    [
      'after a restart the thread is still sticky',
      [
        { say: '@Andy hello', thread: 't1', engages: true },
        { restart: true },
        { say: 'still sticky after the restart', thread: 't1', engages: true },
        { say: 'another thread', thread: 't2', engages: false },
      ],
    ],
    [
      'a mention the access check refused makes nothing sticky',
      [
        { say: '@Andy let me in', thread: 't1', sender: 'stranger', engages: false },
        { say: 'plain from the owner', thread: 't1', engages: false },
      ],
      'strict',
    ],
  ];

  const cases = table.map(([name, steps, policy]) => ({ name, steps, policy: policy ?? 'public' }));
  it.each(cases)('$name', async ({ steps, policy }) => {
    expect(await play(steps, policy)).toEqual(expected(steps));
  });

  it('records no sticky state for a direct message', async () => {
    await play([{ say: 'hello', chat: 'dm', thread: 't1', engages: true }]);
    const store = harness?.store;
    const [agent] = (await store?.agents.list()) ?? [];
    const dm = await store?.chats.getByPlatformId('fake', 'dm');
    if (!store || !agent || !dm) throw new Error('the agent and the direct chat should exist');
    expect(await store.stickyThreads.lastEngagedAt({ agentId: agent.id, chatId: dm.id, threadId: 't1' })).toBeUndefined();
  });
});
