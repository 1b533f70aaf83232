import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createOpenAIProvider } from '@ngb/llm-openai';
import type {
  Agent,
  Chat,
  EngageMode,
  LlmProvider,
  SandboxRuntime,
  SessionMode,
  Store,
  UnknownSenderPolicy,
} from '@ngb/plugin-sdk';
import {
  createRecordingChannel,
  createRecordingLogger,
  type LlmScriptStep,
  type RecordingCapabilities,
  type RecordingChannel,
  type RecordingInboundFile,
} from '@ngb/plugin-sdk/testing';
import { createLocalRuntime } from '@ngb/runtime';
import { createSqliteStore } from '@ngb/store';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { createGateway } from '../create-gateway';
import type { TimedGatewayEvent } from '../events';
import type { Gateway, GatewayOptions } from '../gateway-options';

/** Options of a test gateway. */
export interface HarnessOptions extends Partial<Omit<GatewayOptions, 'store' | 'runtime' | 'providers' | 'agentsDirectory'>> {
  /** Channels besides the recording channel `fake`. */
  channels?: GatewayOptions['channels'];
  script?: LlmScriptStep[];
  maxMessageLength?: number;
  /** The recording channel's byte limit per message (a platform that counts UTF-8 bytes). */
  maxMessageBytes?: number;
  /** The capabilities of the recording channel `fake`. @default { typing: true } */
  channelCapabilities?: RecordingCapabilities;
  runtime?: SandboxRuntime;
  /** Keep the store at this file (for restart tests). */
  storePath?: string;
  /** Share this store (another gateway's, as a second process on one database would); not closed. */
  store?: Awaited<ReturnType<typeof createSqliteStore>>;
  /** Hands the gateway this view of the store instead (fault injection); `harness.store` stays the real one. */
  wrapStore?: (store: Store) => Store;
  /** Model providers besides `default` (the fake model server's), by name. */
  moreProviders?: Record<string, LlmProvider>;
}

/** A gateway wired to a real SQLite store, the fake model server and a recording channel. */
export interface Harness {
  gateway: Gateway;
  store: Awaited<ReturnType<typeof createSqliteStore>>;
  llm: FakeLlmServer;
  channel: RecordingChannel;
  events: TimedGatewayEvent[];
  logger: ReturnType<typeof createRecordingLogger>;
  directory: string;
  addAgent(
    folder: string,
    extra?: Partial<Pick<Agent, 'isMain' | 'assistantName' | 'timezone' | 'model'>> & { instructions?: string },
  ): Promise<Agent>;
  addChat(
    chatId: string,
    wiring: {
      agent: Agent;
      isGroup?: boolean;
      engage?: EngageMode;
      pattern?: string;
      sessionMode?: SessionMode;
      accumulate?: boolean;
      policy?: UnknownSenderPolicy;
      priority?: number;
    },
  ): Promise<Chat>;
  grant(platformUserId: string, role: 'owner' | 'admin', agentId?: string): Promise<void>;
  /** Posts a message and waits until the gateway is idle. */
  say(
    text: string,
    extra?: {
      chatId?: string;
      sender?: string;
      isGroup?: boolean;
      threadId?: string;
      mentionsBot?: boolean;
      files?: RecordingInboundFile[];
    },
  ): Promise<void>;
  texts(): string[];
  close(): Promise<void>;
}

let counter = 0;

/** Builds and starts a {@link Harness}. */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const directory = options.storePath ? dirname(options.storePath) : mkdtempSync(join(tmpdir(), 'ngb-core-'));
  const agentsDirectory = join(directory, 'agents');
  mkdirSync(agentsDirectory, { recursive: true });
  const store = options.store ?? (await createSqliteStore({ path: options.storePath ?? ':memory:' }));
  const llm = await createFakeLlmServer({ script: options.script ?? [], acceptAnyModel: true });
  const provider = createOpenAIProvider({ baseURL: `${llm.url}/v1`, apiKey: 'test-key', model: 'fake-model', maxRetries: 0 });
  const runtime = options.runtime ?? createLocalRuntime({ maxSandboxes: 4 });
  const channel = createRecordingChannel({
    name: 'fake',
    limits: {
      maxMessageLength: options.maxMessageLength ?? 4096,
      ...(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {}),
    },
    capabilities: options.channelCapabilities,
  });
  const logger = createRecordingLogger();
  const {
    script: _script,
    maxMessageLength: _limit,
    maxMessageBytes: _bytes,
    channelCapabilities: _capabilities,
    runtime: _runtime,
    storePath: _path,
    store: _shared,
    wrapStore,
    moreProviders = {},
    channels: more = [],
    ...rest
  } = options;
  const gateway = createGateway({
    store: wrapStore ? wrapStore(store) : store,
    runtime,
    providers: { default: provider, ...moreProviders },
    channels: [channel, ...more],
    agentsDirectory,
    logger,
    ...rest,
  });
  const events: TimedGatewayEvent[] = [];
  gateway.events.on((event) => void events.push(event));
  await gateway.start();

  return {
    gateway,
    store,
    llm,
    channel,
    events,
    logger,
    directory,
    async addAgent(folder, extra = {}) {
      mkdirSync(join(agentsDirectory, folder), { recursive: true });
      if (extra.instructions) writeFileSync(join(agentsDirectory, folder, 'AGENTS.md'), extra.instructions);
      return store.agents.create({
        folder,
        name: folder,
        isMain: extra.isMain ?? false,
        assistantName: extra.assistantName,
        timezone: extra.timezone,
        model: extra.model,
      });
    },
    async addChat(chatId, wiring) {
      const chat = await store.chats.upsert({
        channel: 'fake',
        platformChatId: chatId,
        name: `chat ${chatId}`,
        isGroup: wiring.isGroup ?? false,
        status: 'active',
        unknownSenderPolicy: wiring.policy ?? 'public',
      });
      await store.wirings.add({
        chatId: chat.id,
        agentId: wiring.agent.id,
        engage: wiring.engage ?? 'always',
        pattern: wiring.pattern,
        sessionMode: wiring.sessionMode ?? 'shared',
        accumulate: wiring.accumulate ?? false,
        priority: wiring.priority,
      });
      return chat;
    },
    async grant(platformUserId, role, agentId) {
      const user = await store.users.upsert({ channel: 'fake', platformUserId });
      await store.users.grantRole(user.id, role, agentId);
    },
    async say(text, extra = {}) {
      counter += 1;
      await channel.inject({
        text,
        chat: { id: extra.chatId ?? 'c1', isGroup: extra.isGroup ?? false },
        sender: { id: extra.sender ?? 'user-1', name: extra.sender ?? 'User One' },
        threadId: extra.threadId,
        mentionsBot: extra.mentionsBot ?? false,
        platformMessageId: `m-${counter}`,
        files: extra.files,
      });
      await gateway.idle();
    },
    texts: () => channel.sent.map((sent) => sent.message.text),
    async close() {
      await gateway.stop({ graceMs: 1_000 });
      await runtime.close();
      await llm.close();
      if (!options.store) await store.close();
      if (!options.storePath) rmSync(directory, { recursive: true, force: true });
    },
  };
}
