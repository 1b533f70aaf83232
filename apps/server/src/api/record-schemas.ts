import * as v from 'valibot';

/*
 * The store's records as the API answers them, for the OpenAPI document. `record-schemas.test.ts`
 * keeps each schema's type equal to the `@ngb/plugin-sdk` record it describes.
 */

const time = v.pipe(v.number(), v.description('Epoch milliseconds.'));
const id = v.string();

export const agentRecord = v.object({
  id,
  folder: v.string(),
  name: v.string(),
  isMain: v.boolean(),
  assistantName: v.optional(v.string()),
  instructionsFile: v.string(),
  model: v.object({
    provider: v.optional(v.string()),
    model: v.optional(v.string()),
    maxTokens: v.optional(v.number()),
    temperature: v.optional(v.number()),
    fallbacks: v.optional(v.array(v.object({ provider: v.optional(v.string()), model: v.string() }))),
    contextWindow: v.optional(v.number()),
    compactAt: v.optional(v.number()),
    maxPromptMessages: v.optional(v.number()),
  }),
  sandbox: v.object({
    network: v.union([
      v.literal('none'),
      v.object({
        allow: v.pipe(v.array(v.string()), v.description('Domains, exact or `*.example.com`; lower case, punycode.')),
        maxBytesPerTurn: v.optional(v.number()),
      }),
    ]),
    memoryMb: v.optional(v.number()),
    cpus: v.optional(v.number()),
    pids: v.optional(v.number()),
    diskMb: v.optional(v.number()),
    mounts: v.array(v.object({ hostPath: v.string(), containerPath: v.optional(v.string()), readonly: v.optional(v.boolean()) })),
    mcpServers: v.optional(
      v.array(
        v.object({
          name: v.string(),
          command: v.optional(v.string()),
          url: v.optional(v.string()),
          headers: v.optional(v.record(v.string(), v.string())),
          args: v.optional(v.array(v.string())),
          env: v.optional(v.record(v.string(), v.string())),
          startTimeoutMs: v.optional(v.number()),
        }),
      ),
    ),
  }),
  timezone: v.string(),
  createdAt: time,
  updatedAt: time,
});

const skillScope = v.pipe(
  v.picklist(['agent', 'global']),
  v.description("Where the skill is: the agent's own `skills` folder or the shared `global/skills`."),
);

export const skillRecord = v.object({
  name: v.string(),
  description: v.string(),
  scope: skillScope,
  path: v.pipe(v.string(), v.description('Its SKILL.md as the sandbox sees it (`/workspace/agent/skills/<name>/SKILL.md`).')),
  overridesGlobal: v.pipe(v.optional(v.boolean()), v.description('An agent skill that hides a global skill of the same name.')),
});

export const skillProblemRecord = v.object({
  scope: skillScope,
  path: v.pipe(v.string(), v.description('Under the agents folder, such as `main/skills/pdf/SKILL.md`.')),
  name: v.pipe(v.optional(v.string()), v.description("The skill's folder name, when the problem is one skill's.")),
  reason: v.string(),
});

export const skillListingRecord = v.object({
  skills: v.pipe(
    v.array(skillRecord),
    v.description('What the system prompt lists: own skills, then the global ones not overridden.'),
  ),
  problems: v.pipe(v.array(skillProblemRecord), v.description('Skills skipped, or skills folders not read, and why.')),
});

export const unknownSenderPolicy = v.picklist(['strict', 'request_approval', 'public']);
export const chatStatus = v.picklist(['active', 'pending', 'denied']);

export const chatRecord = v.object({
  id,
  channel: v.string(),
  platformChatId: v.string(),
  name: v.string(),
  isGroup: v.boolean(),
  unknownSenderPolicy,
  status: chatStatus,
  createdAt: time,
  updatedAt: time,
});

export const engageMode = v.picklist(['always', 'pattern', 'mention', 'mention-sticky']);
export const sessionMode = v.picklist(['shared', 'per-thread', 'agent-shared']);

export const wiringRecord = v.object({
  id,
  chatId: v.string(),
  agentId: v.string(),
  engage: engageMode,
  pattern: v.optional(v.string()),
  sessionMode,
  priority: v.number(),
  accumulate: v.boolean(),
  createdAt: time,
});

export const userRecord = v.object({
  id,
  channel: v.string(),
  platformUserId: v.string(),
  name: v.optional(v.string()),
  linkedUserId: v.pipe(v.optional(v.string()), v.description('The user this identity is linked to (roles follow the link).')),
  createdAt: time,
  updatedAt: time,
});

