import { describe, expect, it } from 'vitest';
import type { Store } from '../../contracts/store';
import type { ContextAccessor } from './context';
import { expectConfigError, seedAgent, seedChat, seedMessage, seedSession, startTime } from './context';

// A value no field accepts. Typed `never` so it can stand where the contract expects a union member.
const bogus = 'bogus' as never;

interface AllowedValueCase {
  /** The call, as the test names it. */
  call: string;
  /** The field at fault: `ConfigError.key`, and named in the message. */
  key: string;
  /** The values the field accepts, each named in the message. */
  allowed: readonly string[];
  /**
   * Seeds what the call needs.
   * @returns the call with the bogus value, and a snapshot of everything it could have changed
   */
  prepare(store: Store): Promise<{ attempt(): Promise<unknown>; snapshot(): Promise<unknown> }>;
}

const policies = ['strict', 'request_approval', 'public'];
const chatStatuses = ['active', 'pending', 'denied'];
const scheduleTypes = ['cron', 'interval', 'once'];
const taskStatuses = ['active', 'paused', 'completed', 'cancelled'];

const newChat = { channel: 'test', platformChatId: 'refused', name: 'Refused', isGroup: true };
const newTask = {
  prompt: 'p',
  scheduleType: 'interval',
  scheduleValue: '60000',
  timezone: 'UTC',
  contextMode: 'group',
} as const;

async function seedTask(store: Store) {
  const agent = await seedAgent(store);
  return store.tasks.create({ agentId: agent.id, ...newTask });
}

