import type { Chat, InboundMessage, Question, ReceiveResult, StoredMessage, StoreRepositories, User } from '@ngb/plugin-sdk';
import { decideAccess, isAdminOf } from './engage';
import type { EventBus } from './events';
import type { UnitOfWork } from './unit-of-work';

/** The button id of option `index` of a question: handed back by the adapter as the inbound `choice`. */
export function choiceId(questionId: string, index: number): string {
  return `ask:${questionId}:${index}`;
}

function parseChoiceId(choice: string): { questionId: string; index: number } | undefined {
  const match = /^ask:([A-Za-z0-9-]{1,54}):(\d)$/.exec(choice);
  return match ? { questionId: match[1] ?? '', index: Number(match[2]) } : undefined;
}

/**
 * The option a text names: its number (`2`) or its label, case-insensitive, surrounding spaces and
 * a final full stop ignored. Anything else answers nothing (it is an ordinary message).
 */
function optionOfText(options: readonly string[], text: string): number | undefined {
  const said = text.trim().replace(/\.$/, '').trim().toLowerCase();
  if (/^\d{1,2}$/.test(said)) {
    const index = Number(said) - 1;
    return index >= 0 && index < options.length ? index : undefined;
  }
  const index = options.findIndex((option) => option.trim().toLowerCase() === said);
  return index >= 0 ? index : undefined;
}

/** Whether a user may talk to the agent in the chat (the same rule as for a new message). */
async function mayAnswer(store: StoreRepositories, chat: Chat, user: () => Promise<User>, agentId: string): Promise<boolean> {
  if (chat.status !== 'active') return false;
  if (chat.unknownSenderPolicy === 'public') return true;
  const found = await user();
  const roles = await store.users.listRoles(found.id);
  const isMember = !isAdminOf(roles, agentId) && (await store.agentMembers.isMember(agentId, found.id));
  return decideAccess({ chat, roles, agentId, isMember }) === 'allow';
}

/** What the questions module needs. */
export interface QuestionsOptions {
  bus: Pick<EventBus, 'emit'>;
}

/**
 * Questions turns wait on (`ask_user`): answers by button or by text, recorded in the unit that
 * received them, and the waiting turns woken once it committed.
 */
export interface Questions {
  /**
   * Answers a pending question of the chat with a stored text message, when the text names one of
   * its options and the sender may talk to the question's agent there.
   * @returns the receive result when the message was an answer (it then goes to no session's inbox)
   */
  answerWithText(
    unit: UnitOfWork,
    chat: Chat,
    user: () => Promise<User>,
    message: StoredMessage,
  ): Promise<ReceiveResult | undefined>;
  /** Answers the question named by a button press (`kind: 'choice'`), or says why it was dropped. */
  answerWithChoice(unit: UnitOfWork, inbound: InboundMessage): Promise<ReceiveResult>;
  /**
   * Resolves when the question is no longer pending (answered or expired by anyone); rejects when
   * `signal` aborts. The caller reads the question again to learn how it ended.
   */
  whenEnded(questionId: string, signal: AbortSignal): Promise<void>;
  /** Wakes the waiters of a question that ended (call after the commit that ended it). */
  ended(question: Question): void;
}

/** Creates the questions of a gateway. */
export function createQuestions(options: QuestionsOptions): Questions {
  const waiters = new Map<string, Set<() => void>>();

  const ended: Questions['ended'] = (question) => {
    const waiting = waiters.get(question.id);
    waiters.delete(question.id);
    for (const wake of waiting ?? []) wake();
    options.bus.emit({
      type: 'question.ended',
      questionId: question.id,
      sessionId: question.sessionId,
      status: question.status,
      answer: question.answer === undefined ? null : (question.options[question.answer] ?? null),
    });
  };

  const answer = async (unit: UnitOfWork, question: Question, index: number, answeredBy: string, at: number) => {
    const done = await unit.tx.questions.end(question.id, { status: 'answered', answer: index, answeredBy, at });
    unit.after(() => ended(done));
    return done;
  };

  return {
    async answerWithText(unit, chat, user, message) {
      for (const question of await unit.tx.questions.listPending(chat.id)) {
        if (question.threadId !== message.threadId) continue;
        const index = optionOfText(question.options, message.text);
        if (index === undefined) continue;
        if (!(await mayAnswer(unit.tx, chat, user, question.agentId))) continue;
        await answer(unit, question, index, message.senderId, message.timestamp);
        return { messageId: message.id, routed: [{ agentId: question.agentId, sessionId: question.sessionId, kind: 'answer' }] };
      }
      return undefined;
    },

    async answerWithChoice(unit, inbound) {
      const store = unit.tx;
      const drop = (reason: string): ReceiveResult => {
        unit.after(() =>
          options.bus.emit({
            type: 'message.dropped',
            reason,
            channel: inbound.channel,
            chatId: inbound.chat.id,
            senderId: inbound.sender.id,
          }),
        );
        return { dropped: reason };
      };
      const named = inbound.choice === undefined ? undefined : parseChoiceId(inbound.choice);
      const question = named ? await store.questions.get(named.questionId) : undefined;
      const chat = await store.chats.getByPlatformId(inbound.channel, inbound.chat.id);
      if (!named || !question || !chat || question.chatId !== chat.id) return drop('choice of no question of this chat');
      if (question.status !== 'pending') return drop('question already answered');
      if (named.index >= question.options.length) return drop('choice of no option of the question');
      const user = () =>
        store.users.upsert({ channel: inbound.channel, platformUserId: inbound.sender.id, name: inbound.sender.name });
      if (inbound.sender.isBot || !(await mayAnswer(store, chat, user, question.agentId)))
        return drop('sender may not answer (chat rules)');
      await answer(unit, question, named.index, inbound.sender.id, inbound.timestamp);
      return { messageId: question.id, routed: [{ agentId: question.agentId, sessionId: question.sessionId, kind: 'answer' }] };
    },

    whenEnded(questionId, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        const set = waiters.get(questionId) ?? new Set<() => void>();
        waiters.set(questionId, set);
        const onAbort = () => {
          set.delete(wake);
          reject(signal.reason);
        };
        const wake = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        set.add(wake);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },

    ended,
  };
}
