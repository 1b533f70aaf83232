import { describe, expect, it } from 'vitest';
import type { NewOutboxEntry } from '../../contracts/store';
import type { ContextAccessor } from './context';
import { expectNotFound, expectTypeError, seedSession, startTime } from './context';

export function describeTranscriptCases(context: ContextAccessor): void {
  describe('transcript', () => {
    it('appends entries in order and reads JSON content back unchanged', async () => {
      const { store } = context();
      const { session } = await seedSession(store);
      const turn = await store.turns.create({ sessionId: session.id, trigger: 'message' });
      const contents = [
        'plain text',
        { type: 'tool-call', id: 't1', input: { path: '/workspace/a.txt', lines: [1, 2, 3] } },
        [{ type: 'text', text: 'a "quoted" \\ value \u{1F600}' }],
        null,
        42.5,
        true,
      ];
      const roles = ['user', 'assistant', 'tool', 'assistant', 'tool', 'user'] as const;
      const entries = contents.map((content, index) => ({ turnId: turn.id, role: roles[index] ?? 'user', content }));
      const stored = await store.transcript.append(session.id, entries);
      expect(stored.map((entry) => entry.content)).toEqual(contents);
      expect(stored.map((entry) => entry.role)).toEqual([...roles]);
      expect(
        stored.every((entry) => entry.sessionId === session.id && entry.turnId === turn.id && entry.createdAt === startTime),
      ).toBe(true);
      expect(await store.transcript.list(session.id)).toEqual(stored);
      expect(await store.transcript.append(session.id, [])).toEqual([]);
    });

    it('archives entries through a place: they leave list and count, and stay readable in order', async () => {
      const { store } = context();
      const { session } = await seedSession(store);
      const other = await seedSession(store);
      const stored = await store.transcript.append(
        session.id,
        ['a', 'b', 'c', 'd'].map((content) => ({ role: 'user' as const, content })),
      );
      await store.transcript.append(other.session.id, [{ role: 'user', content: 'elsewhere' }]);
      expect(await store.transcript.firstSeq(session.id)).toBe(stored[0]?.seq);
      expect(await store.transcript.archive(session.id, stored[1]?.seq ?? 0)).toBe(2);
      expect(await store.transcript.firstSeq(session.id)).toBe(stored[2]?.seq);
      expect((await store.transcript.list(session.id)).map((entry) => entry.content)).toEqual(['c', 'd']);
      expect((await store.transcript.list(session.id, { limit: 1 })).map((entry) => entry.content)).toEqual(['d']);
      expect(await store.transcript.count(session.id)).toBe(2);
      expect((await store.transcript.listArchived(session.id)).map((entry) => entry.content)).toEqual(['a', 'b']);
      expect(await store.transcript.archive(session.id, stored[1]?.seq ?? 0)).toBe(0);
      expect(await store.transcript.count(other.session.id)).toBe(1);
      expect(await store.transcript.listArchived(other.session.id)).toEqual([]);
      await expectTypeError(store.transcript.archive(session.id, 1.5));
      expect(await store.transcript.clear(session.id)).toBe(4);
      expect(await store.transcript.listArchived(session.id)).toEqual([]);
      expect(await store.transcript.firstSeq(session.id)).toBeUndefined();
    });

    it('keeps order across appends and large batches, and keeps the most recent for a limit', async () => {
      const { store } = context();
      const { session } = await seedSession(store);
      const other = await seedSession(store);
      await store.transcript.append(session.id, [{ role: 'user', content: 'first' }]);
      await store.transcript.append(other.session.id, [{ role: 'user', content: 'elsewhere' }]);
      const many = Array.from({ length: 250 }, (_, index) => ({ role: 'assistant' as const, content: { index } }));
      await store.transcript.append(session.id, many);
      const all = await store.transcript.list(session.id);
      expect(all).toHaveLength(251);
      expect(all[0]?.content).toBe('first');
      expect(all.slice(1).map((entry) => (entry.content as { index: number }).index)).toEqual(many.map((_, index) => index));
      const recent = await store.transcript.list(session.id, { limit: 3 });
      expect(recent.map((entry) => (entry.content as { index: number }).index)).toEqual([247, 248, 249]);
      expect(await store.transcript.count(session.id)).toBe(251);
      expect(await store.transcript.count(other.session.id)).toBe(1);
    });

    it('lists only what was appended after a place, in order, with increasing seq', async () => {
      const { store } = context();
      const { session } = await seedSession(store);
      const first = await store.transcript.append(session.id, [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'two' },
      ]);
      const last = first.at(-1);
      expect(last?.seq).toBeGreaterThan(first[0]?.seq ?? Number.POSITIVE_INFINITY);
      expect(await store.transcript.list(session.id, { after: last?.seq ?? 0 })).toEqual([]);
      const second = await store.transcript.append(session.id, [
        { role: 'user', content: 'three' },
        { role: 'assistant', content: 'four' },
      ]);
      expect(await store.transcript.list(session.id, { after: last?.seq ?? 0 })).toEqual(second);
      expect(
        (await store.transcript.list(session.id, { after: last?.seq ?? 0, limit: 1 })).map((entry) => entry.content),
      ).toEqual(['four']);
      expect((await store.transcript.list(session.id, { after: 0 })).map((entry) => entry.content)).toEqual([
        'one',
        'two',
        'three',
        'four',
      ]);
    });

    it("clears one session's transcript", async () => {
      const { store } = context();
      const { session } = await seedSession(store);
      const other = await seedSession(store);
      await store.transcript.append(session.id, [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ]);
      await store.transcript.append(other.session.id, [{ role: 'user', content: 'kept' }]);
      expect(await store.transcript.clear(session.id)).toBe(2);
      expect(await store.transcript.list(session.id)).toEqual([]);
      expect(await store.transcript.count(session.id)).toBe(0);
      expect(await store.transcript.clear(session.id)).toBe(0);
      expect(await store.transcript.count(other.session.id)).toBe(1);
    });

    it('refuses content JSON cannot hold, storing nothing of the batch', async () => {
      const { store } = context();
      const { session } = await seedSession(store);
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const content of [undefined, 10n, cyclic, () => 1]) {
        await expectTypeError(
          store.transcript.append(session.id, [
            { role: 'user', content: 'fine' },
            { role: 'assistant', content },
          ]),
        );
      }
      expect(await store.transcript.count(session.id)).toBe(0);
    });

    it('refuses unknown sessions and turns', async () => {
      const { store } = context();
      const { session } = await seedSession(store);
      await expectNotFound(store.transcript.append('ghost', [{ role: 'user', content: 'x' }]), 'session', 'ghost');
      await expectNotFound(
        store.transcript.append(session.id, [{ turnId: 'ghost', role: 'user', content: 'x' }]),
        'turn',
        'ghost',
      );
      expect(await store.transcript.count(session.id)).toBe(0);
    });
  });
}

