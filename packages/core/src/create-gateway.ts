import {
  type ChannelAdapter,
  type ChannelState,
  type ChannelStatus,
  type Clock,
  ConfigError,
  errorMessage,
  type InboundMessage,
  type LlmProvider,
  type Logger,
  type PriceLookup,
  type ReceiveResult,
  type SandboxRuntime,
  type Store,
  silentLogger,
  systemClock,
} from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { createAgentChannel } from './agent-channel';
import { createAgentFileReader } from './agent-file-reader';
import { createAgentMessages, refuseAgentMessage } from './agent-messages';
import { createApprovals } from './approvals';
import { checkChannelLimits } from './channel-limits';
import { createChannelStarter } from './channel-starter';
import { createCommands } from './commands';
import { dashboardIdentity } from './dashboard-identity';
import { createDelivery } from './delivery';
import { createEventBus, defaultEventBufferSize, type EventBus } from './events';
import { agentChannel, type GatewaySettings } from './gateway-settings';
import type { ChatPlaces } from './home-chat';
import { createHostTools } from './host-tools';
import { createInboxAttachments } from './inbox-attachments';
import { createIngest } from './ingest';
import { createOnboarding, type GatewayOnboarding } from './onboarding';
import { createEnqueueText } from './outbound';
import { createPluginHost, type PluginEntry } from './plugin-host';
import { defaultAgentFileMaxBytes } from './read-agent-file';
import { createReplyStreams, streamingOptionSchema } from './reply-streams';
import { createResolveProvider } from './resolve-provider';
import { createRouter } from './router';
import { createScheduler } from './scheduler';
import { createSendFileTool, createSentFiles } from './send-file-tool';
import { createSessionCommands } from './session-commands';
import { createSessionLane } from './session-lane';
import { createSessionLeases } from './session-leases';
import { createSessionQueue } from './session-queue';
import { createSessionTakeOver } from './session-takeover';
import { createTaskTools } from './task-tools';
import { createTranscriptCache } from './transcript-cache';
import { createTurnRunner } from './turn-runner';
import { createUnitOfWork } from './unit-of-work';

const positive = v.pipe(v.number(), v.integer(), v.minValue(1));
/** The default cap on one file saved from a chat or sent to one: 20 MiB. */
const defaultFileMaxBytes = 20 * 1024 * 1024;
// A timer cannot wait longer than 2^31-1 ms: past it, setTimeout fires at once.
const delay = v.pipe(v.number(), v.minValue(0), v.maxValue(2 ** 31 - 1, 'must be at most 2147483647 ms (about 24.8 days)'));
const positiveDelay = v.pipe(positive, v.maxValue(2 ** 31 - 1, 'must be at most 2147483647 ms (about 24.8 days)'));
const settingsSchema = v.object({
  agentsDirectory: v.pipe(v.string(), v.minLength(1, 'pass the directory that holds the agent folders')),
  maxConcurrentTurns: v.optional(positive, 5),
  maxSteps: v.optional(positive, 30),
  maxTurnTokens: v.optional(positive, 500_000),
  retryDelaysMs: v.optional(v.array(delay), [5_000, 10_000, 20_000, 40_000, 80_000]),
  // Waits before a failed model call is sent again, in place; by default the turn schedule above.
  modelRetryDelaysMs: v.optional(v.array(delay)),
  deliveryRetryDelaysMs: v.optional(v.array(delay), [1_000, 2_000, 4_000, 8_000, 16_000]),
  // The sandbox protocol accepts up to a day per call.
  toolTimeoutMs: v.optional(v.pipe(positive, v.maxValue(86_400_000, 'must be at most 86400000 ms (a day)')), 120_000),
  hookTimeoutMs: v.optional(positiveDelay, 5_000),
  hopLimit: v.optional(positive, 3),
  typingIntervalMs: v.optional(positiveDelay, 5_000),
  approvalsAddress: v.optional(v.object({ channel: v.string(), chatId: v.string(), threadId: v.optional(v.string()) })),
  approvalTtlMs: v.optional(positive, 10 * 60_000),
  claimCodeTtlMs: v.optional(positive, 24 * 60 * 60_000),
  linkCodeTtlMs: v.optional(positive, 10 * 60_000),
  maxWrongCodes: v.optional(positive, 5),
  codeLockMs: v.optional(positive, 15 * 60_000),
  agentFileMaxBytes: v.optional(positive, defaultAgentFileMaxBytes),
  attachmentMaxBytes: v.optional(positive, defaultFileMaxBytes),
  sendFileMaxBytes: v.optional(positive, defaultFileMaxBytes),
  ephemeralChannels: v.optional(v.array(v.string()), []),
  sandboxEnv: v.optional(v.record(v.string(), v.string()), {}),
  eventBufferSize: v.optional(positive, defaultEventBufferSize),
  leaseMs: v.optional(v.pipe(positiveDelay, v.minValue(3, 'must be at least 3 ms')), 30_000),
  holderId: v.optional(v.pipe(v.string(), v.minLength(1, 'pass a non-empty holder id'))),
  takeOver: v.optional(v.picklist(['all', 'none']), 'all'),
  streaming: streamingOptionSchema,
});

