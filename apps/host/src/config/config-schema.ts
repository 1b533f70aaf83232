import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { heartbeatSchema, rateLimitOptionsSchema } from '@ngb/core';
import { checkEgressNetwork } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { channelNames } from '../channels/channel-manifests';
import { pluginsSchema } from '../plugins/plugin-config-schema';
import {
  cpus,
  idleTimeoutMinutes,
  imageReference,
  leaseSeconds,
  maxSandboxes,
  memoryMb,
  pids,
  port,
  positiveInteger,
  section,
  temperature,
  text,
  timeZone,
  toolTimeoutSeconds,
} from './config-values';
import { mcpServersSchema } from './mcp-servers-schema';

/** Agent folder names: what the sandbox mount accepts. `global` is reserved (checked separately). */
export const agentFolderPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const agentModelSchema = v.object({
  provider: v.optional(v.picklist(['openai', 'anthropic'], 'must be "openai" or "anthropic"')),
  model: v.optional(text),
  maxTokens: v.optional(positiveInteger),
  temperature: v.optional(temperature),
});

const providerName = v.picklist(['openai', 'anthropic'], 'must be "openai" or "anthropic"');

// A fallback names its model: falling back to the same model would only repeat the failed call.
const fallbackSchema = section(
  v.object({ provider: v.optional(providerName), model: text }),
  '{ "provider": "openai", "model": "gpt-6.1-terra" }',
);

/** `agents.<name>.model`: the agent's model, and the models tried in order when it keeps failing. */
const agentModelChainSchema = v.object({
  ...agentModelSchema.entries,
  fallbacks: v.optional(v.array(fallbackSchema, 'must be a list of { "provider"?: ..., "model": ... }')),
});

const modelSchema = v.object({
  ...agentModelSchema.entries,
  baseURL: v.optional(v.pipe(v.string(), v.url('must be a URL such as http://localhost:11434/v1'))),
});

// "none", or the domains the agent's tools may reach through the host's egress proxy (the container
// itself never gets a network). Checked and normalized by the same rule the store and the runtime apply.
const networkSchema = v.pipe(
  v.unknown(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const checked = checkEgressNetwork(dataset.value);
    if (checked.ok) return checked.network;
    addIssue({ message: checked.path === '' ? checked.problem : `entry ${checked.path}: ${checked.problem}` });
    return NEVER;
  }),
);

// Checked again by the runtime's mount policy (allowlist file, secret-looking entries, container names).
const agentMountSchema = v.object({
  hostPath: v.pipe(
    text,
    v.check((hostPath) => isAbsolute(hostPath) || hostPath === '~' || hostPath.startsWith('~/'), 'must be an absolute host path'),
    v.transform((hostPath) => (hostPath === '~' || hostPath.startsWith('~/') ? join(homedir(), hostPath.slice(1)) : hostPath)),
  ),
  containerPath: v.optional(text),
  readonly: v.optional(v.boolean('must be true or false')),
});

// US dollars per million tokens; over the provider packages' own tables (a model they do not know, a
// local model served through OPENAI_BASE_URL, a negotiated price).
const price = v.pipe(v.number('must be a number'), v.minValue(0, 'must not be negative'));
const priceSchema = v.object({
  input: price,
  output: price,
  cacheWrite: v.optional(price),
  cacheRead: v.optional(price),
});

// US dollars and tokens per day or month; at least one of the two, or the budget would limit nothing.
const budgetAmountSchema = section(
  v.pipe(
    v.object({
      usd: v.optional(v.pipe(v.number('must be a number'), v.minValue(0, 'must not be negative'))),
      tokens: v.optional(positiveInteger),
    }),
    v.check((amount) => amount.usd !== undefined || amount.tokens !== undefined, 'must name "usd", "tokens" or both'),
  ),
  '{ "usd": 1.5, "tokens": 200000 }',
);
const budgetLimitsEntries = { day: v.optional(budgetAmountSchema), month: v.optional(budgetAmountSchema) };
const budgetLimitsSchema = section(v.object(budgetLimitsEntries), '{ "day": { "usd": 1 }, "month": { "usd": 20 } }');

/** `agents.<name>.budget`: the agent's own limits, and the model it moves to as they near their end. */
const agentBudgetSchema = section(
  v.object({
    ...budgetLimitsEntries,
    cheaperModel: v.optional(section(v.object({ provider: v.optional(providerName), model: text }), '{ "model": "..." }')),
  }),
  '{ "day": { "usd": 1 }, "cheaperModel": { "model": "..." } }',
);

