import type { Store } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingLogger, type ManualClock } from '@ngb/plugin-sdk/testing';
import { createSqliteStore } from '@ngb/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionLeases, type SessionLeases } from './session-leases';

const leaseMs = 30_000;
let store: Store;
let clock: ManualClock;

beforeEach(async () => {
  store = await createSqliteStore({ path: ':memory:' });
  clock = createManualClock();
});
afterEach(() => store.close());

function leasesFor(holderId: string): SessionLeases {
  return createSessionLeases({ leases: store.leases, holderId, clock, leaseMs, logger: createRecordingLogger() });
}

/** A session with one message waiting in its inbox. */
async function pendingSession(name: string): Promise<string> {
  const agent =
    (await store.agents.getByFolder('andy')) ?? (await store.agents.create({ folder: 'andy', name: 'andy', isMain: false }));
  const chat = await store.chats.upsert({ channel: 'fake', platformChatId: name, name, isGroup: false, status: 'active' });
  const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
  const { message } = await store.messages.insert({
    chatId: chat.id,
    platformMessageId: `${name}-1`,
    senderId: 'user',
    text: 'hi',
    mentionsBot: false,
    timestamp: 1,
    direction: 'inbound',
  });
  await store.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'message' });
  return session.id;
}

async function finishWork(sessionId: string): Promise<void> {
  const turn = await store.turns.create({ sessionId, trigger: 'message' });
  await store.inbox.markProcessed(
    (await store.inbox.listPending(sessionId)).map((entry) => entry.id),
    turn.id,
  );
}

function gate() {
  let open!: (more: boolean) => void;
  const closed = new Promise<boolean>((resolve) => {
    open = resolve;
  });
  return { closed, open };
}

