import type { Generated } from 'kysely';

/*
 * Row types of the tables as kysely sees them. Booleans are 0/1 integers, JSON values are text,
 * times are epoch-ms integers. `seq` is the SQLite rowid: it orders rows by insertion and is never
 * shown outside the store.
 */

export interface AgentsTable {
  seq: Generated<number>;
  id: string;
  folder: string;
  name: string;
  is_main: number;
  assistant_name: string | null;
  instructions_file: string;
  model: string;
  sandbox: string;
  timezone: string;
  created_at: number;
  updated_at: number;
}

export interface ChatsTable {
  seq: Generated<number>;
  id: string;
  channel: string;
  platform_chat_id: string;
  name: string;
  is_group: number;
  unknown_sender_policy: string;
  status: string;
  created_at: number;
  updated_at: number;
}

export interface WiringsTable {
  seq: Generated<number>;
  id: string;
  chat_id: string;
  agent_id: string;
  engage: string;
  pattern: string | null;
  session_mode: string;
  priority: number;
  accumulate: number;
  created_at: number;
}

export interface UsersTable {
  seq: Generated<number>;
  id: string;
  channel: string;
  platform_user_id: string;
  name: string | null;
  linked_user_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface OnboardingCodesTable {
  seq: Generated<number>;
  id: string;
  kind: string;
  code_hash: string;
  user_id: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

export interface UserRolesTable {
  seq: Generated<number>;
  user_id: string;
  role: string;
  agent_id: string | null;
  granted_at: number;
}

interface AgentMembersTable {
  seq: Generated<number>;
  agent_id: string;
  user_id: string;
  added_at: number;
}

export interface SessionsTable {
  seq: Generated<number>;
  id: string;
  agent_id: string;
  chat_id: string | null;
  thread_id: string | null;
  status: string;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
  lease_holder: string | null;
  lease_expires_at: number | null;
}

export interface MessagesTable {
  seq: Generated<number>;
  id: string;
  chat_id: string;
  platform_message_id: string;
  thread_id: string | null;
  sender_id: string;
  sender_name: string | null;
  text: string;
  mentions_bot: number;
  reply_to_platform_id: string | null;
  attachments: string;
  timestamp: number;
  direction: string;
  hop: Generated<number>;
  created_at: number;
  reply_to_author_id: Generated<string | null>;
  reply_to_author_name: Generated<string | null>;
  reply_to_text: Generated<string | null>;
  original_text: Generated<string | null>;
  edited_at: Generated<number | null>;
  deleted_at: Generated<number | null>;
}

export interface SessionInboxTable {
  seq: Generated<number>;
  id: string;
  session_id: string;
  message_id: string | null;
  kind: string;
  task_id: string | null;
  created_at: number;
  processed_at: number | null;
  turn_id: string | null;
}

export interface TurnsTable {
  seq: Generated<number>;
  id: string;
  session_id: string;
  trigger: string;
  status: string;
  attempts: number;
  error: string | null;
  next_attempt_at: number | null;
  input_tokens: number;
  output_tokens: number;
  cache_tokens: number;
  cost_usd: number;
  /** 1 when a model call of the turn had no known price (then `cost_usd` is only what was priced). */
  cost_unknown: Generated<number>;
  model: string | null;
  sent_message: Generated<number>;
  started_at: number | null;
  ended_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface TranscriptTable {
  seq: Generated<number>;
  id: string;
  session_id: string;
  turn_id: string | null;
  role: string;
  content: string;
  created_at: number;
  archived_at: Generated<number | null>;
}

export interface OutboxTable {
  seq: Generated<number>;
  id: string;
  key: string;
  session_id: string | null;
  turn_id: string | null;
  channel: string;
  chat_id: string;
  thread_id: string | null;
  text: string;
  reply_to_platform_id: string | null;
  format: Generated<string>;
  status: string;
  attempts: number;
  error: string | null;
  next_attempt_at: number | null;
  permanent_failure: number;
  platform_message_id: string | null;
  /** JSON array of the platform ids of the parts sent so far. */
  sent_chunk_ids: Generated<string>;
  /** JSON array of the platform ids of the messages a streamed reply went into. */
  stream_message_ids: Generated<string>;
  /** 1 while the reply's turn still streams it (delivery leaves the row alone). */
  streaming: Generated<number>;
  hop: Generated<number>;
  /** JSON array of the buttons to show under the message, or null. */
  choices: Generated<string | null>;
  sent_at: number | null;
  /** When the row failed for good (a dead letter); null otherwise. */
  failed_at: Generated<number | null>;
  created_at: number;
  updated_at: number;
}

export interface TasksTable {
  seq: Generated<number>;
  id: string;
  agent_id: string;
  session_id: string | null;
  chat_id: string | null;
  prompt: string;
  schedule_type: string;
  schedule_value: string;
  timezone: string;
  context_mode: string;
  status: string;
  next_run_at: number | null;
  last_run_at: number | null;
  created_at: number;
  updated_at: number;
  kind: Generated<string>;
}

export interface TaskRunsTable {
  seq: Generated<number>;
  id: string;
  task_id: string;
  started_at: number;
  ended_at: number | null;
  status: string;
  result: string | null;
  error: string | null;
}

export interface ApprovalsTable {
  seq: Generated<number>;
  id: string;
  kind: string;
  chat_id: string;
  user_id: string | null;
  message_id: string | null;
  code: string;
  status: string;
  requested_at: number;
  resolved_at: number | null;
}

export interface QuestionsTable {
  seq: Generated<number>;
  id: string;
  key: string;
  session_id: string;
  turn_id: string;
  agent_id: string;
  chat_id: string;
  thread_id: string | null;
  text: string;
  /** JSON array of the option labels. */
  options: string;
  default_option: number | null;
  status: string;
  answer: number | null;
  answered_by: string | null;
  expires_at: number;
  created_at: number;
  ended_at: number | null;
}

export interface DestinationsTable {
  seq: Generated<number>;
  id: string;
  agent_id: string;
  name: string;
  target_type: string;
  target_chat_id: string | null;
  target_agent_id: string | null;
  created_at: number;
  updated_at: number;
}

interface BudgetSpendTable {
  scope: string;
  scope_id: string;
  period: string;
  tokens: Generated<number>;
  cost_usd: Generated<number>;
  unpriced_tokens: Generated<number>;
  near_noticed: Generated<number>;
  end_noticed: Generated<number>;
  updated_at: number;
}

export interface EgressRequestsTable {
  seq: Generated<number>;
  id: string;
  session_id: string;
  turn_id: string | null;
  method: string;
  host: string;
  port: number;
  address: string | null;
  allowed: number;
  reason: string | null;
  bytes_up: number;
  bytes_down: number;
  started_at: number;
  duration_ms: number;
}

interface StickyThreadsTable {
  agent_id: string;
  chat_id: string;
  thread_id: string;
  session_id: string;
  engaged_at: number;
}

interface KvTable {
  namespace: string;
  key: string;
  value: string;
  updated_at: number;
}

/** The whole schema, as of the latest migration. */
export interface StoreDatabase {
  agents: AgentsTable;
  chats: ChatsTable;
  wirings: WiringsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  agent_members: AgentMembersTable;
  sessions: SessionsTable;
  messages: MessagesTable;
  session_inbox: SessionInboxTable;
  turns: TurnsTable;
  transcript: TranscriptTable;
  outbox: OutboxTable;
  tasks: TasksTable;
  task_runs: TaskRunsTable;
  approvals: ApprovalsTable;
  destinations: DestinationsTable;
  kv: KvTable;
  budget_spend: BudgetSpendTable;
  onboarding_codes: OnboardingCodesTable;
  questions: QuestionsTable;
  egress_requests: EgressRequestsTable;
  sticky_threads: StickyThreadsTable;
}
