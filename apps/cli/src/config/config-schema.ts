import * as v from 'valibot';

/** Agent folder names: what the sandbox mount accepts. `global` is reserved (checked separately). */
export const agentFolderPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The chat channels `serve` can compose. */
export const channelNames = ['telegram', 'slack', 'discord', 'whatsapp', 'qq', 'feishu', 'wecom', 'dingtalk', 'web'] as const;

const text = v.pipe(v.string(), v.minLength(1, 'must not be empty'));
const positiveInteger = v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'));
const positiveNumber = v.pipe(v.number(), v.minValue(0, 'must not be negative'));
const temperature = v.pipe(v.number(), v.minValue(0, 'must be between 0 and 2'), v.maxValue(2, 'must be between 0 and 2'));

const agentModelSchema = v.object({
  provider: v.optional(v.picklist(['openai', 'anthropic'], 'must be "openai" or "anthropic"')),
  model: v.optional(text),
  maxTokens: v.optional(positiveInteger),
  temperature: v.optional(temperature),
});

const modelSchema = v.object({
  ...agentModelSchema.entries,
  baseURL: v.optional(v.pipe(v.string(), v.url('must be a URL such as http://localhost:11434/v1'))),
});

const agentSchema = v.object({
  name: v.optional(text),
  assistantName: v.optional(text),
  model: v.optional(agentModelSchema),
  network: v.optional(v.picklist(['none', 'egress'], 'must be "none" or "egress"')),
  timezone: v.optional(text),
  memoryMb: v.optional(positiveInteger),
  cpus: v.optional(positiveNumber),
  pids: v.optional(positiveInteger),
  /** Size limit of the agent folder in MiB (see `runtime.diskLimits`). */
  diskLimitMb: v.optional(v.pipe(positiveInteger, v.minValue(16, 'must be at least 16 (MiB)')), 1024),
});

// Channel options are the adapter's own (checked by its factory), so unknown keys are not warned about.
const channelSchema = v.looseObject({ enabled: v.optional(v.boolean('must be true or false'), true) });

/** The schema of `ngb.config.json`. Unknown keys are reported as warnings, never refused. */
export const configSchema = v.object({
  $schema: v.optional(v.string()),
  dataDir: v.optional(text, '.ngb'),
  agentsDir: v.optional(text, 'agents'),
  model: v.optional(modelSchema),
  runtime: v.optional(
    v.object({
      driver: v.optional(v.picklist(['auto', 'docker', 'local'], 'must be "auto", "docker" or "local"'), 'auto'),
      image: v.optional(text, 'ngb-agent:latest'),
      maxSandboxes: v.optional(positiveInteger, 5),
      idleTimeoutMinutes: v.optional(positiveNumber, 30),
      /** `on`: every agent folder gets its `diskLimitMb` (needs root); `off`: agents write without a limit. */
      diskLimits: v.optional(v.picklist(['on', 'off'], 'must be "on" or "off"'), 'on'),
    }),
    {},
  ),
  allowLocalRuntime: v.optional(v.boolean('must be true or false'), false),
  channels: v.optional(v.record(v.picklist(channelNames, `must be one of ${channelNames.join(', ')}`), channelSchema), {}),
  agents: v.optional(
    v.record(v.pipe(v.string(), v.regex(agentFolderPattern, 'is not a valid agent folder name')), agentSchema),
    {},
  ),
  gateway: v.optional(
    v.object({
      maxConcurrentTurns: v.optional(positiveInteger),
      maxSteps: v.optional(positiveInteger),
      maxTurnTokens: v.optional(positiveInteger),
      toolTimeoutSeconds: v.optional(positiveInteger),
    }),
    {},
  ),
  dashboard: v.optional(
    v.object({
      enabled: v.optional(v.boolean('must be true or false'), false),
      host: v.optional(text, '127.0.0.1'),
      port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535, 'must be a port number')), 7070),
    }),
    {},
  ),
  log: v.optional(v.object({ level: v.optional(v.picklist(['debug', 'info', 'warn', 'error']), 'info') }), {}),
});

/** `ngb.config.json` after defaults. */
export type NgbConfig = v.InferOutput<typeof configSchema>;
/** One agent's settings in the config. */
export type AgentConfig = v.InferOutput<typeof agentSchema>;
/** The `model` section. */
export type ModelConfig = v.InferOutput<typeof modelSchema>;
/** A channel's name. */
export type ChannelName = (typeof channelNames)[number];
