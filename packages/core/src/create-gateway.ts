import { type Clock, errorMessage, type InboundMessage, type ReceiveResult, silentLogger, systemClock } from '@ngb/plugin-sdk';
import { abortEither } from './abort-either';
import { createAgentChannel } from './agent-channel';
import { createAgentFileReader } from './agent-file-reader';
import { createAgentMessages, refuseAgentMessage } from './agent-messages';
import { createApprovals } from './approvals';
import { createAskUserTool } from './ask-user-tool';
import { createTurnBudgets } from './budgets';
import { checkChannelLimits } from './channel-limits';
import { createCommands } from './commands';
import { createCompactor } from './compaction';
import { createContextWindows } from './context-windows';
import { dashboardIdentity } from './dashboard-identity';
import { createDeadLetters } from './dead-letters';
import { createDelivery } from './delivery';
import { recordEgressRequests } from './egress-records';
import { createEventBus } from './events';
import { createGatewayChannels } from './gateway-channels';
import { type Gateway, type GatewayOptions, parseGatewayOptions } from './gateway-options';
import { agentChannel, type GatewaySettings } from './gateway-settings';
import { createHeartbeats } from './heartbeats';
import type { ChatPlaces } from './home-chat';
import { createHostTools } from './host-tools';
import { createInboxAttachments } from './inbox-attachments';
import { createIngest } from './ingest';
import { createMcpServerReports } from './mcp-server-reports';
import { createOnboarding } from './onboarding';
import { createEnqueueText, createPluginSend } from './outbound';
import { createPluginHost } from './plugin-host';
import { createQuestions } from './questions';
import { createReplacePlugin, reportLoadedPlugins } from './replace-plugin';
import { createReplyStreams } from './reply-streams';
import { createResolveProvider } from './resolve-provider';
import { createMemoryGovernor, type GatewayHealth } from './resource-governor';
import { createRetryDelivery } from './retry-delivery';
import { createRouter } from './router';
import { createScheduler } from './scheduler';
import { createSendFileTool, createSentFiles } from './send-file-tool';
import { createSessionCommands } from './session-commands';
import { createSessionLane } from './session-lane';
import { createSessionLeases } from './session-leases';
import { createSessionQueue } from './session-queue';
import { createSessionTakeOver } from './session-takeover';
import { createSkillCatalog } from './skill-catalog';
import { createTaskTools } from './task-tools';
import { createTranscriptCache } from './transcript-cache';
import { createTurnRunner } from './turn-runner';
import { createUnitOfWork } from './unit-of-work';

const healthy: GatewayHealth = { state: 'ok' };
/** Waits before a session whose run failed on the store runs again, per consecutive failure (the last repeats). */
const storeRetryDelaysMs: readonly number[] = [1_000, 2_000, 5_000, 10_000];

/**
 * Builds the gateway from the parts an app hands it: store, sandbox runtime, model providers,
 * channels and plugins. Reads no environment and prints nothing.
 * @throws ConfigError naming the option when an option is invalid
 */
