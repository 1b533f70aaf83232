import {
  type Address,
  type ChannelAdapter,
  type Clock,
  ConfigError,
  errorMessage,
  type InboundMessage,
  type LlmProvider,
  type Logger,
  type OutboundMessage,
  type Plugin,
  type PluginHookName,
  type PluginHooks,
  type Tool,
} from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** A plugin and the config to set it up with. */
export interface PluginEntry {
  plugin: Plugin;
  config?: unknown;
}

/** What plugins contributed, and how to call their hooks. Empty until {@link PluginHost.load}. */
export interface PluginHost {
  /**
   * Validates each plugin's config with its own schema and runs its `setup`. Called once, when the
   * gateway starts.
   * @throws ConfigError naming the plugin and the config key when a config is invalid, or when
   *   `setup` fails
   */
  load(entries: readonly PluginEntry[]): Promise<void>;
  /**
   * Undoes a loaded plugin: runs the dispose function its `setup` returned, then removes every
   * hook, tool, channel and provider it registered (a channel it registered is the caller's to
   * stop). Unknown names are ignored. A dispose that throws is reported and the rest still undone.
   */
  unload(name: string): Promise<void>;
  /** Unloads every plugin, the last loaded first. */
  unloadAll(): Promise<void>;
  /** The tools of the loaded plugins, read again for every turn. */
  readonly tools: readonly Tool[];
  readonly channels: readonly ChannelAdapter[];
  readonly providers: ReadonlyMap<string, LlmProvider>;
  /**
   * Calls `message:received` handlers in load order, passing each the previous handler's change.
   * A handler that throws or runs past the time limit is logged and skipped.
   * @returns the final message, `false` when a handler dropped it
   */
  received(message: InboundMessage): Promise<InboundMessage | false>;
  /**
   * Calls `message:sending` handlers in load order, each seeing the previous one's change.
   * @returns the message to send, or `false` when a handler cancelled it
   */
  sending(address: Address, message: OutboundMessage): Promise<OutboundMessage | false>;
  /** Calls `agent:start` handlers; returns the system prompt they settled on. */
  systemPrompt(event: Parameters<PluginHooks['agent:start']>[0]): Promise<string>;
  /** Calls the handlers of a notification hook; never throws. */
  notify<Name extends 'agent:result' | 'session:created' | 'task:run'>(
    hook: Name,
    event: Parameters<PluginHooks[Name]>[0],
  ): Promise<void>;
}

type AnyHandler = (value: never) => unknown;

function formatIssuePath(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).map((item) => String(item.key)).join('.');
}

