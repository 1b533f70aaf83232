import {
  chooseModel,
  claimConversation,
  type Env,
  loadConfig,
  type ModelChoice,
  type ModelOverrides,
  type OpenProject,
  openProject,
  planHost,
  type RunningGateway,
  type RuntimeChoice,
  type RuntimeDriver,
  startHost,
} from '@ngb/host';
import { definePlugin, type Plugin } from '@ngb/plugin-sdk';
import { printWarning } from '../output';
import { type CliChannel, createCliChannel } from './cli-channel';
import { type ConversationRecord, closeConversation, openConversation, promptMessage } from './open-conversation';
import { resolveSession } from './resolve-session';
import { runTurn, type TurnEvent, type TurnOutcome } from './turn-watcher';

/** A terminal conversation with a running gateway behind it. */
export interface Conversation {
  project: OpenProject;
  record: ConversationRecord;
  model: ModelChoice;
  runtime: RuntimeChoice;
  running: RunningGateway;
  /** Sends one prompt and resolves when its turn ended and its replies arrived. */
  prompt(text: string, onEvent?: (event: TurnEvent) => void): Promise<TurnOutcome>;
  /** Stops the gateway (waiting up to `graceMs` for a running turn), unwires the chat, closes the store. */
  close(graceMs: number): Promise<void>;
}

/** What a terminal conversation is opened with. */
export interface ConversationRequest {
  command: 'run' | 'shell';
  configOption: string | undefined;
  debug: boolean;
  env: Env;
  agentFolder?: string;
  resumeId?: string;
  overrides?: ModelOverrides;
  /** Replaces the agent's system prompt (`ngb run --system`). */
  system?: string;
  /** Settings passed to the sandbox's tools as environment variables (`ngb run -e`). */
  sandboxEnv?: Record<string, string>;
  /** `--runtime`: wins over `runtime.driver` in the config. */
  runtimeDriver?: RuntimeDriver;
}

function systemPromptPlugin(system: string): Plugin {
  return definePlugin({
    name: 'ngb-cli-system-prompt',
    version: '0.0.0',
    setup(api) {
      api.on('agent:start', () => ({ system }));
    },
  });
}

/**
 * Loads the config, decides the runtime (refusing before anything is written when the sandbox is
 * missing), opens the store and checks the model settings, opens the conversation, starts the
 * runtime (warning plainly when it is not isolated) and a gateway whose only channel is the terminal.
 */
export async function startConversation(request: ConversationRequest): Promise<Conversation> {
  const loaded = loadConfig({ configOption: request.configOption, env: request.env, cwd: process.cwd() });
  for (const warning of loaded.warnings) printWarning(warning);
  const plan = await planHost({ loaded, env: request.env, purpose: 'conversation', driverFlag: request.runtimeDriver });
  const project = await openProject(loaded, request.env, { command: request.command, debug: request.debug });
  let record: ConversationRecord | undefined;
  let unclaim: (() => Promise<void>) | undefined;
  try {
    // An unknown session is the first thing to say; then the model, before anything is written.
    if (request.resumeId !== undefined) await resolveSession(project.store, request.resumeId);
    const model = chooseModel(loaded.config.model, request.env, request.overrides);
    record = await openConversation(project.store, {
      agents: project.agents,
      agentFolder: request.agentFolder,
      resumeId: request.resumeId,
      title: request.command,
    });
    unclaim = await claimConversation(project.paths.dataDir, record.session.id, request.command);
    const channel: CliChannel = createCliChannel();
    const { runtime, running, plugins } = await startHost(plan, project, {
      model,
      overrides: request.overrides,
      namespace: `cli-${record.session.id}`.slice(0, 63),
      takeOver: 'none',
      ownSessions: new Set([record.session.id]),
      retries: false,
      channels: [channel],
      plugins: request.system === undefined ? [] : [systemPromptPlugin(request.system)],
      sandboxEnv: request.sandboxEnv,
    });
    if (runtime.warning) printWarning(runtime.warning);
    for (const refused of plugins.refused) printWarning(`plugin ${refused.label} not loaded: ${refused.reason}`);
    const opened = record;
    project.logger.info('terminal conversation opened', {
      sessionId: opened.session.id,
      agent: opened.agent.folder,
      resumed: opened.resumed,
    });
    return {
      project,
      record: opened,
      model,
      runtime,
      running,
      prompt: (text, onEvent) =>
        runTurn(running.gateway, channel, {
          sessionId: opened.session.id,
          chatId: opened.chat.platformChatId,
          send: () => running.gateway.receive(promptMessage(opened, text)),
          onEvent,
        }),
      async close(graceMs) {
        try {
          await running.stop(graceMs);
        } finally {
          await closeConversation(project.store, opened).catch(() => undefined);
          await unclaim?.().catch(() => undefined);
          await project.close();
        }
      },
    };
  } catch (error) {
    if (record) await closeConversation(project.store, record).catch(() => undefined);
    await unclaim?.().catch(() => undefined);
    await project.close();
    throw error;
  }
}