/** Options of {@link createGateway}. */
export interface GatewayOptions extends v.InferInput<typeof settingsSchema> {
  store: Store;
  runtime: SandboxRuntime;
  /**
   * Model providers by name; an agent uses the one its `model.provider` names (an unknown name is a
   * ConfigError for that agent's turns, never another vendor), else `default`, else the only one.
   */
  providers: Record<string, LlmProvider>;
  channels?: ChannelAdapter[];
  plugins?: PluginEntry[];
  logger?: Logger;
  clock?: Clock;
  generateId?: () => string;
  /**
   * The price of each model, by the id the API reported for a call (see `createPriceLookup` and the
   * provider packages' tables). A turn whose calls it cannot price has an unknown cost (`null`).
   * @default every cost unknown
   */
  price?: PriceLookup;
  /**
   * How long a session lease lasts unless renewed (it is renewed every third of it while the
   * session has work here). A process that dies holding leases has its sessions taken over by
   * another gateway on the same store once they expire.
   * @default 30000
   */
  leaseMs?: number;
  /** This process as the store's leases name it. @default a random id */
  holderId?: string;
  /**
   * Which sessions this gateway takes over without being woken for them by its own intake:
   * `all` (every session with pending work once nobody holds it, except the terminal conversations
   * of other processes, those on `ephemeralChannels`; it fires scheduled tasks too) or `none` (a
   * terminal conversation: only what it receives itself; no tasks).
   * @default 'all'
   */
  takeOver?: 'all' | 'none';
  /**
   * Channels whose replies stream into one platform message while the model writes them (a new
   * message before the length limit), by channel name; off for every channel by default. The
   * channel needs the edit capability: one without it is warned about at start and sends replies
   * whole. The outbox still holds exactly one reply per turn, and plugins' `message:sending` applies
   * to the final text, which replaces the streamed text with one last edit.
   * @default {} (firstAfterChars 80, firstAfterMs 1000, editIntervalMs 1500 for a channel listed)
   */
  streaming?: Record<string, { firstAfterChars?: number; firstAfterMs?: number; editIntervalMs?: number }>;
  /** How long a claim code (see `gateway.onboarding.claimCode()`) can be used. @default 86400000 (24 hours) */
  claimCodeTtlMs?: number;
  /** How long a `/link` code can be used. @default 600000 (10 minutes) */
  linkCodeTtlMs?: number;
  /**
   * Wrong claim or link codes allowed within `codeLockMs`; one more locks that kind of code for
   * `codeLockMs` (logged), so codes cannot be guessed.
   * @default 5
   */
  maxWrongCodes?: number;
  /** @default 900000 (15 minutes) */
  codeLockMs?: number;
  /**
   * The most bytes saved of one file attached to an inbound message (counted while it is written;
   * a larger one is not saved and the prompt says why).
   * @default 20971520 (20 MiB)
   */
  attachmentMaxBytes?: number;
  /** The most bytes of one file the agent sends with `send_file`. @default 20971520 (20 MiB) */
  sendFileMaxBytes?: number;
}