// Per agent only: how long conversations are kept within the model's context.
const agentConversationModelSchema = v.object({
  ...agentModelChainSchema.entries,
  contextWindow: v.optional(positiveInteger),
  compactAt: v.optional(
    v.pipe(v.number('must be a number'), v.gtValue(0, 'must be above 0'), v.ltValue(1, 'must be below 1 (a share, such as 0.7)')),
  ),
  maxPromptMessages: v.optional(positiveInteger),
});

const agentSchema = v.object({
  name: v.optional(text),
  assistantName: v.optional(text),
  model: v.optional(section(agentConversationModelSchema)),
  budget: v.optional(agentBudgetSchema),
  network: v.optional(networkSchema),
  /** Extra host folders, mounted under `/workspace/extra/` when the mount allowlist allows them. */
  mounts: v.optional(v.array(agentMountSchema, 'must be a list of { "hostPath": ..., "containerPath"?: ..., "readonly"?: ... }')),
  timezone: v.optional(timeZone),
  memoryMb: v.optional(memoryMb),
  cpus: v.optional(cpus),
  pids: v.optional(pids),
  /** Size limit of the agent folder in MiB (see `runtime.diskLimits`). */
  diskLimitMb: v.optional(v.pipe(positiveInteger, v.minValue(16, 'must be at least 16 (MiB)')), 1024),
  /** Stdio MCP servers started inside the agent's sandbox; their tools are offered as `mcp__<name>__<tool>`. */
  mcpServers: v.optional(mcpServersSchema),
  /**
   * A periodic prompt in the agent's main chat; an answer of only `HEARTBEAT_OK` is never delivered.
   * `chat` names the main chat as `<channel>:<platform chat id>` (default: its first direct chat with an owner).
   */
  heartbeat: v.optional(
    section(
      heartbeatSchema,
      '{ "every": "30m", "activeHours": { "start": "08:00", "end": "22:00" }, "prompt"?: "...", "chat"?: "telegram:123" }',
    ),
  ),
});

// Timers cannot wait longer than 2^31-1 ms.
const streamingMs = v.pipe(positiveInteger, v.maxValue(2 ** 31 - 1, 'must be at most 2147483647 (ms)'));

/**
 * `channels.<name>.streaming`: the channel's replies stream into one message while they are written
 * (edits), or `false` for whole replies.
 */
const streamingSchema = v.union(
  [
    v.literal(false),
    section(
      v.object({
        firstAfterChars: v.optional(positiveInteger),
        firstAfterMs: v.optional(streamingMs),
        editIntervalMs: v.optional(streamingMs),
      }),
      'false, or { "editIntervalMs": 1500 }, or {} for the defaults',
    ),
  ],
  'must be false or an object such as { "editIntervalMs": 1500 } ({} for the defaults)',
);

// Channel options are the adapter's own (checked by its factory), so unknown keys are not warned
// about; `enabled` and `streaming` are the gateway's and never reach the adapter.
const channelSchema = section(
  v.looseObject({
    enabled: v.optional(v.boolean('must be true or false'), true),
    streaming: v.optional(streamingSchema),
  }),
);

