import type { GenericSchema, InferOutput } from 'valibot';
import type { Address } from '../address';
import type { ChannelAdapter } from '../contracts/channel';
import type { LlmProvider } from '../contracts/llm';
import type { Plugin, PluginApi, PluginHookName, PluginHooks } from '../contracts/plugin';
import type { Tool } from '../contracts/tool';
import { ConfigError } from '../errors';
import { createRecordingLogger, type RecordingLogger } from './recording-logger';

/** The Standard Schema interface (standardschema.dev) every valibot schema carries. */
interface StandardSchema {
  '~standard': {
    validate(value: unknown): StandardResult | Promise<StandardResult>;
  };
}
type StandardResult =
  | { value: unknown; issues?: undefined }
  | { issues: ReadonlyArray<{ message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> }> };

/** A plugin set up outside a gateway, with everything it registered. */
export interface PluginHarness<Config> {
  /** The config `setup` received, as the plugin's schema parsed it. */
  readonly config: Config;
  /** What the plugin logged (its lines are tagged with its name). */
  readonly logger: RecordingLogger;
  /** The tools it registered, in order. */
  readonly tools: readonly Tool[];
  /** The channels it registered, in order. */
  readonly channels: readonly ChannelAdapter[];
  /** The providers it registered, by name. */
  readonly providers: Readonly<Record<string, LlmProvider>>;
  /** What it sent with `api.send`, in order. */
  readonly sent: readonly { address: Address; text: string }[];
  /** The handlers it registered for `hook`, in the order it registered them. */
  handlers<Name extends PluginHookName>(hook: Name): PluginHooks[Name][];
  /**
   * The tool it registered as `name`.
   * @throws Error naming the tools it did register when there is none by that name
   */
  tool(name: string): Tool;
  /** Runs the dispose function `setup` returned, if any. */
  dispose(): Promise<void>;
}

/**
 * Sets a plugin up the way the gateway does: its config parsed by its `configSchema` first, then
 * `setup` with an api that records each registration (nothing runs until a test calls it).
 * @param options.config the plugin's config, as `ngb.config.json` would hold it
 * @throws ConfigError naming the config key (`plugins.<name>.<key>`) the schema refused, as the gateway does
 */
export async function setUpPlugin<Schema extends GenericSchema>(
  plugin: Plugin<Schema>,
  options: { config?: unknown } = {},
): Promise<PluginHarness<InferOutput<Schema>>> {
  let config = options.config as InferOutput<Schema>;
  if (plugin.configSchema !== undefined) {
    // Through the schema's Standard Schema interface: this entry loads no valibot of its own.
    const result = await (plugin.configSchema as unknown as StandardSchema)['~standard'].validate(options.config ?? {});
    if (result.issues !== undefined) {
      const issue = result.issues[0];
      const key = (issue?.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.');
      const fullKey = `plugins.${plugin.name}${key ? `.${key}` : ''}`;
      throw new ConfigError(
        `[@ngb/plugin-sdk] plugin "${plugin.name}": config${key ? ` key "${key}"` : ''} (${fullKey}): ${issue?.message ?? 'invalid'}`,
        { key: fullKey },
      );
    }
    config = result.value as InferOutput<Schema>;
  }
  const logger = createRecordingLogger();
  const hooks = new Map<PluginHookName, unknown[]>();
  const tools: Tool[] = [];
  const channels: ChannelAdapter[] = [];
  const providers: Record<string, LlmProvider> = {};
  const sent: { address: Address; text: string }[] = [];
  const api: PluginApi<InferOutput<Schema>> = {
    name: plugin.name,
    config,
    logger: logger.child(plugin.name),
    on(hook, handler) {
      hooks.set(hook, [...(hooks.get(hook) ?? []), handler]);
    },
    registerTool: (tool) => void tools.push(tool),
    registerChannel: (channel) => void channels.push(channel),
    registerProvider(name, provider) {
      providers[name] = provider;
    },
    async send(address, text) {
      sent.push({ address, text });
    },
  };
  const dispose = await plugin.setup(api);
  return {
    config,
    logger,
    tools,
    channels,
    providers,
    sent,
    handlers: <Name extends PluginHookName>(hook: Name) => [...(hooks.get(hook) ?? [])] as PluginHooks[Name][],
    tool(name) {
      const found = tools.find((tool) => tool.name === name);
      if (found !== undefined) return found;
      throw new Error(
        `plugin "${plugin.name}" registered no tool "${name}" (it registered: ${tools.map((tool) => tool.name).join(', ') || 'none'})`,
      );
    },
    async dispose() {
      if (typeof dispose === 'function') await dispose();
    },
  };
}
