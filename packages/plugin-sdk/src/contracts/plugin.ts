import type { GenericSchema, InferOutput } from 'valibot';
import type { Address } from '../address';
import type { Logger } from '../logger';
import type { ChannelAdapter, InboundMessage, OutboundMessage } from './channel';
import type { LlmProvider } from './llm';
import type { Tool } from './tool';

/** What each hook receives, and what it may return to change the flow. */
export interface PluginHooks {
  /**
   * A message arrived. Return a changed message, `false` to drop it, or nothing to keep it. Edits and
   * deletions arrive here too, with their `kind`; the bot's own messages never do (they are dropped first).
   */
  'message:received': (
    message: InboundMessage,
  ) => InboundMessage | false | undefined | Promise<InboundMessage | false | undefined>;
  /** A message is about to be sent. Return a changed message, `false` to cancel it, or nothing. */
  'message:sending': (event: {
    address: Address;
    message: OutboundMessage;
  }) => OutboundMessage | false | undefined | Promise<OutboundMessage | false | undefined>;
  /** A turn is starting. Return `{ system }` to change the system prompt, or nothing. */
  'agent:start': (event: {
    agentId: string;
    sessionId: string;
    turnId: string;
    system: string;
  }) => { system?: string } | undefined | Promise<{ system?: string } | undefined>;
  /** A turn ended. */
  'agent:result': (event: {
    agentId: string;
    sessionId: string;
    turnId: string;
    status: 'succeeded' | 'failed';
    text: string;
  }) => void | Promise<void>;
  /** A new session was created. */
  'session:created': (event: { sessionId: string; agentId: string; chatId: string | null }) => void | Promise<void>;
  /** A scheduled task is about to run. */
  'task:run': (event: { taskId: string; agentId: string; prompt: string }) => void | Promise<void>;
}

/** Names of the hooks a plugin can subscribe to. */
export type PluginHookName = keyof PluginHooks;

/** What a plugin's `setup` receives. */
export interface PluginApi<Config = unknown> {
  /** The plugin's name. */
  readonly name: string;
  /** The plugin's config, already validated by its `configSchema`. */
  readonly config: Config;
  /** Logger tagged with the plugin's name. */
  readonly logger: Logger;
  /**
   * Subscribes to a hook. Every hook call has a time limit; a hook that throws or times out is
   * logged and skipped, and never takes the gateway down.
   */
  on<Name extends PluginHookName>(hook: Name, handler: PluginHooks[Name]): void;
  /** Adds a tool every agent can use. */
  registerTool(tool: Tool): void;
  /** Adds a chat channel. */
  registerChannel(channel: ChannelAdapter): void;
  /** Adds a model provider under a name agents can pick. */
  registerProvider(name: string, provider: LlmProvider): void;
  /**
   * Sends a plain text to a chat the way the gateway sends its own notices: queued in the outbox
   * (so it survives a restart), then delivered in the chat's order, with retries, through every
   * plugin's `message:sending`. Resolves once it is queued, not once the platform has it.
   * @param address the chat (and thread) to send to
   * @param text the text, split by the gateway when longer than the channel's limit
   * @throws Error when this plugin instance was unloaded (a disposed instance sends nothing), when
   *   the text is empty, or when the address is not a chat the gateway serves (an active chat: a
   *   plugin never makes the bot speak where it was not let in)
   */
  send(address: Address, text: string): Promise<void>;
}

/** What `setup` may return: nothing, or a function that releases what the plugin opened. */
export type PluginSetupResult = undefined | void | (() => void | Promise<void>);

/** A plugin: a named bundle of hooks, tools, channels and providers. */
export interface Plugin<Schema extends GenericSchema = GenericSchema> {
  /** Contract version the plugin was written for. */
  readonly specificationVersion: 1;
  /** npm-style name, unique among loaded plugins. */
  readonly name: string;
  /** Semver of the plugin. */
  readonly version: string;
  /** valibot schema of the plugin's config; the host validates before `setup` and names the key on failure. */
  readonly configSchema?: Schema;
  /**
   * Registers hooks and contributions. Runs when the plugin is loaded: at gateway start, and for a
   * plugin loaded from a local folder again on every hot reload, in a fresh module instance, while
   * the previous instance still runs (so it must not take anything only one instance can hold).
   * Its registrations take effect together once it resolved; if it throws, none do. May return a
   * dispose function: the host runs it when the plugin is unloaded (gateway stop, hot reload), then
   * undoes every `api.on` and `api.register*` of this plugin itself, so a dispose only releases
   * what the plugin opened on its own (timers, connections).
   */
  setup(api: PluginApi<InferOutput<Schema>>): PluginSetupResult | Promise<PluginSetupResult>;
}

/** Declares a plugin. */
export function definePlugin<Schema extends GenericSchema = GenericSchema>(
  plugin: Omit<Plugin<Schema>, 'specificationVersion'>,
): Plugin<Schema> {
  if (plugin.name.trim() === '') throw new TypeError('[@ngb/plugin-sdk] a plugin needs a name');
  return { specificationVersion: 1, ...plugin };
}