/** The schema of `ngb.config.json`. Unknown keys are reported as warnings, never refused. */
export const configSchema = v.object({
  $schema: v.optional(v.string()),
  dataDir: v.optional(text, '.ngb'),
  agentsDir: v.optional(text, 'agents'),
  allowAgentsDirOutsideProject: v.optional(v.boolean('must be true or false'), false),
  model: v.optional(section(modelSchema)),
  pricing: v.optional(section(v.record(text, section(priceSchema)), '{ "<model id>": { "input": 3, "output": 15 } }'), {}),
  runtime: v.optional(
    section(
      v.object({
        // "auto" is what older configs say: it means Docker too (the local runtime is never a fallback).
        driver: v.optional(v.picklist(['docker', 'local', 'auto'], 'must be "docker" or "local"'), 'docker'),
        image: v.optional(imageReference, 'ngb-agent:latest'),
        maxSandboxes: v.optional(maxSandboxes, 5),
        idleTimeoutMinutes: v.optional(idleTimeoutMinutes, 30),
        /** `on`: every agent folder gets its `diskLimitMb` (needs root); `off`: agents write without a limit. */
        diskLimits: v.optional(v.picklist(['on', 'off'], 'must be "on" or "off"'), 'on'),
      }),
    ),
    {},
  ),
  allowLocalRuntime: v.optional(v.boolean('must be true or false'), false),
  channels: v.optional(
    section(
      v.record(v.picklist(channelNames, `must be one of ${channelNames.join(', ')}`), channelSchema),
      '{ "telegram": { ... } }',
    ),
    {},
  ),
  agents: v.optional(
    section(
      v.record(v.pipe(v.string(), v.regex(agentFolderPattern, 'is not a valid agent folder name')), section(agentSchema)),
      '{ "main": { ... } }, keyed by agent folder',
    ),
    {},
  ),
  /** Budgets shared by every agent: each user's and each chat's limits, the day's zone, the near-end share. */
  budgets: v.optional(
    section(
      v.object({
        timeZone: v.optional(timeZone, 'UTC'),
        nearShare: v.optional(
          v.pipe(
            v.number('must be a number'),
            v.minValue(0.01, 'must be from 0.01 to 1'),
            v.maxValue(1, 'must be from 0.01 to 1'),
          ),
          0.8,
        ),
        eachUser: v.optional(budgetLimitsSchema),
        eachChat: v.optional(budgetLimitsSchema),
      }),
    ),
    {},
  ),
  gateway: v.optional(
    section(
      v.object({
        maxConcurrentTurns: v.optional(positiveInteger),
        maxSteps: v.optional(positiveInteger),
        maxTurnTokens: v.optional(positiveInteger),
        toolTimeoutSeconds: v.optional(toolTimeoutSeconds),
        leaseSeconds: v.optional(leaseSeconds),
        agentFileMaxBytes: v.optional(positiveInteger),
        // The most bytes saved of one file people attach, and of one file the agent sends (default 20 MiB each).
        attachmentMaxBytes: v.optional(positiveInteger),
        sendFileMaxBytes: v.optional(positiveInteger),
        // How long a group thread stays engaged for a `mention-sticky` wiring after the agent last answered there.
        stickyIdleMinutes: v.optional(positiveInteger),
        // Above `degradedAboveMb` of resident memory no new turn starts (messages wait), idle sandboxes are
        // reaped and /readyz answers 503 `degraded`; below `recoverBelowMb` (default 90 % of it) it recovers.
        limits: v.optional(
          v.object({
            memory: v.optional(
              v.pipe(
                v.object({
                  degradedAboveMb: v.optional(v.pipe(positiveInteger, v.minValue(16, 'must be at least 16')), 512),
                  recoverBelowMb: v.optional(positiveInteger),
                }),
                v.forward(
                  v.check(
                    (memory) => memory.recoverBelowMb === undefined || memory.recoverBelowMb < memory.degradedAboveMb,
                    'must be below degradedAboveMb',
                  ),
                  ['recoverBelowMb'],
                ),
              ),
              {},
            ),
          }),
          {},
        ),
      }),
    ),
    {},
  ),
  dashboard: v.optional(
    section(
      v.object({
        enabled: v.optional(v.boolean('must be true or false'), true),
        host: v.optional(text, '127.0.0.1'),
        port: v.optional(port, 7070),
      }),
    ),
    {},
  ),
  /** Host plugins (trusted code): npm packages, pinned on first load, or local folders, hot-reloaded by `serve`. */
  plugins: v.optional(pluginsSchema, []),
  /** The built-in rate limiter: fixed windows per sender and per chat; off when absent. */
  rateLimit: v.optional(section(rateLimitOptionsSchema, '{ "perSender": { "messages": 10, "windowSeconds": 60 } }')),
  log: v.optional(
    section(
      v.object({
        level: v.optional(v.picklist(['debug', 'info', 'warn', 'error']), 'info'),
        // How `ngb serve` writes to its console: `text` for people, `json` (one object per line) for log shippers.
        format: v.optional(v.picklist(['text', 'json'], 'must be "text" or "json"'), 'text'),
        // The log file is rotated past this size; `maxFiles` files are kept, the current one included.
        maxFileSizeMb: v.optional(positiveInteger, 10),
        maxFiles: v.optional(positiveInteger, 3),
      }),
    ),
    {},
  ),
});

/** `ngb.config.json` after defaults. */
export type NgbConfig = v.InferOutput<typeof configSchema>;
/** One agent's settings in the config. */
export type AgentConfig = v.InferOutput<typeof agentSchema>;
/** The `model` section. */
export type ModelConfig = v.InferOutput<typeof modelSchema>;
