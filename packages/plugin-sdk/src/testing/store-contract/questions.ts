import { describe, expect, it } from 'vitest';
import type { NewQuestion, Store } from '../../contracts/store';
import type { ContextAccessor } from './context';
import { expectNotFound, seedSession, startTime } from './context';

async function seedQuestion(store: Store) {
  const { agent, chat, session } = await seedSession(store);
  const turn = await store.turns.create({ sessionId: session.id, trigger: 'message' });
  const input: NewQuestion = {
    key: `${turn.id}:ask:0`,
    sessionId: session.id,
    turnId: turn.id,
    agentId: agent.id,
    chatId: chat.id,
    text: 'Which pizza?',
    options: ['Margherita', 'Funghi'],
    defaultOption: 1,
    expiresAt: startTime + 600_000,
    createdAt: startTime,
  };
  return { input, created: await store.questions.create(input) };
}

export function describeQuestionCases(context: ContextAccessor): void {
  describe('questions', () => {
    it('stores a question once per key, pending, listed for its chat', async () => {
      const { store } = context();
      const { input, created } = await seedQuestion(store);
      expect(created.inserted).toBe(true);
      expect(created.question).toEqual({
        id: created.question.id,
        ...input,
        status: 'pending',
      });
      const again = await store.questions.create({ ...input, text: 'something else' });
      expect(again).toEqual({ question: created.question, inserted: false });
      expect(await store.questions.get(created.question.id)).toEqual(created.question);
      expect(await store.questions.listPending(input.chatId)).toEqual([created.question]);
      expect(await store.questions.get('ghost')).toBeUndefined();
    });

    it('ends once: the first answer counts, an expiry takes the default', async () => {
      const { store } = context();
      const { input, created } = await seedQuestion(store);
      const answered = await store.questions.end(created.question.id, {
        status: 'answered',
        answer: 0,
        answeredBy: '77',
        at: startTime + 1_000,
      });
      expect(answered).toMatchObject({ status: 'answered', answer: 0, answeredBy: '77', endedAt: startTime + 1_000 });
      expect(await store.questions.end(created.question.id, { status: 'expired', at: startTime + 2_000 })).toEqual(answered);
      expect(await store.questions.listPending(created.question.chatId)).toEqual([]);
      await expectNotFound(store.questions.end('ghost', { status: 'expired', at: 1 }), 'question', 'ghost');

      const other = await store.questions.create({ ...input, key: 'other:ask:0' });
      expect(await store.questions.end(other.question.id, { status: 'expired', at: startTime + 3_000 })).toMatchObject({
        status: 'expired',
        answer: 1,
        endedAt: startTime + 3_000,
      });
    });

    it('refuses a question of an unknown turn', async () => {
      const { store } = context();
      const { input } = await seedQuestion(store);
      await expectNotFound(store.questions.create({ ...input, key: 'x:ask:0', turnId: 'ghost' }), 'turn', 'ghost');
    });
  });
}
