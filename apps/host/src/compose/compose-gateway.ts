import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { type ChannelAdapter, type LlmProvider, type Plugin, systemClock } from '@ngb/plugin-sdk';
import { createChannel, enabledChannels } from '../channels/create-channel';
import type { Env, LoadedConfig } from '../config/load-config';
import type { FileLoggerOptions } from '../logs/file-logger';
import { type LoadedPlugins, loadPlugins } from '../plugins/load-plugins';
import { startPluginReloader } from '../plugins/plugin-reloader';
import { checkAgentMcpServers } from './agent-mcp-servers';
import type { DockerProbe } from './docker-engine';
import { chooseModel, createProviders, type ModelChoice, type ModelOverrides } from './model-providers';
import { type OpenProject, openProject } from './open-project';
import { planRuntime, type RuntimeChoice, type RuntimeDriver, type RuntimePlan, startRuntime } from './runtime-choice';
import { type RunningGateway, startGateway } from './start-gateway';

/** What an app asks the composition root for. */
export interface HostRequest {
  /** The validated config (see `loadConfig`); its warnings are the app's to show. */
  loaded: LoadedConfig;
  /** The environment secrets and endpoints are read from (never read by the host itself). */
  env: Env;
  /**
   * `serve` builds the config's channels and refuses the local runtime while a remote one is
   * enabled; a terminal `conversation` brings its own channel.
   */
  purpose: 'serve' | 'conversation';
  /** `--runtime`: wins over `runtime.driver` in the config. */
  driverFlag?: RuntimeDriver;
  /**
   * The Docker engine's answer, when the app asked for it early (see `probeDockerEngine`) so that
   * the wait overlaps its own start-up; asked for here otherwise.
   */
  dockerProbe?: Promise<DockerProbe>;
}

/** What is decided before anything is written: the channels built, the runtime checked. */
export interface HostPlan {
  request: HostRequest;
  /** The config's enabled channels, built through their manifests (none for a conversation). */
  channels: ChannelAdapter[];
  runtime: RuntimePlan;
}

/**
 * Builds the enabled channels through their manifests and decides the runtime. Nothing is written
 * (but a channel secret generated the first time it is needed, and each channel's empty state directory):
 * a missing secret, an adapter not built yet or a missing sandbox is refused first.
 * @throws ConfigError, NotSupportedError or SandboxError saying what to fix
 */
export async function planHost(request: HostRequest): Promise<HostPlan> {
  const { config } = request.loaded;
  await checkAgentMcpServers(request.loaded, request.env);
  const manifests = request.purpose === 'serve' ? await enabledChannels(config) : [];
  const channels: ChannelAdapter[] = [];
  for (const manifest of manifests) {
    const { dataDir } = request.loaded.paths;
    channels.push(await createChannel(manifest, config, request.env, join(dataDir, 'secrets'), join(dataDir, 'channels')));
  }
  const runtime = await planRuntime({
    config,
    paths: request.loaded.paths,
    env: request.env,
    driverFlag: request.driverFlag,
    dockerProbe: request.dockerProbe,
    purpose: request.purpose,
    remoteChannels: manifests.filter((manifest) => manifest.remote).map((manifest) => manifest.name),
  });
  return { request, channels, runtime };
}

/** How {@link startHost} runs the planned parts. */
export interface HostStart {
  model: ModelChoice;
  overrides?: ModelOverrides;
  /** Groups this process's containers (a label, shown by `docker ps`). */
  namespace: string;
  /**
   * Which sessions this process runs besides those it receives messages for: `all` (a serving
   * gateway: every session whose lease is free or expired, except terminal conversations, and the
   * scheduled tasks) or `none` (a terminal conversation: its own session only).
   */
  takeOver: 'all' | 'none';
  /** Sessions this process runs itself: a dead terminal conversation's turns in them are not ended. */
  ownSessions?: ReadonlySet<string>;
  /** Retry failed turns on the gateway's schedule; terminal conversations fail fast instead. */
  retries: boolean;
  /** Channels the app brings besides the config's (the terminal of `ngb run`). */
  channels?: ChannelAdapter[];
  /** Plugins the app brings besides the config's (set up after them). */
  plugins?: Plugin[];
  /** Settings (never secrets) every sandbox gets as environment variables. */
  sandboxEnv?: Record<string, string>;
}

