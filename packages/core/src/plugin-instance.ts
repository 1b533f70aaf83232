import {
  type Address,
  type ChannelAdapter,
  type Clock,
  ConfigError,
  errorMessage,
  type LlmProvider,
  type Logger,
  type Plugin,
  type PluginHookName,
  type Tool,
} from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** A plugin and the config to set it up with. */
export interface PluginEntry {
  plugin: Plugin;
  config?: unknown;
  /** Where the plugin came from (an npm package's name, a folder), for reports: its events carry it. */
  source?: string;
}

/** A hook handler as the host stores it; each hook's own type is checked where it is subscribed. */
export type AnyHandler = (value: never) => unknown;

/** One set-up instance of a plugin and what it registered. */
export interface PluginInstance {
  readonly name: string;
  readonly version: string;
  readonly source: string | undefined;
  /** Its handlers of one hook, in the order it subscribed them. */
  handlers(hook: PluginHookName): readonly AnyHandler[];
  readonly tools: readonly Tool[];
  readonly channels: readonly ChannelAdapter[];
  readonly providers: ReadonlyMap<string, LlmProvider>;
  /**
   * Runs the dispose function its `setup` returned (once). Afterwards the instance registers and
   * sends nothing: a timer it left behind cannot reach the gateway.
   * @throws what the plugin's dispose threw
   */
  dispose(): Promise<void>;
}

/** What setting up a plugin needs. */
export interface SetUpPluginOptions {
  logger: Logger;
  clock: Clock;
  /** How long `setup` may take before the plugin counts as failed. */
  setupTimeoutMs: number;
  /** Queues a plugin's text for a chat (see `PluginApi.send`). */
  send(plugin: string, address: Address, text: string): Promise<void>;
}

function formatIssuePath(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).map((item) => String(item.key)).join('.');
}

/** The plugin's config, validated by its own schema. */
function parseConfig(plugin: Plugin, config: unknown): unknown {
  if (!plugin.configSchema) return config;
  const result = v.safeParse(plugin.configSchema, config ?? {});
  if (result.success) return result.output;
  const issue = result.issues[0];
  const key = issue ? formatIssuePath(issue) : '';
  const fullKey = `plugins.${plugin.name}${key ? `.${key}` : ''}`;
  throw new ConfigError(
    `[@ngb/core] plugin "${plugin.name}": config${key ? ` key "${key}"` : ''} (${fullKey}): ${issue?.message ?? 'invalid'}`,
    { key: fullKey },
  );
}

/**
 * Validates a plugin's config and runs its `setup`. What it registers is kept in the instance,
 * out of the gateway's sight until the host adds the instance, so a setup that fails leaves
 * nothing behind.
 * @throws ConfigError naming `plugins.<name>` (and the config key) when the config is invalid, or
 *   when `setup` throws or runs past the time limit
 */
export async function setUpPlugin(entry: PluginEntry, options: SetUpPluginOptions): Promise<PluginInstance> {
  const { plugin } = entry;
  const config = parseConfig(plugin, entry.config);
  const logger = options.logger.child(plugin.name);
  const handlers = new Map<PluginHookName, AnyHandler[]>();
  const tools: Tool[] = [];
  const channels: ChannelAdapter[] = [];
  const providers = new Map<string, LlmProvider>();
  let disposed = false;
  let disposeFunction: (() => unknown) | undefined;
  let disposing: Promise<void> | undefined;

  const whileLive = (what: string, register: () => void) => {
    if (disposed) logger.warn(`ignored ${what} of an unloaded plugin instance`, { plugin: plugin.name });
    else register();
  };
  const api = {
    name: plugin.name,
    config: config as never,
    logger,
    on: (hook: PluginHookName, handler: AnyHandler) =>
      whileLive(`a "${hook}" handler`, () => {
        const list = handlers.get(hook) ?? [];
        list.push(handler);
        handlers.set(hook, list);
      }),
    registerTool: (tool: Tool) => whileLive(`the tool "${tool.name}"`, () => void tools.push(tool)),
    registerChannel: (channel: ChannelAdapter) => whileLive(`the channel "${channel.name}"`, () => void channels.push(channel)),
    registerProvider: (name: string, provider: LlmProvider) =>
      whileLive(`the provider "${name}"`, () => void providers.set(name, provider)),
    async send(address: Address, text: string) {
      if (disposed) throw new Error(`[@ngb/core] plugin "${plugin.name}": this instance was unloaded and sends nothing`);
      if (text.trim() === '') throw new Error(`[@ngb/core] plugin "${plugin.name}": send needs a text`);
      await options.send(plugin.name, address, text);
    },
  };

  let timer: ReturnType<Clock['setTimeout']> | undefined;
  const settled = Promise.resolve().then(() => plugin.setup(api as never));
  try {
    const result = await Promise.race([
      settled,
      new Promise<never>((_, reject) => {
        timer = options.clock.setTimeout(
          () => reject(new Error(`setup did not finish within ${options.setupTimeoutMs} ms`)),
          options.setupTimeoutMs,
        );
      }),
    ]);
    if (typeof result === 'function') disposeFunction = result;
  } catch (error) {
    disposed = true;
    // A setup that finishes after its time ran out still gets its dispose run.
    settled
      .then(
        (late) => (typeof late === 'function' ? Promise.resolve(late()) : undefined),
        () => undefined,
      )
      .catch((lateError: unknown) => logger.warn('dispose of a timed-out setup failed', { error: lateError }));
    throw new ConfigError(`[@ngb/core] plugin "${plugin.name}" failed to set up: ${errorMessage(error)}`, {
      key: `plugins.${plugin.name}`,
      cause: error,
    });
  } finally {
    if (timer !== undefined) options.clock.clearTimeout(timer);
  }

  return {
    name: plugin.name,
    version: plugin.version,
    source: entry.source,
    handlers: (hook) => handlers.get(hook) ?? [],
    tools,
    channels,
    providers,
    dispose() {
      disposing ??= (async () => {
        disposed = true;
        await disposeFunction?.();
      })();
      return disposing;
    },
  };
}
