/** The records the API lists, as the dashboard reads them (fields it does not know are ignored). */

export interface Status {
  isolated: boolean;
  channels: Record<string, string | { state: string; detail?: string; error?: string }>;
  queue: { running: string[]; waiting: string[]; parked?: string[] };
  lastEventSeq: number;
  /** `degraded` while memory is above its limit: no new turn starts until it recovers. */
  health?: { state: 'ok' } | { state: 'degraded'; reason: string; since: number };
  /** Whether the gateway has an owner yet. */
  claimed?: boolean;
  /** The one-time claim code, shown only to a loopback visitor before the gateway is claimed. */
  claimCode?: string | { code: string; expiresAt?: number };
}

/** `/api/channels` items. */
export interface ChannelItem {
  name: string;
  state: string;
  detail?: string;
  /** While connecting: the login the platform waits for. */
  login?: { kind: 'qr'; code: string; instructions: string };
  capabilities: string[];
}

export interface Agent {
  id: string;
  folder: string;
  name: string;
  isMain: boolean;
}

export interface Skill {
  name: string;
  description: string;
  scope: 'agent' | 'global';
  /** Its SKILL.md as the sandbox sees it. */
  path: string;
  overridesGlobal?: boolean;
}

/** `/api/agents/:id/skills`: the skills listed, and those skipped with the reason. */
export interface SkillListing {
  skills: Skill[];
  problems: Array<{ scope: 'agent' | 'global'; path: string; name?: string; reason: string }>;
}

export interface Chat {
  id: string;
  channel: string;
  platformChatId: string;
  name: string;
  isGroup: boolean;
  unknownSenderPolicy: 'strict' | 'request_approval' | 'public';
  status: string;
}

export interface UserRole {
  role: string;
  agentId?: string;
}

export interface User {
  id: string;
  channel: string;
  platformUserId: string;
  name?: string;
  roles: UserRole[];
  memberOf?: string[];
}

export interface Session {
  id: string;
  agentId: string;
  chatId?: string;
  threadId?: string;
  status: string;
  createdAt: number;
  lastActivityAt: number;
}

export interface Turn {
  id: string;
  status: string;
  trigger?: string;
  error?: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number | null;
  model?: string;
  startedAt?: number;
  endedAt?: number;
  createdAt: number;
}

export interface TranscriptEntry {
  id: string;
  turnId?: string;
  role: 'user' | 'assistant' | 'tool';
  content: unknown;
  createdAt: number;
}

export interface Message {
  id: string;
  chatId: string;
  senderId: string;
  senderName?: string;
  text: string;
  timestamp: number;
  direction: 'inbound' | 'outbound';
}

export interface Task {
  id: string;
  agentId: string;
  chatId?: string;
  prompt: string;
  scheduleType: 'cron' | 'interval' | 'once';
  scheduleValue: string;
  timezone: string;
  contextMode: string;
  status: 'active' | 'paused' | 'completed' | 'cancelled';
  nextRunAt?: number;
  lastRunAt?: number;
}

export interface TaskRun {
  id: string;
  startedAt: number;
  endedAt?: number;
  status: string;
  result?: string;
  error?: string;
}

export interface Approval {
  id: string;
  kind: 'chat' | 'sender';
  chatId: string;
  userId?: string;
  code: string;
  status: string;
  requestedAt: number;
}

export interface Sandbox {
  id: string;
  sessionId: string;
  agentName: string;
  state: 'starting' | 'idle' | 'busy';
}

/** One record of the structured log: `time` (ISO), `level`, `tag`, `msg`, and any other fields. */
export type LogEntry = Record<string, unknown> & { time: string; level: string; tag?: string; msg?: string };

export interface Usage {
  since: number;
  agents: Array<{
    agentId: string;
    agentName: string;
    turns: number;
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
    unpricedTurns: number;
  }>;
  /** The last hour, a minute each. */
  turnsPerMinute: Array<{ minute: number; succeeded: number; failed: number }>;
}

/** A tool call as it runs and after: its name, input, and (once ended) output and time. */
export interface ToolCallView {
  callId: string;
  name: string;
  input: unknown;
  output?: string;
  isError?: boolean;
  durationMs?: number;
  done: boolean;
}

/** A request of a session's sandbox through the egress proxy, allowed or refused. */
export interface EgressRequest {
  id: string;
  sessionId: string;
  turnId?: string;
  method: string;
  host: string;
  port: number;
  address?: string;
  allowed: boolean;
  reason?: string;
  bytesUp: number;
  bytesDown: number;
  startedAt: number;
  durationMs: number;
}

/** `/api/budgets`: one budget's spend this day or month against its limits. */
export interface BudgetRow {
  scope: 'agent' | 'user' | 'chat';
  name: string;
  period: 'day' | 'month';
  periodKey: string;
  costUsd: number;
  tokens: number;
  unpricedTokens: number;
  limitUsd: number | null;
  limitTokens: number | null;
  share: number | null;
  state: 'unlimited' | 'ok' | 'near' | 'spent';
}

export interface Budgets {
  timeZone: string;
  nearShare: number;
  periods: { day: string; month: string };
  budgets: BudgetRow[];
}

/** A reply the gateway gave up delivering (`GET /api/deliveries/failed`). */
export interface FailedDelivery {
  id: string;
  channel: string;
  chatId: string;
  chatName?: string;
  threadId?: string;
  text: string;
  error?: string;
  attempts: number;
  refused: boolean;
  failedAt?: number;
  createdAt: number;
}