/** Creates the plugin host of a gateway; plugins are loaded when it starts. */
export function createPluginHost(options: {
  logger: Logger;
  clock: Clock;
  hookTimeoutMs: number;
  onError: (plugin: string, hook: string, error: unknown) => void;
}): PluginHost {
  const handlers = new Map<PluginHookName, Array<{ plugin: string; handler: AnyHandler }>>();
  const tools: Array<{ plugin: string; tool: Tool }> = [];
  const channels: Array<{ plugin: string; channel: ChannelAdapter }> = [];
  const providers = new Map<string, { plugin: string; provider: LlmProvider }>();
  // Loaded plugins in load order, with what their setup returned to undo it.
  const loaded = new Map<string, { dispose?: () => unknown }>();

  const unload = async (name: string) => {
    const entry = loaded.get(name);
    if (!entry) return;
    loaded.delete(name);
    try {
      await entry.dispose?.();
    } catch (error) {
      options.onError(name, 'dispose', error);
    }
    for (const [hook, list] of handlers)
      handlers.set(
        hook,
        list.filter((handler) => handler.plugin !== name),
      );
    for (const list of [tools, channels]) {
      for (let index = list.length - 1; index >= 0; index -= 1) if (list[index]?.plugin === name) list.splice(index, 1);
    }
    for (const [key, provider] of providers) if (provider.plugin === name) providers.delete(key);
  };

  const load = async (entries: readonly PluginEntry[]) => {
    for (const { plugin, config } of entries) {
      if (loaded.has(plugin.name))
        throw new ConfigError(`[@ngb/core] plugin "${plugin.name}" is loaded twice`, { key: 'plugins' });
      const record: { dispose?: () => unknown } = {};
      loaded.set(plugin.name, record);
      let parsed: unknown = config;
      if (plugin.configSchema) {
        const result = v.safeParse(plugin.configSchema, config ?? {});
        if (!result.success) {
          const issue = result.issues[0];
          const key = issue ? formatIssuePath(issue) : '';
          throw new ConfigError(
            `[@ngb/core] plugin "${plugin.name}": config${key ? ` key "${key}"` : ''}: ${issue?.message ?? 'invalid'}`,
            {
              key: `plugins.${plugin.name}${key ? `.${key}` : ''}`,
            },
          );
        }
        parsed = result.output;
      }
      try {
        const dispose = await plugin.setup({
          name: plugin.name,
          config: parsed as never,
          logger: options.logger.child(plugin.name),
          on: (hook, handler) => {
            const list = handlers.get(hook) ?? [];
            list.push({ plugin: plugin.name, handler: handler as AnyHandler });
            handlers.set(hook, list);
          },
          registerTool: (tool) => void tools.push({ plugin: plugin.name, tool }),
          registerChannel: (channel) => void channels.push({ plugin: plugin.name, channel }),
          registerProvider: (name, provider) => void providers.set(name, { plugin: plugin.name, provider }),
        });
        if (typeof dispose === 'function') record.dispose = dispose;
      } catch (error) {
        await unload(plugin.name);
        throw new ConfigError(`[@ngb/core] plugin "${plugin.name}" failed to set up: ${errorMessage(error)}`, {
          key: `plugins.${plugin.name}`,
          cause: error,
        });
      }
    }
  };

  const call = async (hook: PluginHookName, entry: { plugin: string; handler: AnyHandler }, value: unknown) => {
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    try {
      return {
        ok: true as const,
        value: await Promise.race([
          Promise.resolve().then(() => entry.handler(value as never)),
          new Promise((_, reject) => {
            timer = options.clock.setTimeout(
              () => reject(new Error(`timed out after ${options.hookTimeoutMs} ms`)),
              options.hookTimeoutMs,
            );
          }),
        ]),
      };
    } catch (error) {
      options.onError(entry.plugin, hook, error);
      return { ok: false as const };
    } finally {
      if (timer !== undefined) options.clock.clearTimeout(timer);
    }
  };

  return {
    load,
    unload,
    async unloadAll() {
      for (const name of [...loaded.keys()].reverse()) await unload(name);
    },
    get tools() {
      return tools.map((entry) => entry.tool);
    },
    get channels() {
      return channels.map((entry) => entry.channel);
    },
    get providers() {
      return new Map([...providers].map(([name, entry]) => [name, entry.provider]));
    },
    async received(message) {
      let current = message;
      for (const entry of handlers.get('message:received') ?? []) {
        const result = await call('message:received', entry, current);
        if (!result.ok || result.value === undefined) continue;
        if (result.value === false) return false;
        current = result.value as InboundMessage;
      }
      return current;
    },
    async sending(address, message) {
      let current = message;
      for (const entry of handlers.get('message:sending') ?? []) {
        const result = await call('message:sending', entry, { address, message: current });
        if (!result.ok || result.value === undefined) continue;
        if (result.value === false) return false;
        current = result.value as OutboundMessage;
      }
      return current;
    },
    async systemPrompt(event) {
      let system = event.system;
      for (const entry of handlers.get('agent:start') ?? []) {
        const result = await call('agent:start', entry, { ...event, system });
        const changed = result.ok ? (result.value as { system?: unknown } | undefined)?.system : undefined;
        if (typeof changed === 'string') system = changed;
      }
      return system;
    },
    async notify(hook, event) {
      for (const entry of handlers.get(hook) ?? []) await call(hook, entry, event);
    },
  };
}