export function createGateway(options: GatewayOptions): Gateway {
  const {
    holderId: chosenHolder,
    leaseMs,
    streaming,
    claimCodeTtlMs,
    linkCodeTtlMs,
    maxWrongCodes,
    codeLockMs,
    ...parsedSettings
  } = parseGatewayOptions(options);
  const settings: GatewaySettings = {
    ...parsedSettings,
    modelRetryDelaysMs: parsedSettings.modelRetryDelaysMs ?? parsedSettings.retryDelaysMs,
    price: options.price ?? (() => undefined),
  };
  for (const channel of options.channels ?? []) checkChannelLimits(channel);
  const { store, runtime } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const bus = createEventBus({
    now: () => clock.now(),
    logger,
    bufferSize: settings.eventBufferSize,
    bufferChars: settings.eventBufferChars,
  });
  const generateId = options.generateId ?? (() => crypto.randomUUID());
  const stopController = new AbortController();
  // `receiveFrom` is defined below, with what it hands messages to; channels start only in `start`.
  const gatewayChannels = createGatewayChannels({ clock, logger, bus, store, receiveFrom: (name) => receiveFrom(name) });
  const channels = gatewayChannels.byName;
  const places: ChatPlaces = { ephemeralChannels: settings.ephemeralChannels, approvalsAddress: settings.approvalsAddress };
  let started = false;
  let accepting = false;
  let stopRecordingEgress = () => {};

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
    setupTimeoutMs: settings.pluginSetupTimeoutMs,
    onError: (plugin, hook, error) => {
      logger.warn('plugin hook failed', { plugin, hook, error });
      bus.emit({ type: 'plugin.error', plugin, hook, error: errorMessage(error) });
    },
    send: (plugin, address, text) => sendForPlugin(plugin, address, text),
  });
  const configuredProviders = Object.entries(options.providers);
  const resolveProvider = createResolveProvider(() => new Map([...configuredProviders, ...plugins.providers]));
  const agentFiles = createAgentFileReader({
    agentsDirectory: settings.agentsDirectory,
    maxBytes: settings.agentFileMaxBytes,
    logger,
  });
  const skills = createSkillCatalog({
    agentsDirectory: settings.agentsDirectory,
    maxBytes: settings.agentFileMaxBytes,
    onProblem: (problem, agentId) => bus.emit({ type: 'skill.invalid', ...problem, ...(agentId && { agentId }) }),
  });
  // Turns wake sessions and the queue runs turns: the queue comes first and reaches the session
  // lane (made below, before anything can wake a session) through this function.
  const queue = createSessionQueue({
    maxConcurrent: settings.maxConcurrentTurns,
    run: async (sessionId) => {
      const more = await leases.run(sessionId, (leaseLost) => {
        // Not AbortSignal.any: on Node 20 it leaves an entry on the long-lived stop signal per turn.
        const either = abortEither(stopController.signal, leaseLost);
        return runLane(sessionId, either.signal).finally(either.dispose);
      });
      failedRuns.delete(sessionId);
      return more;
    },
    onError: (sessionId, error) => {
      // A run throws only when the store refused a write (a full disk, ...): nothing of the session's
      // pending work was lost, so it runs again later instead of waiting for the next message.
      const failures = failedRuns.get(sessionId) ?? 0;
      failedRuns.set(sessionId, failures + 1);
      const retryInMs = storeRetryDelaysMs[Math.min(failures, storeRetryDelaysMs.length - 1)] ?? 1_000;
      logger.error('session run failed; trying again later', { sessionId, error: errorMessage(error), retryInMs });
      retryLater(sessionId, retryInMs);
    },
  });
  const failedRuns = new Map<string, number>();
  const retryLater = (sessionId: string, delayMs: number) => {
    queue.hold(sessionId);
    clock.setTimeout(() => queue.release(sessionId, 'message'), delayMs);
  };
  const agentMessages = createAgentMessages({ clock, bus, wake: queue.wake, hopLimit: settings.hopLimit });
  // Delivery queues owner notices about failed replies through the text queue that kicks it.
  const kickDelivery = (channel: string, chatId: string) => delivery.kick(channel, chatId);
  const enqueueText = createEnqueueText(kickDelivery);
  const delivery = createDelivery({
    store,
    bus,
    clock,
    logger,
    channels,
    plugins,
    holds: leases.holds,
    retryDelaysMs: settings.deliveryRetryDelaysMs,
    deadLetters: createDeadLetters({
      runUnit,
      bus,
      logger: logger.child('delivery'),
      places,
      enqueueText,
      channelState: gatewayChannels.state,
    }),
  });
  const retryDelivery = createRetryDelivery({ outbox: store.outbox, bus, leases, kick: delivery.kick });
  const sendForPlugin = createPluginSend({ runUnit, enqueueText, generateId });
  const heartbeats = createHeartbeats({ settings: settings.heartbeats, places, bus, logger: logger.child('heartbeat') });
  const scheduler = createScheduler({
    heartbeats,
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
  const questions = createQuestions({ bus });
  const router = createRouter({
    bus,
    plugins,
    approvals,
    handleCommand,
    questions,
    wake: queue.wake,
    clock,
    stickyIdleMs: settings.stickyIdleMs,
  });
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
  const ingest = createIngest({ runUnit, bus, plugins, router, agentMessages, channels, onboarding, questions });
  const replyStreams = createReplyStreams({ outbox: store.outbox, bus, clock, logger, channels, streaming });
  const hostTools = { store, runUnit, enqueueText, agentMessages, hopLimit: settings.hopLimit };
  const taskTools = { store, clock, places, reschedule: () => scheduler.reschedule() };
  const askUser = { store, runUnit, clock, bus, enqueueText, questions, channels };
  const sendFile = {
    channels,
    agentsDirectory: settings.agentsDirectory,
    maxBytes: settings.sendFileMaxBytes,
    sentFiles: createSentFiles(bus),
  };
  const budgets = settings.budgets
    ? createTurnBudgets({ settings: settings.budgets, places, enqueueText, logger: logger.child('budgets') })
    : undefined;
  const compactor = createCompactor({
    store,
    bus,
    logger: logger.child('compaction'),
    now: () => clock.now(),
    price: settings.price,
    contextWindowOf: createContextWindows(logger.child('compaction')),
    agentsDirectory: settings.agentsDirectory,
  });
  const runTurn = createTurnRunner({
    store,
    budgets,
    compactor,
    runUnit,
    bus,
    clock,
    logger,
    runtime,
    agentFiles,
    skills,
    inboxAttachments: createInboxAttachments({
      store,
      channels,
      agentsDirectory: settings.agentsDirectory,
      maxBytes: settings.attachmentMaxBytes,
      bus,
      logger: logger.child('inbox'),
    }),
    transcripts: createTranscriptCache(),
    reportMcpServers: createMcpServerReports(bus),
    plugins,
    resolveProvider,
    channels,
    kickDelivery: delivery.kick,
    queue,
    holdsLease: leases.holds,
    retryLater,
    replyStreams,
    settings,
    tools: (turn) => [
      ...createHostTools(hostTools, turn),
      createSendFileTool(sendFile, turn),
      createAskUserTool(askUser, turn),
      ...createTaskTools(taskTools, turn),
      ...plugins.tools,
    ],
  });

  const { readMemory } = options;
  const governor =
    settings.memoryLimit && readMemory
      ? createMemoryGovernor({
          limit: settings.memoryLimit,
          readMemory,
          clock,
          logger: logger.child('memory'),
          bus,
          queue,
          runtime,
        })
      : undefined;

  const runCommand = createSessionCommands({ store, runUnit, clock, resolveProvider, enqueueText, compactor });
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
  const replacePlugin = createReplacePlugin({
    plugins,
    channels,
    bus,
    logger,
    startChannel: async (channel) => {
      if (accepting) await gatewayChannels.start(channel);
    },
  });

  const resume = async () => {
    const takesOver = settings.takeOver === 'all';
    const { ephemeralChannels } = settings;
    await leases.start(createSessionTakeOver({ store, queue, delivery, clock, ephemeralChannels, takesOver }));
    if (!takesOver) return;
    // Replies tied to no session; a session's replies are delivered by its lease holder.
    for (const chat of await store.outbox.pendingChats())
      if (!ephemeralChannels.includes(chat.channel)) delivery.kick(chat.channel, chat.chatId);
    await heartbeats.sync(store, clock.now());
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
      reportLoadedPlugins(plugins.list(), bus);
      gatewayChannels.register([
        ...(options.channels ?? []),
        ...plugins.channels,
        createAgentChannel({ clock, nameOf: agentNameOf }),
      ]);
      replyStreams.check();
      stopRecordingEgress = recordEgressRequests({ runtime, store, bus, logger: logger.child('egress') });
      await onboarding.linkDashboard();
      accepting = true;
      await gatewayChannels.startAll();
      await resume();
      governor?.start();
    },
    async stop({ graceMs = 10_000 } = {}) {
      accepting = false;
      governor?.stop();
      await gatewayChannels.stopAll();
      let timer: ReturnType<Clock['setTimeout']> | undefined;
      await Promise.race([
        queue.drain(),
        new Promise<void>((resolve) => {
          timer = clock.setTimeout(resolve, graceMs);
        }),
      ]);
      if (timer !== undefined) clock.clearTimeout(timer);
      scheduler.stop();
      // Turns waiting on a person did not hold the drain up: aborting ends their waits as a restart
      // would (the question stays pending, the turn resumes at the next start); they finish here.
      stopController.abort(new Error('gateway stopping'));
      await queue.whenIdle();
      delivery.stop();
      await delivery.idle();
      await leases.stop();
      await plugins.unloadAll();
      stopRecordingEgress();
    },
    receive,
    replacePlugin,
    tasksChanged: () => scheduler.reschedule(),
    retryDelivery,
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
    channelStatus: gatewayChannels.states,
    queueState: () => ({ running: queue.running(), waiting: queue.waiting(), parked: queue.parked() }),
    skills: (agent) => skills.list(agent),
    health: () => governor?.health() ?? healthy,
  };
}