const reply = (key: string, overrides: Partial<NewOutboxEntry> = {}): NewOutboxEntry => ({
  key,
  channel: 'telegram',
  chatId: '-100',
  text: `reply ${key}`,
  ...overrides,
});

export function describeOutboxCases(context: ContextAccessor): void {
  describe('outbox', () => {
    it('queues a pending entry', async () => {
      const { store } = context();
      const { session } = await seedSession(store);
      const turn = await store.turns.create({ sessionId: session.id, trigger: 'message' });
      const input = reply('turn-1:0', {
        sessionId: session.id,
        turnId: turn.id,
        threadId: 'th',
        replyToPlatformId: '55',
        format: 'markdown',
      });
      const { entry, inserted } = await store.outbox.enqueue(input);
      expect(inserted).toBe(true);
      expect(entry).toEqual({
        ...input,
        id: entry.id,
        status: 'pending',
        attempts: 0,
        permanentFailure: false,
        sentChunkIds: [],
        streamMessageIds: [],
        streaming: false,
        hop: 0,
        createdAt: startTime,
        updatedAt: startTime,
      });
      expect(await store.outbox.get(entry.id)).toEqual(entry);
      expect(await store.outbox.get('ghost')).toBeUndefined();
    });

    it('queues text as plain unless told it is markdown', async () => {
      const { store } = context();
      const { entry } = await store.outbox.enqueue(reply('notice'));
      expect(entry.format).toBe('plain');
      expect((await store.outbox.get(entry.id))?.format).toBe('plain');
    });

    it('is idempotent on key', async () => {
      const { store } = context();
      const first = await store.outbox.enqueue(reply('k'));
      const again = await store.outbox.enqueue(reply('k', { text: 'different text' }));
      expect(again).toEqual({ entry: first.entry, inserted: false });
      expect(await store.outbox.listPending()).toHaveLength(1);
    });

    it('lists pending entries oldest first, filtered by channel and chat, and the chats waiting', async () => {
      const { store } = context();
      const a = (await store.outbox.enqueue(reply('a', { chatId: 'c2' }))).entry;
      const b = (await store.outbox.enqueue(reply('b', { chatId: 'c1' }))).entry;
      const c = (await store.outbox.enqueue(reply('c', { chatId: 'c2' }))).entry;
      const d = (await store.outbox.enqueue(reply('d', { channel: 'slack', chatId: 'c1' }))).entry;
      const ids = async (filter?: { channel?: string; chatId?: string }) =>
        (await store.outbox.listPending(filter)).map((entry) => entry.id);
      expect(await ids()).toEqual([a.id, b.id, c.id, d.id]);
      expect(await ids({ channel: 'telegram' })).toEqual([a.id, b.id, c.id]);
      expect(await ids({ chatId: 'c1' })).toEqual([b.id, d.id]);
      expect(await ids({ channel: 'telegram', chatId: 'c2' })).toEqual([a.id, c.id]);
      expect(await store.outbox.pendingChats()).toEqual([
        { channel: 'telegram', chatId: 'c2' },
        { channel: 'telegram', chatId: 'c1' },
        { channel: 'slack', chatId: 'c1' },
      ]);
      await store.outbox.markSent(a.id, 'p-1', startTime);
      await store.outbox.markSent(c.id, 'p-2', startTime);
      expect(await store.outbox.pendingChats()).toEqual([
        { channel: 'telegram', chatId: 'c1' },
        { channel: 'slack', chatId: 'c1' },
      ]);
    });

    it("lists what was sent to one chat, the latest ones, oldest first, and nothing pending, failed or another chat's", async () => {
      const { store, advance } = context();
      const sent = [];
      for (const text of ['one', 'two', 'three']) {
        const entry = (await store.outbox.enqueue(reply(text, { chatId: 'c1' }))).entry;
        advance(1_000);
        sent.push(await store.outbox.markSent(entry.id, `p-${text}`, startTime + sent.length * 1_000));
      }
      await store.outbox.enqueue(reply('pending', { chatId: 'c1' }));
      const failed = (await store.outbox.enqueue(reply('failed', { chatId: 'c1' }))).entry;
      await store.outbox.markFailed(failed.id, 'refused', { permanent: true });
      const elsewhere = (await store.outbox.enqueue(reply('elsewhere', { channel: 'slack', chatId: 'c1' }))).entry;
      await store.outbox.markSent(elsewhere.id, 'p-elsewhere', startTime);
      const keys = async (limit: number) =>
        (await store.outbox.listSentToChat('telegram', 'c1', { limit })).map((entry) => entry.key);
      expect(await keys(10)).toEqual(['one', 'two', 'three']);
      expect(await keys(2)).toEqual(['two', 'three']);
      expect(await keys(0)).toEqual([]);
      expect((await store.outbox.listSentToChat('telegram', 'c1', { limit: 1 }))[0]).toEqual(sent[2]);
      expect(await store.outbox.listSentToChat('telegram', 'c9', { limit: 10 })).toEqual([]);
    });

    it('records retries, deliveries and failures', async () => {
      const { store, advance, now } = context();
      const entry = (await store.outbox.enqueue(reply('x'))).entry;
      advance(10);
      const retried = await store.outbox.bumpAttempt(entry.id, '429 too many requests', now() + 5000);
      expect(retried).toMatchObject({
        status: 'pending',
        attempts: 1,
        error: '429 too many requests',
        nextAttemptAt: now() + 5000,
        updatedAt: now(),
      });
      expect((await store.outbox.listPending()).map((item) => item.id)).toEqual([entry.id]);
      const sent = await store.outbox.markSent(entry.id, 'platform-9', now());
      expect(sent).toMatchObject({ status: 'sent', platformMessageId: 'platform-9', sentAt: now(), attempts: 1 });
      expect(await store.outbox.listPending()).toEqual([]);

      const doomed = (await store.outbox.enqueue(reply('y'))).entry;
      const failed = await store.outbox.markFailed(doomed.id, 'chat not found', { permanent: true });
      expect(failed).toMatchObject({ status: 'failed', attempts: 1, error: 'chat not found', permanentFailure: true });
      const exhausted = (await store.outbox.enqueue(reply('z'))).entry;
      await store.outbox.bumpAttempt(exhausted.id, 'timeout', now() + 1);
      const gaveUp = await store.outbox.markFailed(exhausted.id, 'timeout again', { permanent: false });
      expect(gaveUp).toMatchObject({ status: 'failed', attempts: 2, error: 'timeout again', permanentFailure: false });
      expect(await store.outbox.listPending()).toEqual([]);
      expect(await store.outbox.pendingChats()).toEqual([]);
    });

    it('keeps the hop count of a reply to another agent', async () => {
      const { store } = context();
      const { entry } = await store.outbox.enqueue(reply('to-agent', { hop: 2 }));
      expect(entry.hop).toBe(2);
      expect((await store.outbox.get(entry.id))?.hop).toBe(2);
    });

    it('records the parts of a long text as they are sent, in order, and keeps them', async () => {
      const { store, now } = context();
      const entry = (await store.outbox.enqueue(reply('long'))).entry;
      expect(entry.sentChunkIds).toEqual([]);
      await store.outbox.recordChunk(entry.id, 'part-1');
      const second = await store.outbox.recordChunk(entry.id, 'part-2');
      expect(second).toMatchObject({ status: 'pending', sentChunkIds: ['part-1', 'part-2'] });
      expect((await store.outbox.listPending())[0]?.sentChunkIds).toEqual(['part-1', 'part-2']);
      await store.outbox.bumpAttempt(entry.id, 'timeout', now() + 1);
      const sent = await store.outbox.markSent(entry.id, 'part-1', now());
      expect(sent.sentChunkIds).toEqual(['part-1', 'part-2']);
      expect((await store.outbox.get(entry.id))?.sentChunkIds).toEqual(['part-1', 'part-2']);
    });

    it('keeps a streamed reply away from delivery until its stream is closed, with the messages it went into', async () => {
      const { store } = context();
      const opened = await store.outbox.openStream(reply('turn-9:reply', { text: '' }));
      expect(opened).toMatchObject({ status: 'pending', streaming: true, streamMessageIds: [] });
      expect(await store.outbox.listPending()).toEqual([]);
      expect(await store.outbox.pendingChats()).toEqual([]);
      await store.outbox.recordStreamMessage(opened.id, 'm-1');
      await store.outbox.recordStreamMessage(opened.id, 'm-2');
      // A retried turn opens the same key again and finds the messages of its earlier attempt.
      const again = await store.outbox.openStream(reply('turn-9:reply', { text: '' }));
      expect(again).toMatchObject({ id: opened.id, streaming: true, streamMessageIds: ['m-1', 'm-2'] });
      expect((await store.outbox.enqueue(reply('turn-9:reply'))).inserted).toBe(false);
      const closed = await store.outbox.closeStream(opened.id, 'the final words');
      expect(closed).toMatchObject({ streaming: false, text: 'the final words', streamMessageIds: ['m-1', 'm-2'] });
      expect((await store.outbox.listPending()).map((entry) => entry.id)).toEqual([opened.id]);
      expect(await store.outbox.pendingChats()).toEqual([{ channel: closed.channel, chatId: closed.chatId }]);
      await expectNotFound(store.outbox.recordStreamMessage('ghost', 'p'), 'outbox entry', 'ghost');
      await expectNotFound(store.outbox.closeStream('ghost', 't'), 'outbox entry', 'ghost');
    });

    it('refuses unknown ids and references', async () => {
      const { store } = context();
      await expectNotFound(store.outbox.markSent('ghost', 'p', 1), 'outbox entry', 'ghost');
      await expectNotFound(store.outbox.recordChunk('ghost', 'p'), 'outbox entry', 'ghost');
      await expectNotFound(store.outbox.markFailed('ghost', 'e', { permanent: true }), 'outbox entry', 'ghost');
      await expectNotFound(store.outbox.bumpAttempt('ghost', 'e', 1), 'outbox entry', 'ghost');
      await expectNotFound(store.outbox.enqueue(reply('q', { sessionId: 'ghost' })), 'session', 'ghost');
      await expectNotFound(store.outbox.enqueue(reply('r', { turnId: 'ghost' })), 'turn', 'ghost');
      expect(await store.outbox.listPending()).toEqual([]);
    });
  });
}