/** A running gateway. */
export interface Gateway {
  /** This process as session leases name it. */
  readonly holderId: string;
  /** Every step, live. */
  readonly events: EventBus;
  /** Claiming the gateway: the code that makes its first owner. */
  readonly onboarding: GatewayOnboarding;
  /** Starts plugins and channels and resumes unfinished work (pending inbox rows, unsent outbox rows). */
  start(): Promise<void>;
  /**
   * Stops intake, lets running turns finish for up to `graceMs`, then aborts them (they resume on
   * the next start) and stops the channels.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /**
   * Hands one inbound message to the gateway, as a channel does. Resolves once it is stored and
   * routed (never after a model call), with the stored message's id and the sessions it went to,
   * or the reason it was dropped.
   */
  receive(message: InboundMessage): Promise<ReceiveResult>;
  /**
   * Re-arms the scheduler after tasks were created or changed outside the gateway's own tools (the
   * HTTP API): it reads the soonest due time again.
   */
  tasksChanged(): Promise<void>;
  /** Approves or denies a pending chat or sender request by its code. */
  resolveApproval(code: string, decision: 'approved' | 'denied'): Promise<void>;
  /** Resolves when no turn is running or waiting, and no delivery or task firing is in progress. */
  idle(): Promise<void>;
  /** Connection state of each channel. */
  channelStatus(): Record<string, ChannelState>;
  /** Sessions running a turn and waiting for a slot. */
  queueState(): { running: string[]; waiting: string[] };
}

/**
 * Builds the gateway from the parts an app hands it: store, sandbox runtime, model providers,
 * channels and plugins. Reads no environment and prints nothing.
 * @throws ConfigError naming the option when an option is invalid
 */
