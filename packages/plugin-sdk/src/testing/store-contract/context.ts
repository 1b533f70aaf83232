import { expect } from 'vitest';
import type { Agent, Chat, NewAgent, NewStoredMessage, Session, Store, StoredMessage } from '../../contracts/store';
import { ConfigError, NotFoundError } from '../../errors';

/** The seams the contract suite controls; the factory must pass them to the store. */
export interface StoreContractSeams {
  /** The store's clock (epoch ms); the suite moves it. */
  now: () => number;
  /** The store's id source; the suite records every id it hands out. */
  generateId: () => string;
}

/** Builds a fresh, empty store for one test. It is closed by the suite after the test. */
export type StoreContractFactory = (seams: StoreContractSeams) => Store | Promise<Store>;

/** What each contract case works with. */
export interface StoreTestContext {
  readonly store: Store;
  /** Current time of the store's clock. */
  now(): number;
  /** Moves the store's clock forward. */
  advance(milliseconds: number): void;
  /** Every id the store asked for, in order. */
  readonly generatedIds: readonly string[];
}

/** Gives the current test's context (a new store per test). */
export type ContextAccessor = () => StoreTestContext;

/** Time the suite's clock starts at. */
export const startTime = Date.UTC(2026, 0, 1);

/** Seams with a manual clock and predictable ids (`00000001-test`, `00000002-test`, ...). */
export function createSeams(): { seams: StoreContractSeams; context: Omit<StoreTestContext, 'store'> } {
  let time = startTime;
  let counter = 0;
  const generatedIds: string[] = [];
  return {
    seams: {
      now: () => time,
      generateId: () => {
        counter += 1;
        const id = `${counter.toString(16).padStart(8, '0')}-test`;
        generatedIds.push(id);
        return id;
      },
    },
    context: {
      now: () => time,
      advance: (milliseconds) => {
        time += milliseconds;
      },
      generatedIds,
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to reject, but it resolved');
    },
    (error: unknown) => error,
  );
}

/** Asserts that `promise` rejects with NotFoundError for `entity` (and `id` when given). */
export async function expectNotFound(promise: Promise<unknown>, entity: string, id?: string): Promise<void> {
  const error = await rejection(promise);
  expect(NotFoundError.isInstance(error), `expected NotFoundError, got ${String(error)}`).toBe(true);
  expect((error as NotFoundError).entity).toBe(entity);
  if (id !== undefined) expect((error as NotFoundError).id).toBe(id);
}

/** Asserts that `promise` rejects with ConfigError whose message matches `pattern`. */
export async function expectConfigError(promise: Promise<unknown>, pattern?: RegExp | string): Promise<ConfigError> {
  const error = await rejection(promise);
  expect(ConfigError.isInstance(error), `expected ConfigError, got ${String(error)}`).toBe(true);
  if (pattern !== undefined) expect((error as ConfigError).message).toMatch(pattern);
  return error as ConfigError;
}

/** Asserts that `promise` rejects with a TypeError. */
export async function expectTypeError(promise: Promise<unknown>): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(TypeError);
}

let agentCounter = 0;

/** Creates an agent with sensible defaults. */
export function seedAgent(store: Store, overrides: Partial<NewAgent> = {}): Promise<Agent> {
  agentCounter += 1;
  return store.agents.create({ folder: `agent-${agentCounter}`, name: 'Agent', isMain: false, ...overrides });
}

let chatCounter = 0;

/** Creates an active chat. */
export function seedChat(
  store: Store,
  overrides: { channel?: string; platformChatId?: string; name?: string } = {},
): Promise<Chat> {
  chatCounter += 1;
  return store.chats.upsert({
    channel: overrides.channel ?? 'test',
    platformChatId: overrides.platformChatId ?? `chat-${chatCounter}`,
    name: overrides.name ?? 'A chat',
    isGroup: true,
    status: 'active',
  });
}

/** Creates an agent, a chat and their shared session. */
export async function seedSession(store: Store): Promise<{ agent: Agent; chat: Chat; session: Session }> {
  const agent = await seedAgent(store);
  const chat = await seedChat(store);
  const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
  return { agent, chat, session };
}

let messageCounter = 0;

/** Stores an inbound message in `chatId`. */
export async function seedMessage(
  store: Store,
  chatId: string,
  overrides: Partial<NewStoredMessage> = {},
): Promise<StoredMessage> {
  messageCounter += 1;
  const { message } = await store.messages.insert({
    chatId,
    platformMessageId: `m-${messageCounter}`,
    senderId: 'user-1',
    text: 'hello',
    mentionsBot: false,
    timestamp: startTime,
    direction: 'inbound',
    ...overrides,
  });
  return message;
}