const cases: AllowedValueCase[] = [
  {
    call: 'chats.upsert',
    key: 'unknownSenderPolicy',
    allowed: policies,
    prepare: async (store) => ({
      attempt: () => store.chats.upsert({ ...newChat, unknownSenderPolicy: bogus }),
      snapshot: () => store.chats.list(),
    }),
  },
  {
    call: 'chats.upsert',
    key: 'status',
    allowed: chatStatuses,
    prepare: async (store) => ({
      attempt: () => store.chats.upsert({ ...newChat, status: bogus }),
      snapshot: () => store.chats.list(),
    }),
  },
  {
    call: 'chats.update',
    key: 'unknownSenderPolicy',
    allowed: policies,
    prepare: async (store) => {
      const chat = await seedChat(store);
      return {
        attempt: () => store.chats.update(chat.id, { name: 'renamed', unknownSenderPolicy: bogus }),
        snapshot: () => store.chats.get(chat.id),
      };
    },
  },
  {
    call: 'chats.update',
    key: 'status',
    allowed: chatStatuses,
    prepare: async (store) => {
      const chat = await seedChat(store);
      return { attempt: () => store.chats.update(chat.id, { status: bogus }), snapshot: () => store.chats.get(chat.id) };
    },
  },
  ...(['engage', 'sessionMode'] as const).map(
    (key): AllowedValueCase => ({
      call: 'wirings.add',
      key,
      allowed: key === 'engage' ? ['always', 'pattern', 'mention', 'mention-sticky'] : ['shared', 'per-thread', 'agent-shared'],
      prepare: async (store) => {
        const [agent, chat] = [await seedAgent(store), await seedChat(store)];
        const wiring = { chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared' } as const;
        return {
          attempt: () => store.wirings.add({ ...wiring, [key]: bogus }),
          snapshot: () => store.wirings.listForChat(chat.id),
        };
      },
    }),
  ),
  {
    call: 'users.grantRole',
    key: 'role',
    allowed: ['owner', 'admin'],
    prepare: async (store) => {
      const user = await store.users.upsert({ channel: 'c', platformUserId: 'u' });
      return { attempt: () => store.users.grantRole(user.id, bogus), snapshot: () => store.users.listRoles(user.id) };
    },
  },
  {
    call: 'sessions.update',
    key: 'status',
    allowed: ['active', 'closed'],
    prepare: async (store) => {
      const { session } = await seedSession(store);
      return {
        attempt: () => store.sessions.update(session.id, { status: bogus }),
        snapshot: () => store.sessions.get(session.id),
      };
    },
  },
  {
    call: 'messages.insert',
    key: 'direction',
    allowed: ['inbound', 'outbound'],
    prepare: async (store) => {
      const chat = await seedChat(store);
      return {
        attempt: () =>
          store.messages.insert({
            chatId: chat.id,
            platformMessageId: 'm',
            senderId: 's',
            text: 't',
            mentionsBot: false,
            timestamp: startTime,
            direction: bogus,
          }),
        snapshot: () => store.messages.listForChat(chat.id),
      };
    },
  },
  {
    call: 'inbox.add',
    key: 'kind',
    allowed: ['message', 'context', 'task'],
    prepare: async (store) => {
      const { chat, session } = await seedSession(store);
      const message = await seedMessage(store, chat.id);
      return {
        attempt: () => store.inbox.add({ sessionId: session.id, messageId: message.id, kind: bogus }),
        snapshot: () => store.inbox.listPending(session.id),
      };
    },
  },
  {
    call: 'turns.create',
    key: 'trigger',
    allowed: ['message', 'task', 'manual'],
    prepare: async (store) => {
      const { session } = await seedSession(store);
      return {
        attempt: () => store.turns.create({ sessionId: session.id, trigger: bogus }),
        snapshot: () => store.turns.listForSession(session.id),
      };
    },
  },
  {
    call: 'turns.update',
    key: 'status',
    allowed: ['queued', 'running', 'succeeded', 'failed'],
    prepare: async (store) => {
      const { session } = await seedSession(store);
      const turn = await store.turns.create({ sessionId: session.id, trigger: 'message' });
      return {
        attempt: () => store.turns.update(turn.id, { attempts: 1, status: bogus }),
        snapshot: () => store.turns.get(turn.id),
      };
    },
  },
  {
    call: 'transcript.append',
    key: 'role',
    allowed: ['user', 'assistant', 'tool'],
    prepare: async (store) => {
      const { session } = await seedSession(store);
      return {
        attempt: () =>
          store.transcript.append(session.id, [
            { role: 'user', content: 'kept only with the rest' },
            { role: bogus, content: 'refused' },
          ]),
        snapshot: () => store.transcript.list(session.id),
      };
    },
  },
  ...(
    [
      ['scheduleType', scheduleTypes],
      ['contextMode', ['group', 'isolated']],
      ['status', taskStatuses],
    ] as const
  ).map(
    ([key, allowed]): AllowedValueCase => ({
      call: 'tasks.create',
      key,
      allowed,
      prepare: async (store) => {
        const agent = await seedAgent(store);
        return {
          attempt: () => store.tasks.create({ agentId: agent.id, ...newTask, [key]: bogus }),
          snapshot: () => store.tasks.list(),
        };
      },
    }),
  ),
  ...(
    [
      ['scheduleType', scheduleTypes],
      ['status', taskStatuses],
    ] as const
  ).map(
    ([key, allowed]): AllowedValueCase => ({
      call: 'tasks.update',
      key,
      allowed,
      prepare: async (store) => {
        const task = await seedTask(store);
        return {
          attempt: () => store.tasks.update(task.id, { prompt: 'changed', [key]: bogus }),
          snapshot: () => store.tasks.get(task.id),
        };
      },
    }),
  ),
  {
    call: 'taskRuns.add',
    key: 'status',
    allowed: ['succeeded', 'failed'],
    prepare: async (store) => {
      const task = await seedTask(store);
      return {
        attempt: () => store.taskRuns.add({ taskId: task.id, startedAt: startTime, status: bogus }),
        snapshot: () => store.taskRuns.listForTask(task.id),
      };
    },
  },
  {
    call: 'approvals.create',
    key: 'kind',
    allowed: ['chat', 'sender'],
    prepare: async (store) => {
      const chat = await seedChat(store);
      return {
        attempt: () => store.approvals.create({ kind: bogus, chatId: chat.id, code: 'CODE1', requestedAt: startTime }),
        snapshot: () => store.approvals.list(),
      };
    },
  },
  {
    call: 'approvals.resolve',
    key: 'status',
    allowed: ['approved', 'denied'],
    prepare: async (store) => {
      const chat = await seedChat(store);
      const approval = await store.approvals.create({ kind: 'chat', chatId: chat.id, code: 'CODE2', requestedAt: startTime });
      return {
        attempt: () => store.approvals.resolve(approval.id, bogus, startTime + 1),
        snapshot: () => store.approvals.get(approval.id),
      };
    },
  },
  {
    call: 'destinations.set',
    key: 'target.type',
    allowed: ['chat', 'agent'],
    prepare: async (store) => {
      const [agent, chat] = [await seedAgent(store), await seedChat(store)];
      return {
        attempt: () => store.destinations.set({ agentId: agent.id, name: 'home', target: { type: bogus, chatId: chat.id } }),
        snapshot: () => store.destinations.list(agent.id),
      };
    },
  },
  {
    call: 'outbox.enqueue',
    key: 'format',
    allowed: ['markdown', 'plain'],
    prepare: async (store) => ({
      attempt: () => store.outbox.enqueue({ key: 'refused', channel: 'test', chatId: 'c', text: 't', format: bogus }),
      snapshot: () => store.outbox.listPending(),
    }),
  },
];

export function describeAllowedValueCases(context: ContextAccessor): void {
  describe('enum-like fields refuse values outside the contract', () => {
    it.each(cases.map((item) => [item.call, item.key, item] as const))(
      '%s refuses an unknown %s, names it and the allowed values, and changes nothing',
      async (_call, key, item) => {
        const { store } = context();
        const { attempt, snapshot } = await item.prepare(store);
        const before = await snapshot();
        const error = await expectConfigError(attempt());
        expect(error.key).toBe(key);
        expect(error.message).toContain(key);
        expect(error.message).toContain('"bogus"');
        for (const value of item.allowed) expect(error.message).toContain(`"${value}"`);
        expect(await snapshot()).toEqual(before);
      },
    );
  });
}
