export type {
  Agent,
  AgentMcpServer,
  AgentModelFallback,
  AgentModelSettings,
  AgentMount,
  AgentPatch,
  AgentSandboxSettings,
  AgentsRepository,
  NewAgent,
} from './agents';
export type {
  Approval,
  ApprovalKind,
  ApprovalStatus,
  ApprovalsRepository,
  Destination,
  DestinationsRepository,
  DestinationTarget,
  KvRepository,
} from './approvals';
export type { BudgetScope, BudgetSpend, BudgetSpendAddition, BudgetSpendRepository } from './budget-spend';
export type {
  Chat,
  ChatPatch,
  ChatStatus,
  ChatsRepository,
  ChatUpsert,
  EngageMode,
  NewWiring,
  SessionMode,
  UnknownSenderPolicy,
  Wiring,
  WiringPatch,
  WiringsRepository,
} from './chats';
export type { EgressRequestListOptions, EgressRequestsRepository, StoredEgressRequest } from './egress-requests';
export type { LeaseTimes, SessionLease, SessionLeasesRepository } from './leases';
export type {
  InboxEntry,
  InboxKind,
  InboxRepository,
  MessageDirection,
  MessageQuery,
  MessagesRepository,
  NewStoredMessage,
  StoredMessage,
} from './messages';
export type { OnboardingCode, OnboardingCodeKind, OnboardingCodesRepository } from './onboarding-codes';
export type { NewOutboxEntry, OutboxEntry, OutboxRepository, OutboxStatus } from './outbox';
export type { NewQuestion, Question, QuestionStatus, QuestionsRepository } from './questions';
export type { Session, SessionKey, SessionStatus, SessionsRepository } from './sessions';
export type { StickyThread, StickyThreadsRepository } from './sticky-threads';
export type { Store, StoreRepositories } from './store';
export type {
  NewScheduledTask,
  ScheduledTask,
  TaskContextMode,
  TaskKind,
  TaskPatch,
  TaskRun,
  TaskRunsRepository,
  TaskScheduleType,
  TaskStatus,
  TasksRepository,
} from './tasks';
export type {
  TranscriptEntry,
  TranscriptRepository,
  TranscriptRole,
  Turn,
  TurnPatch,
  TurnStatus,
  TurnsRepository,
  TurnTrigger,
} from './turns';
export type { AgentMembersRepository, User, UserRole, UserRoleName, UsersRepository } from './users';