export function createGateway(options: GatewayOptions): Gateway {
  const parsed = v.safeParse(settingsSchema, options);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const key = issue?.path?.map((item) => String(item.key)).join('.') ?? '';
    throw new ConfigError(`[@ngb/core] option "${key}": ${issue?.message}`, { key });
  }
  if (Object.keys(options.providers).length === 0) {
    throw new ConfigError('[@ngb/core] option "providers": pass at least one model provider', { key: 'providers' });
  }
  const {
    holderId: chosenHolder,
    leaseMs,
    streaming,
    claimCodeTtlMs,
    linkCodeTtlMs,
    maxWrongCodes,
    codeLockMs,
    ...parsedSettings
  } = parsed.output;
  const settings: GatewaySettings = {
    ...parsedSettings,
    modelRetryDelaysMs: parsedSettings.modelRetryDelaysMs ?? parsedSettings.retryDelaysMs,
    price: options.price ?? (() => undefined),
  };
  for (const channel of options.channels ?? []) checkChannelLimits(channel);
  const { store, runtime } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const bus = createEventBus({ now: () => clock.now(), logger, bufferSize: settings.eventBufferSize });
  const generateId = options.generateId ?? (() => crypto.randomUUID());
  const stopController = new AbortController();
  const channels = new Map<string, ChannelAdapter>();
  const status = new Map<string, ChannelState>();
  const setChannelStatus = (name: string, channelStatus: ChannelStatus) => {
    status.set(name, channelStatus.state);
    bus.emit({ type: 'channel.status', channel: name, status: channelStatus });
  };
  const starter = createChannelStarter({ clock, logger, setStatus: setChannelStatus });
  const places: ChatPlaces = { ephemeralChannels: settings.ephemeralChannels, approvalsAddress: settings.approvalsAddress };
  let started = false;
  let accepting = false;

  // The parts, each given only what it uses, in the order they depend on each other.
  const runUnit = createUnitOfWork({ store, logger });
  const leases = createSessionLeases({
    leases: store.leases,
    holderId: chosenHolder ?? crypto.randomUUID(),
    clock,
    leaseMs,
    logger: logger.child('leases'),
  });
  const plugins = createPluginHost({
    logger,
    clock,
    hookTimeoutMs: settings.hookTimeoutMs,
    onError: (plugin, hook, error) => {
      logger.warn('plugin hook failed', { plugin, hook, error });
      bus.emit({ type: 'plugin.error', plugin, hook, error: errorMessage(error) });
    },
  });
  const configuredProviders = Object.entries(options.providers);
  const resolveProvider = createResolveProvider(() => new Map([...configuredProviders, ...plugins.providers]));
  const agentFiles = createAgentFileReader({
    agentsDirectory: settings.agentsDirectory,
    maxBytes: settings.agentFileMaxBytes,
    logger,
  });
  // Turns wake sessions and the queue runs turns: the queue comes first and reaches the session
  // lane (made below, before anything can wake a session) through this function.
  const queue = createSessionQueue({
    maxConcurrent: settings.maxConcurrentTurns,
    run: (sessionId) =>
      leases.run(sessionId, (leaseLost) => runLane(sessionId, AbortSignal.any([stopController.signal, leaseLost]))),
    onError: (sessionId, error) => logger.error('session run failed', { sessionId, error }),
  });
  const retryLater = (sessionId: string, delayMs: number) => {
    queue.hold(sessionId);
    clock.setTimeout(() => queue.release(sessionId, 'message'), delayMs);
  };
  const agentMessages = createAgentMessages({ clock, bus, wake: queue.wake, hopLimit: settings.hopLimit });
  const delivery = createDelivery({
    store,
    bus,
    clock,
    logger,
    channels,
    plugins,
    holds: leases.holds,
    retryDelaysMs: settings.deliveryRetryDelaysMs,
  });
  const enqueueText = createEnqueueText(delivery.kick);
  const scheduler = createScheduler({
    store,
    runUnit,
    clock,
    logger,
    places,
    plugins,
    wake: queue.wake,
    firesTasks: settings.takeOver === 'all',
  });
  const approvals = createApprovals({ bus, clock, logger, generateId, places, ttlMs: settings.approvalTtlMs, enqueueText });
  const handleCommand = createCommands({ runUnit, bus, approvals, enqueueText });
  const router = createRouter({ bus, plugins, approvals, handleCommand, wake: queue.wake });
  const onboarding = createOnboarding({
    runUnit,
    bus,
    clock,
    logger: logger.child('onboarding'),
    enqueueText,
    hasDashboard: () => channels.has(dashboardIdentity.channel),
    claimTtlMs: claimCodeTtlMs,
    linkTtlMs: linkCodeTtlMs,
    approvalTtlMs: settings.approvalTtlMs,
    maxWrongCodes,
    codeLockMs,
  });
  const ingest = createIngest({ runUnit, bus, plugins, router, agentMessages, channels, onboarding });
  const replyStreams = createReplyStreams({ outbox: store.outbox, bus, clock, logger, channels, streaming });
  const hostTools = { store, runUnit, enqueueText, agentMessages, hopLimit: settings.hopLimit };
  const taskTools = { store, clock, places, reschedule: () => scheduler.reschedule() };
  const sendFile = {
    channels,
    agentsDirectory: settings.agentsDirectory,
    maxBytes: settings.sendFileMaxBytes,
    sentFiles: createSentFiles(bus),
  };
  const runTurn = createTurnRunner({
    store,
    runUnit,
    bus,
    clock,
    logger,
    runtime,
    agentFiles,
    inboxAttachments: createInboxAttachments({
      store,
      channels,
      agentsDirectory: settings.agentsDirectory,
      maxBytes: settings.attachmentMaxBytes,
      bus,
      logger: logger.child('inbox'),
    }),
    transcripts: createTranscriptCache(),
    plugins,
    resolveProvider,
    channels,
    kickDelivery: delivery.kick,
    holdsLease: leases.holds,
    retryLater,
    replyStreams,
    settings,
    tools: (turn) => [
      ...createHostTools(hostTools, turn),
      createSendFileTool(sendFile, turn),
      ...createTaskTools(taskTools, turn),
      ...plugins.tools,
    ],
  });

  const runCommand = createSessionCommands({ store, runUnit, clock, resolveProvider, enqueueText, price: settings.price });
  const runLane = createSessionLane({ store, runTurn, runCommand });

  const agentNameOf = async (sessionId: string) => {
    const session = await store.sessions.get(sessionId);
    return session && (await store.agents.get(session.agentId))?.name;
  };

  const ingestMessage = async (message: InboundMessage): Promise<ReceiveResult> => {
    if (!accepting) throw new Error('[@ngb/core] the gateway is not accepting messages (not started or stopping)');
    return ingest(message);
  };
  // A message of the `agent` channel goes straight into the session its chat names: only that
  // channel may report one, never a caller of `receive` nor another channel.
  const receive = (message: InboundMessage) => refuseAgentMessage(message) ?? ingestMessage(message);
  const receiveFrom = (name: string) => (name === agentChannel ? ingestMessage : receive);

  const resume = async () => {
    const takesOver = settings.takeOver === 'all';
    const { ephemeralChannels } = settings;
    await leases.start(createSessionTakeOver({ store, queue, delivery, clock, ephemeralChannels, takesOver }));
    if (!takesOver) return;
    // Replies tied to no session; a session's replies are delivered by its lease holder.
    for (const chat of await store.outbox.pendingChats())
      if (!ephemeralChannels.includes(chat.channel)) delivery.kick(chat.channel, chat.chatId);
    await scheduler.reschedule();
  };

  return {
    holderId: leases.holderId,
    events: bus,
    onboarding: { claimCode: onboarding.claimCode },
    async start() {
      if (started) return;
      started = true;
      await plugins.load(options.plugins ?? []);
      for (const channel of [
        ...(options.channels ?? []),
        ...plugins.channels,
        createAgentChannel({ clock, nameOf: agentNameOf }),
      ]) {
        if (channels.has(channel.name))
          throw new ConfigError(`[@ngb/core] two channels are named "${channel.name}"`, { key: 'channels' });
        checkChannelLimits(channel);
        channels.set(channel.name, channel);
      }
      replyStreams.check();
      await onboarding.linkDashboard();
      accepting = true;
      for (const channel of channels.values()) {
        await starter.start(channel, {
          receive: receiveFrom(channel.name),
          logger: logger.child(channel.name),
          setStatus: (channelStatus) => setChannelStatus(channel.name, channelStatus),
        });
      }
      await resume();
    },
    async stop({ graceMs = 10_000 } = {}) {
      accepting = false;
      starter.stop();
      for (const channel of channels.values())
        await channel.stop().catch((error: unknown) => logger.warn('channel stop failed', { error }));
      let timer: ReturnType<Clock['setTimeout']> | undefined;
      await Promise.race([
        queue.drain(),
        new Promise<void>((resolve) => {
          timer = clock.setTimeout(resolve, graceMs);
        }),
      ]);
      if (timer !== undefined) clock.clearTimeout(timer);
      scheduler.stop();
      stopController.abort(new Error('gateway stopping'));
      await queue.drain();
      delivery.stop();
      await delivery.idle();
      await leases.stop();
      await plugins.unloadAll();
    },
    receive,
    tasksChanged: () => scheduler.reschedule(),
    async resolveApproval(code, decision) {
      await runUnit((unit) => approvals.resolve(unit, code, decision, router.route));
    },
    async idle() {
      // Turns enqueue deliveries and deliveries to other agents wake turns: settle until both rest.
      for (;;) {
        await scheduler.idle();
        await queue.whenIdle();
        await delivery.idle();
        await new Promise((resolve) => setImmediate(resolve));
        if (queue.running().length === 0 && queue.waiting().length === 0 && !delivery.busy() && !scheduler.busy()) return;
      }
    },
    channelStatus: () => Object.fromEntries(status),
    queueState: () => ({ running: queue.running(), waiting: queue.waiting() }),
  };
}
