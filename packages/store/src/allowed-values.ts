import type {
  ApprovalKind,
  ChatStatus,
  DestinationTarget,
  EngageMode,
  InboxKind,
  MessageDirection,
  MessageFormat,
  OnboardingCodeKind,
  SessionMode,
  SessionStatus,
  TaskContextMode,
  TaskKind,
  TaskRun,
  TaskScheduleType,
  TaskStatus,
  TranscriptRole,
  TurnStatus,
  TurnTrigger,
  UnknownSenderPolicy,
  UserRoleName,
} from '@ngb/plugin-sdk';
import { ConfigError } from '@ngb/plugin-sdk';

// Written as a record so the compiler flags a value missing from, or foreign to, the contract's union.
function valuesOf<T extends string>(values: Record<T, true>): readonly T[] {
  return Object.keys(values) as T[];
}

/** The values each enum-like field of the contract accepts. */
export const allowedValues = {
  unknownSenderPolicy: valuesOf<UnknownSenderPolicy>({ strict: true, request_approval: true, public: true }),
  chatStatus: valuesOf<ChatStatus>({ active: true, pending: true, denied: true }),
  engage: valuesOf<EngageMode>({ always: true, pattern: true, mention: true, 'mention-sticky': true }),
  sessionMode: valuesOf<SessionMode>({ shared: true, 'per-thread': true, 'agent-shared': true }),
  role: valuesOf<UserRoleName>({ owner: true, admin: true }),
  sessionStatus: valuesOf<SessionStatus>({ active: true, closed: true }),
  direction: valuesOf<MessageDirection>({ inbound: true, outbound: true }),
  inboxKind: valuesOf<InboxKind>({ message: true, context: true, task: true, command: true }),
  trigger: valuesOf<TurnTrigger>({ message: true, task: true, manual: true, command: true }),
  turnStatus: valuesOf<TurnStatus>({ queued: true, running: true, succeeded: true, failed: true }),
  transcriptRole: valuesOf<TranscriptRole>({ user: true, assistant: true, tool: true }),
  scheduleType: valuesOf<TaskScheduleType>({ cron: true, interval: true, once: true }),
  contextMode: valuesOf<TaskContextMode>({ group: true, isolated: true }),
  taskKind: valuesOf<TaskKind>({ task: true, heartbeat: true }),
  taskStatus: valuesOf<TaskStatus>({ active: true, paused: true, completed: true, cancelled: true }),
  taskRunStatus: valuesOf<TaskRun['status']>({ succeeded: true, failed: true }),
  approvalKind: valuesOf<ApprovalKind>({ chat: true, sender: true }),
  approvalDecision: valuesOf<'approved' | 'denied'>({ approved: true, denied: true }),
  targetType: valuesOf<DestinationTarget['type']>({ chat: true, agent: true }),
  format: valuesOf<MessageFormat>({ markdown: true, plain: true }),
  onboardingCodeKind: valuesOf<OnboardingCodeKind>({ claim: true, link: true }),
} as const;

/**
 * Refuses a value outside `allowed` before anything is written (a value the core does not know is
 * stored fine and then silently never matches). `undefined` (a field a patch leaves alone) passes.
 * @param record what the value is for, such as `wiring`
 * @param key the field's name in the contract (`ConfigError.key`), such as `engage`
 * @throws ConfigError naming the field, the value and the allowed values
 */
export function assertAllowed(value: unknown, allowed: readonly string[], record: string, key: string): void {
  if (value === undefined || (typeof value === 'string' && allowed.includes(value))) return;
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  throw new ConfigError(
    `[@ngb/store] ${record} ${key} ${shown} is not allowed; use one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}`,
    { key },
  );
}