export const userRoleRecord = v.object({
  userId: v.string(),
  role: v.picklist(['owner', 'admin']),
  agentId: v.optional(v.string()),
  grantedAt: time,
});

export const sessionRecord = v.object({
  id,
  agentId: v.string(),
  chatId: v.optional(v.string()),
  threadId: v.optional(v.string()),
  status: v.picklist(['active', 'closed']),
  createdAt: time,
  updatedAt: time,
  lastActivityAt: time,
});

export const turnRecord = v.object({
  id,
  sessionId: v.string(),
  trigger: v.picklist(['message', 'task', 'manual', 'command']),
  status: v.picklist(['queued', 'running', 'succeeded', 'failed']),
  attempts: v.number(),
  error: v.optional(v.string()),
  nextAttemptAt: v.optional(time),
  inputTokens: v.number(),
  outputTokens: v.number(),
  cacheTokens: v.number(),
  costUsd: v.nullable(v.pipe(v.number(), v.description('US dollars; null when a model had no known price.'))),
  model: v.optional(v.string()),
  sentMessage: v.boolean(),
  startedAt: v.optional(time),
  endedAt: v.optional(time),
  createdAt: time,
  updatedAt: time,
});

export const egressRequestRecord = v.object({
  id,
  sessionId: v.string(),
  turnId: v.optional(v.string()),
  method: v.pipe(v.string(), v.description('`CONNECT` for a tunnel, else the plain HTTP method.')),
  host: v.string(),
  port: v.number(),
  address: v.optional(v.pipe(v.string(), v.description('The address the proxy connected to, or refused.'))),
  allowed: v.boolean(),
  reason: v.optional(v.pipe(v.string(), v.description('Why it was refused or cut short.'))),
  bytesUp: v.number(),
  bytesDown: v.number(),
  startedAt: time,
  durationMs: v.number(),
});

export const transcriptRecord = v.object({
  id,
  seq: v.pipe(v.number(), v.description("The entry's place in order: later entries have greater ones.")),
  sessionId: v.string(),
  turnId: v.optional(v.string()),
  role: v.picklist(['user', 'assistant', 'tool']),
  content: v.pipe(v.unknown(), v.description("The core's message format (any JSON).")),
  createdAt: time,
});

const attachmentRecord = v.looseObject({ kind: v.string() });

export const messageRecord = v.object({
  id,
  chatId: v.string(),
  platformMessageId: v.string(),
  threadId: v.optional(v.string()),
  senderId: v.string(),
  senderName: v.optional(v.string()),
  text: v.string(),
  mentionsBot: v.boolean(),
  replyToPlatformId: v.optional(v.string()),
  replyToAuthorId: v.optional(v.string()),
  replyToAuthorName: v.optional(v.string()),
  replyToText: v.optional(v.string()),
  attachments: v.array(attachmentRecord),
  timestamp: time,
  direction: v.picklist(['inbound', 'outbound']),
  hop: v.number(),
  createdAt: time,
  originalText: v.optional(v.string()),
  editedAt: v.optional(time),
  deletedAt: v.optional(time),
});

export const taskScheduleType = v.picklist(['cron', 'interval', 'once']);
export const taskContextMode = v.picklist(['group', 'isolated']);
export const taskStatus = v.picklist(['active', 'paused', 'completed', 'cancelled']);

export const taskRecord = v.object({
  id,
  kind: v.pipe(
    v.picklist(['task', 'heartbeat']),
    v.description("`heartbeat`: the agent's heartbeat, kept in sync with its `heartbeat` config (change it there)."),
  ),
  agentId: v.string(),
  sessionId: v.optional(v.string()),
  chatId: v.optional(v.string()),
  prompt: v.string(),
  scheduleType: taskScheduleType,
  scheduleValue: v.string(),
  timezone: v.string(),
  contextMode: taskContextMode,
  status: taskStatus,
  nextRunAt: v.optional(time),
  lastRunAt: v.optional(time),
  createdAt: time,
  updatedAt: time,
});

export const taskRunRecord = v.object({
  id,
  taskId: v.string(),
  startedAt: time,
  endedAt: v.optional(time),
  status: v.picklist(['succeeded', 'failed']),
  result: v.optional(v.string()),
  error: v.optional(v.string()),
});

export const approvalStatus = v.picklist(['pending', 'approved', 'denied']);

export const approvalRecord = v.object({
  id,
  kind: v.picklist(['chat', 'sender']),
  chatId: v.string(),
  userId: v.optional(v.string()),
  messageId: v.optional(v.string()),
  code: v.string(),
  status: approvalStatus,
  requestedAt: time,
  resolvedAt: v.optional(time),
});
