import {
  type Address,
  type ChannelAdapter,
  type Clock,
  ConfigError,
  type InboundMessage,
  type LlmProvider,
  type Logger,
  type OutboundMessage,
  type PluginHookName,
  type PluginHooks,
  type Tool,
} from '@ngb/plugin-sdk';
import { type AnyHandler, type PluginEntry, type PluginInstance, setUpPlugin } from './plugin-instance';

export type { PluginEntry } from './plugin-instance';

/** A loaded plugin as reports name it. */
interface LoadedPlugin {
  name: string;
  version: string;
  source?: string;
  channels: readonly ChannelAdapter[];
}

/** What {@link PluginHost.replace} swapped. */
interface PluginSwap {
  previous: LoadedPlugin;
  next: LoadedPlugin;
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
   * Swaps a loaded plugin for a new instance (hot reload): `load` gives the new plugin and its
   * config; the config is validated and the new `setup` run while the old instance keeps serving;
   * `accept` may still refuse what it registered. Only then the new instance takes the old one's
   * place in the hook order, in one step (every hook pass, and every turn's tool list, sees one of
   * the two, never a mix), and the old instance's dispose runs. Operations on the host run one at
   * a time.
   * @returns the old and the new plugin (their channels are the caller's to stop and start)
   * @throws what `load` or `accept` threw, or ConfigError when the new config is invalid, `setup`
   *   fails, or the new name is another loaded plugin's; the old instance then keeps running
   */
  replace(
    name: string,
    load: () => Promise<PluginEntry>,
    accept?: (next: LoadedPlugin, previous: LoadedPlugin) => void,
  ): Promise<PluginSwap>;
  /**
   * Undoes a loaded plugin: runs the dispose function its `setup` returned, then removes every
   * hook, tool, channel and provider it registered (a channel it registered is the caller's to
   * stop). Unknown names are ignored. A dispose that throws is reported and the rest still undone.
   */
  unload(name: string): Promise<void>;
  /** Unloads every plugin, the last loaded first. */
  unloadAll(): Promise<void>;
  /** The loaded plugins, in load order. */
  list(): LoadedPlugin[];
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

/** What the plugin host needs. */
export interface PluginHostOptions {
  logger: Logger;
  clock: Clock;
  hookTimeoutMs: number;
  /** How long a plugin's `setup` may take. */
  setupTimeoutMs: number;
  onError: (plugin: string, hook: string, error: unknown) => void;
  /** Queues a plugin's text for a chat through the outbox (`PluginApi.send`). */
  send(plugin: string, address: Address, text: string): Promise<void>;
}

const describe = (instance: PluginInstance): LoadedPlugin => ({
  name: instance.name,
  version: instance.version,
  ...(instance.source !== undefined ? { source: instance.source } : {}),
  channels: [...instance.channels],
});

/** Creates the plugin host of a gateway; plugins are loaded when it starts. */
export function createPluginHost(options: PluginHostOptions): PluginHost {
  // Replaced, never changed in place: a hook pass or a turn that read it keeps a consistent set.
  let instances: readonly PluginInstance[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(operation: () => Promise<T>): Promise<T> => {
    const result = queue.then(operation);
    queue = result.catch(() => undefined);
    return result;
  };
  const setUp = (entry: PluginEntry) => setUpPlugin(entry, options);
  const refuseDuplicate = (name: string, except?: PluginInstance) => {
    if (instances.some((instance) => instance.name === name && instance !== except))
      throw new ConfigError(`[@ngb/core] plugin "${name}" is loaded twice`, { key: 'plugins' });
  };
  const dispose = async (instance: PluginInstance) => {
    try {
      await instance.dispose();
    } catch (error) {
      options.onError(instance.name, 'dispose', error);
    }
  };
  const handlersOf = (hook: PluginHookName) =>
    instances.flatMap((instance) => instance.handlers(hook).map((handler) => ({ plugin: instance.name, handler })));

  const unload = async (name: string) => {
    const instance = instances.find((candidate) => candidate.name === name);
    if (!instance) return;
    instances = instances.filter((candidate) => candidate !== instance);
    await dispose(instance);
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
    load: (entries) =>
      serially(async () => {
        for (const entry of entries) {
          refuseDuplicate(entry.plugin.name);
          const instance = await setUp(entry);
          instances = [...instances, instance];
        }
      }),
    replace: (name, load, accept) =>
      serially(async () => {
        const previous = instances.find((instance) => instance.name === name);
        if (!previous) throw new ConfigError(`[@ngb/core] no plugin "${name}" is loaded`, { key: 'plugins' });
        const entry = await load();
        refuseDuplicate(entry.plugin.name, previous);
        const next = await setUp(entry);
        try {
          accept?.(describe(next), describe(previous));
        } catch (error) {
          await dispose(next);
          throw error;
        }
        instances = instances.map((instance) => (instance === previous ? next : instance));
        await dispose(previous);
        return { previous: describe(previous), next: describe(next) };
      }),
    unload: (name) => serially(() => unload(name)),
    unloadAll: () =>
      serially(async () => {
        for (const instance of [...instances].reverse()) await unload(instance.name);
      }),
    list: () => instances.map(describe),
    get tools() {
      return instances.flatMap((instance) => instance.tools);
    },
    get channels() {
      return instances.flatMap((instance) => instance.channels);
    },
    get providers() {
      return new Map(instances.flatMap((instance) => [...instance.providers]));
    },
    async received(message) {
      let current = message;
      for (const entry of handlersOf('message:received')) {
        const result = await call('message:received', entry, current);
        if (!result.ok || result.value === undefined) continue;
        if (result.value === false) return false;
        current = result.value as InboundMessage;
      }
      return current;
    },
    async sending(address, message) {
      let current = message;
      for (const entry of handlersOf('message:sending')) {
        const result = await call('message:sending', entry, { address, message: current });
        if (!result.ok || result.value === undefined) continue;
        if (result.value === false) return false;
        current = result.value as OutboundMessage;
      }
      return current;
    },
    async systemPrompt(event) {
      let system = event.system;
      for (const entry of handlersOf('agent:start')) {
        const result = await call('agent:start', entry, { ...event, system });
        const changed = result.ok ? (result.value as { system?: unknown } | undefined)?.system : undefined;
        if (typeof changed === 'string') system = changed;
      }
      return system;
    },
    async notify(hook, event) {
      for (const entry of handlersOf(hook)) await call(hook, entry, event);
    },
  };
}