/** The started parts: the runtime (with its warning), the providers, the config's plugins and the gateway. */
export interface StartedHost {
  runtime: RuntimeChoice;
  providers: Record<string, LlmProvider>;
  running: RunningGateway;
  /** The config's plugins: loaded, refused (changed since approved), and those that hot-reload. */
  plugins: LoadedPlugins;
}

/** Starts the planned runtime, the model providers and the gateway over an opened project. */
export async function startHost(plan: HostPlan, project: OpenProject, start: HostStart): Promise<StartedHost> {
  const plugins = await loadPlugins({
    config: project.config,
    paths: project.paths,
    clock: systemClock,
    logger: project.logger.child('plugins'),
  });
  const runtime = await startRuntime(plan.runtime, { namespace: start.namespace, logger: project.logger });
  let providers: Record<string, LlmProvider>;
  try {
    providers = await createProviders(start.model, project.config.model, project.env, project.logger, start.overrides);
  } catch (error) {
    await runtime.runtime.close().catch(() => undefined);
    throw error;
  }
  const running = await startGateway({
    project,
    runtime: runtime.runtime,
    providers,
    channels: [...plan.channels, ...(start.channels ?? [])],
    takeOver: start.takeOver,
    ownSessions: start.ownSessions,
    retries: start.retries,
    plugins: [...plugins.entries, ...(start.plugins ?? []).map((plugin) => ({ plugin }))],
    sandboxEnv: start.sandboxEnv,
  });
  for (const refused of plugins.refused) {
    running.gateway.events.emit({
      type: 'plugin.status',
      plugin: refused.label,
      source: refused.label,
      state: 'needs-approval',
      version: refused.version,
      error: refused.reason,
    });
  }
  return { runtime, providers, running, plugins };
}

/** What {@link composeGateway} is asked for: a serving gateway, logged as `command`. */
export interface ComposeRequest extends Omit<HostRequest, 'purpose'> {
  /** Names this process in the log (`serve`). */
  command: string;
  debug: boolean;
  /** Echoes log records as they are written (the app decides how to show them). */
  echo?: FileLoggerOptions['echo'];
  plugins?: Plugin[];
  /** Channels the app builds itself (the server's web chat), beside the config's. */
  channels?: ChannelAdapter[];
}

/** A serving gateway and everything it holds. */
export interface ComposedGateway extends StartedHost {
  project: OpenProject;
  model: ModelChoice;
  /** The names of the channels built from the config. */
  channelNames: string[];
  /** Every channel the gateway runs: the config's, then the app's own. */
  channels: ChannelAdapter[];
  /** Stops the gateway (waiting up to `graceMs` for running turns), closes the sandboxes and the store. */
  close(graceMs: number): Promise<void>;
}

/**
 * The one composition root of a serving gateway, shared by `ngb serve` and the server app:
 * config → model → channels (through their manifests) → runtime → store and agents → providers →
 * plugins → gateway, started. Everything that can be refused is refused before the store is opened.
 */
export async function composeGateway(request: ComposeRequest): Promise<ComposedGateway> {
  const model = chooseModel(request.loaded.config.model, request.env);
  const plan = await planHost({ ...request, purpose: 'serve' });
  const project = await openProject(request.loaded, request.env, {
    command: request.command,
    debug: request.debug,
    echo: request.echo,
  });
  try {
    const started = await startHost(plan, project, {
      model,
      namespace: serveNamespace(project.paths.dataDir),
      takeOver: 'all',
      retries: true,
      plugins: request.plugins,
      channels: request.channels,
    });
    // A serving gateway hot-reloads the plugins of local folders; npm packages never reload.
    const stopReloading = startPluginReloader({
      folders: started.plugins.folders,
      replacePlugin: started.running.gateway.replacePlugin,
      paths: project.paths,
      config: project.config,
      clock: systemClock,
      logger: project.logger.child('plugins'),
    });
    const running: RunningGateway = {
      gateway: started.running.gateway,
      stop(graceMs) {
        stopReloading();
        return started.running.stop(graceMs);
      },
    };
    return {
      ...started,
      running,
      project,
      model,
      channelNames: plan.channels.map((channel) => channel.name),
      channels: [...plan.channels, ...(request.channels ?? [])],
      async close(graceMs) {
        try {
          await running.stop(graceMs);
        } finally {
          await project.close();
        }
      },
    };
  } catch (error) {
    await project.close();
    throw error;
  }
}

/** The container namespace of the gateway serving one data directory. */
function serveNamespace(dataDir: string): string {
  return `serve-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`;
}
