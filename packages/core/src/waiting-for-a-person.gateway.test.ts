import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';
import { ofType, waitForEvent } from './__tests__/wait-for-event';

const harnesses: Harness[] = [];
const directories: string[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const pizza = { question: 'Which pizza?', options: ['Margherita', 'Funghi', 'Diavola'] };
const ask = { type: 'reply' as const, toolCalls: [{ name: 'ask_user', input: pizza }] };

/** Posts a message without waiting for the gateway to rest (a turn may be waiting on a person). */
const post = (h: Harness, chatId: string, text: string, sender = 'user-1') =>
  h.channel.inject({ text, chat: { id: chatId, isGroup: false }, sender: { id: sender, name: sender } });
const sentTo = (h: Harness, chatId: string) =>
  h.channel.sent.filter((sent) => sent.address.chatId === chatId).map((sent) => sent.message.text);
const turnEnded = (h: Harness, sessionId: string) =>
  waitForEvent(
    h.gateway,
    h.events,
    ofType('turn.end', (event) => event.sessionId === sessionId),
  );

async function twoChats(options: Parameters<typeof createHarness>[0]) {
  const h = await createHarness({ maxConcurrentTurns: 1, leaseMs: 3_600_000, ...options });
  harnesses.push(h);
  const agent = await h.addAgent('andy');
  await h.addChat('a', { agent });
  await h.addChat('b', { agent });
  return h;
}

describe('a turn waiting for a person gives up its concurrency slot', () => {
  it('with one slot, a question waiting in chat A does not block chat B; the answer then resumes A', async () => {
    const clock = createManualClock();
    const h = await twoChats({
      clock,
      script: [ask, { type: 'reply', text: 'B is answered' }, { type: 'reply', text: 'Funghi for A' }],
    });
    await post(h, 'a', 'order dinner');
    const question = await waitForEvent(h.gateway, h.events, ofType('question.asked'));

    await post(h, 'b', 'what time is it?');
    const bSession = (await h.store.sessions.list()).find((session) => session.id !== question.sessionId)?.id ?? '';
    await turnEnded(h, bSession);
    await h.channel.waitForSends(2);
    expect(sentTo(h, 'b')).toEqual(['B is answered']);
    // No time passed: A still waits on its question, without a slot.
    expect((await h.store.questions.get(question.questionId))?.status).toBe('pending');
    expect(h.gateway.queueState().parked).toEqual([question.sessionId]);

    await post(h, 'a', '2');
    await h.gateway.idle();
    expect(sentTo(h, 'a')).toEqual([expect.stringMatching(/^Which pizza\?/), 'Funghi for A']);
    const aTurns = await h.store.turns.listForSession(question.sessionId, { limit: 5 });
    expect(aTurns.map((turn) => turn.status)).toEqual(['succeeded']);
    expect(h.gateway.queueState()).toEqual({ running: [], waiting: [], parked: [] });
  });

  it('an approval request holds no slot: with one slot, chat B is answered while A awaits the owner, then A is', async () => {
    const clock = createManualClock();
    const h = await createHarness({
      clock,
      maxConcurrentTurns: 1,
      script: [
        { type: 'reply', text: 'B is answered' },
        { type: 'reply', text: 'welcome, A' },
      ],
    });
    harnesses.push(h);
    const main = await h.addAgent('main', { isMain: true });
    await h.grant('owner', 'owner');
    await h.addChat('owner-dm', { agent: main });
    await h.addChat('a', { agent: main, policy: 'request_approval' });
    await h.addChat('b', { agent: main });
    await post(h, 'a', 'hello, may I?', 'stranger');
    const requested = await waitForEvent(h.gateway, h.events, ofType('approval.requested'));
    await post(h, 'b', 'what time is it?');
    await h.gateway.idle();
    expect(sentTo(h, 'b')).toEqual(['B is answered']);
    await h.gateway.resolveApproval(requested.code, 'approved');
    await h.gateway.idle();
    expect(sentTo(h, 'a')).toEqual(['welcome, A']);
  });

  it('stopping does not wait for a parked turn: its wait ends as a restart would, and it resumes after the restart', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ngb-parked-'));
    directories.push(directory);
    const storePath = join(directory, 'ngb.db');
    const clock = createManualClock();
    const first = await twoChats({ clock, storePath, script: [ask] });
    await post(first, 'a', 'order dinner');
    const question = await waitForEvent(first.gateway, first.events, ofType('question.asked'));
    await first.channel.waitForSends(1);
    // An hour of grace on a clock that never moves: only a drain that skips the parked turn returns.
    await first.gateway.stop({ graceMs: 3_600_000 });
    expect((await first.store.questions.get(question.questionId))?.status).toBe('pending');
    expect((await first.store.turns.get(question.turnId))?.status).toBe('queued');
    harnesses.splice(harnesses.indexOf(first), 1);
    await first.close();

    const second = await createHarness({ storePath, leaseMs: 3_600_000, script: [ask, { type: 'reply', text: 'Funghi it is' }] });
    harnesses.push(second);
    await waitForEvent(
      second.gateway,
      second.events,
      ofType('tool.start', (event) => event.name === 'ask_user'),
    );
    await post(second, 'a', 'funghi');
    await second.gateway.idle();
    expect(second.channel.sent.map((sent) => sent.message.text)).toEqual(['Funghi it is']);
    expect((await second.store.turns.get(question.turnId))?.status).toBe('succeeded');
  });
});