/** Resolves after the store and the timers' callbacks had time to run. */
async function settle(): Promise<void> {
  for (let round = 0; round < 20; round += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('session leases', () => {
  it('runs a turn only for the holder: a second process is refused while the first holds the session', async () => {
    const sessionId = await pendingSession('c1');
    const first = leasesFor('first');
    const second = leasesFor('second');
    const turn = gate();
    const running = first.run(sessionId, () => turn.closed);
    await settle();
    expect(first.holds(sessionId)).toBe(true);
    let ranSecond = false;
    expect(
      await second.run(sessionId, async () => {
        ranSecond = true;
        return false;
      }),
    ).toBe(false);
    expect(ranSecond).toBe(false);
    expect(second.holds(sessionId)).toBe(false);
    await finishWork(sessionId);
    turn.open(false);
    expect(await running).toBe(false);
    // No work left: released at the next renewal, then free for anyone.
    expect(first.holds(sessionId)).toBe(true);
    await clock.advance(leaseMs / 3);
    await settle();
    expect(first.holds(sessionId)).toBe(false);
    expect(await store.leases.get(sessionId)).toBeUndefined();
  });

  it("runs a conversation's next turns on the lease it holds: one write for three turns", async () => {
    const sessionId = await pendingSession('c1');
    let acquired = 0;
    const counting: Store['leases'] = {
      ...store.leases,
      acquire: (...args: Parameters<Store['leases']['acquire']>) => {
        acquired += 1;
        return store.leases.acquire(...args);
      },
    };
    const first = createSessionLeases({ leases: counting, holderId: 'first', clock, leaseMs, logger: createRecordingLogger() });
    for (let turn = 0; turn < 3; turn += 1) expect(await first.run(sessionId, async () => false)).toBe(false);
    expect(acquired).toBe(1);
    // Renewals failing (the store busy), less than half of the lease is soon left: the next turn takes it again.
    counting.renew = () => Promise.reject(new Error('database is locked'));
    await clock.advance(leaseMs / 3);
    await settle();
    expect(await first.run(sessionId, async () => false)).toBe(false);
    expect(acquired).toBe(1);
    await clock.advance(leaseMs / 3);
    await settle();
    expect(await first.run(sessionId, async () => false)).toBe(false);
    expect(acquired).toBe(2);
    await first.stop();
  });

  it('runs here what another process stored for a session it holds idle, at the next renewal', async () => {
    const sessionId = await pendingSession('c1');
    const first = leasesFor('first');
    const resumed: string[] = [];
    await first.start({ resume: (id) => void resumed.push(id) });
    await first.run(sessionId, async () => {
      await finishWork(sessionId);
      return false;
    });
    // Another gateway stores a message for the session; this process holds the lease and is idle.
    const chat = await store.chats.getByPlatformId('fake', 'c1');
    const { message } = await store.messages.insert({
      chatId: chat?.id ?? '',
      platformMessageId: 'c1-2',
      senderId: 'user',
      text: 'again',
      mentionsBot: false,
      timestamp: 2,
      direction: 'inbound',
    });
    await store.inbox.add({ sessionId, messageId: message.id, kind: 'message' });
    await clock.advance(leaseMs / 3);
    await settle();
    expect(resumed).toEqual([sessionId]);
    expect(first.holds(sessionId)).toBe(true);
    await first.stop();
  });

  it('renews the lease on a timer while a turn runs, so it never expires under it', async () => {
    const sessionId = await pendingSession('c1');
    const first = leasesFor('first');
    const turn = gate();
    const running = first.run(sessionId, () => turn.closed);
    await settle();
    for (let step = 0; step < 6; step += 1) await clock.advance(leaseMs / 2);
    await settle();
    // Three lease lengths later, the lease still runs: another process cannot take it.
    expect(await store.leases.acquire(sessionId, 'second', { now: clock.now(), expiresAt: clock.now() + 1 })).toBe(false);
    expect((await store.leases.get(sessionId))?.expiresAt).toBeGreaterThan(clock.now());
    await finishWork(sessionId);
    turn.open(false);
    await running;
  });

  it('keeps the lease while replies wait to be delivered, and releases it once they are sent', async () => {
    const sessionId = await pendingSession('c1');
    const first = leasesFor('first');
    await first.run(sessionId, async () => {
      await finishWork(sessionId);
      await store.outbox.enqueue({ key: 'reply', sessionId, channel: 'fake', chatId: 'c1', text: 'hello' });
      return false;
    });
    expect(first.holds(sessionId)).toBe(true);
    const [reply] = await store.outbox.listPending();
    await store.outbox.markSent(reply?.id ?? '', 'p1', clock.now());
    await clock.advance(leaseMs / 3);
    await settle();
    expect(first.holds(sessionId)).toBe(false);
    expect(await store.leases.get(sessionId)).toBeUndefined();
  });

  it('takes over a dead holder’s session at its expiry: one timer at that deadline, no polling', async () => {
    const sessionId = await pendingSession('c1');
    const expiresAt = clock.now() + 12_345;
    expect(await store.leases.acquire(sessionId, 'dead', { now: clock.now(), expiresAt })).toBe(true);
    const second = leasesFor('second');
    const resumed: string[] = [];
    await second.start({ resume: (id) => void resumed.push(id), accepts: async () => true });
    expect(resumed).toEqual([]);
    expect(clock.pendingDelays()).toEqual([12_345]);
    await clock.advance(12_344);
    await settle();
    expect(resumed).toEqual([]);
    await clock.advance(1);
    await settle();
    expect(resumed).toEqual([sessionId]);
    expect(await store.leases.get(sessionId)).toMatchObject({ holderId: 'second' });
    await second.stop();
    expect(await store.leases.get(sessionId)).toBeUndefined();
  });

  it('takes over a lease that expired while it was looking, however the clock moved between its queries', async () => {
    const sessionId = await pendingSession('c1');
    await store.leases.acquire(sessionId, 'dead', { now: clock.now(), expiresAt: clock.now() + 5 });
    // Time moves on between reading the clock for one query and the next, as on a busy machine.
    let ticks = -10;
    const ticking = {
      ...clock,
      now: () => {
        ticks += 10;
        return clock.now() + ticks;
      },
    };
    const leases = createSessionLeases({
      leases: store.leases,
      holderId: 'second',
      clock: ticking,
      leaseMs,
      logger: createRecordingLogger(),
    });
    const resumed: string[] = [];
    await leases.start({ resume: (id) => void resumed.push(id), accepts: async () => true });
    expect(resumed).toEqual([]);
    while (resumed.length === 0 && (await clock.runNext())) await settle();
    expect(resumed).toEqual([sessionId]);
    await leases.stop();
  });

  it('takes over nothing it does not accept, and nothing at all without a takeover rule', async () => {
    const free = await pendingSession('c1');
    const refused = leasesFor('picky');
    const resumed: string[] = [];
    await refused.start({ resume: (id) => void resumed.push(id), accepts: async () => false });
    const none = leasesFor('none');
    await none.start({ resume: (id) => void resumed.push(id) });
    expect(resumed).toEqual([]);
    expect(await store.leases.get(free)).toBeUndefined();
  });

  it('resumes a session it was refused once the other holder’s lease ran out', async () => {
    const sessionId = await pendingSession('c1');
    await store.leases.acquire(sessionId, 'other', { now: clock.now(), expiresAt: clock.now() + 5_000 });
    const mine = leasesFor('mine');
    const resumed: string[] = [];
    await mine.start({ resume: (id) => void resumed.push(id) });
    expect(await mine.run(sessionId, async () => true)).toBe(false);
    await settle();
    expect(clock.pendingDelays()).toEqual([5_000]);
    await clock.advance(5_000);
    await settle();
    expect(resumed).toEqual([sessionId]);
  });

  it('gives up a lease another process took while this one was stalled, aborting its turn', async () => {
    const sessionId = await pendingSession('c1');
    const logger = createRecordingLogger();
    const first = createSessionLeases({ leases: store.leases, holderId: 'first', clock, leaseMs, logger });
    const turn = gate();
    let aborted: AbortSignal | undefined;
    const running = first.run(sessionId, (signal) => {
      aborted = signal;
      return turn.closed;
    });
    await settle();
    expect(aborted?.aborted).toBe(false);
    // The lease ran out without a renewal (a stalled process) and another process took the session.
    const later = clock.now() + leaseMs;
    await store.leases.acquire(sessionId, 'second', { now: later, expiresAt: later + leaseMs });
    await clock.advance(leaseMs / 3);
    await settle();
    expect(first.holds(sessionId)).toBe(false);
    expect(logger.lines.some((line) => line.message.includes('lost the lease'))).toBe(true);
    expect(aborted?.aborted).toBe(true);
    turn.open(false);
    await running;
    expect(await store.leases.get(sessionId)).toMatchObject({ holderId: 'second' });
  });
});
