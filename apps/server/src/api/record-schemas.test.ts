import type { Skill, SkillProblem } from '@ngb/core';
import type {
  Agent,
  Approval,
  Chat,
  ScheduledTask,
  Session,
  StoredEgressRequest,
  StoredMessage,
  TaskRun,
  TranscriptEntry,
  Turn,
  User,
  UserRole,
  Wiring,
} from '@ngb/plugin-sdk';
import type * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  agentRecord,
  approvalRecord,
  chatRecord,
  egressRequestRecord,
  messageRecord,
  sessionRecord,
  skillProblemRecord,
  skillRecord,
  taskRecord,
  taskRunRecord,
  transcriptRecord,
  turnRecord,
  userRecord,
  userRoleRecord,
  wiringRecord,
} from './record-schemas';

type Described<TSchema extends v.GenericSchema> = v.InferOutput<TSchema>;

// Checked by the compiler (`pnpm typecheck`): a schema that parts ways with its record fails to build.
describe('record schemas', () => {
  it('describe the store records exactly', () => {
    expectTypeOf<Described<typeof agentRecord>>().toEqualTypeOf<Agent>();
    expectTypeOf<Described<typeof chatRecord>>().toEqualTypeOf<Chat>();
    expectTypeOf<Described<typeof wiringRecord>>().toEqualTypeOf<Wiring>();
    expectTypeOf<Described<typeof userRecord>>().toEqualTypeOf<User>();
    expectTypeOf<Described<typeof userRoleRecord>>().toEqualTypeOf<UserRole>();
    expectTypeOf<Described<typeof sessionRecord>>().toEqualTypeOf<Session>();
    expectTypeOf<Described<typeof turnRecord>>().toEqualTypeOf<Turn>();
    expectTypeOf<Described<typeof transcriptRecord>>().toEqualTypeOf<TranscriptEntry>();
    expectTypeOf<Described<typeof egressRequestRecord>>().toEqualTypeOf<StoredEgressRequest>();
    expectTypeOf<Described<typeof taskRecord>>().toEqualTypeOf<ScheduledTask>();
    expectTypeOf<Described<typeof taskRunRecord>>().toEqualTypeOf<TaskRun>();
    expectTypeOf<Described<typeof approvalRecord>>().toEqualTypeOf<Approval>();
    expectTypeOf<Described<typeof skillRecord>>().toEqualTypeOf<Skill>();
    expectTypeOf<Described<typeof skillProblemRecord>>().toEqualTypeOf<SkillProblem>();
    expectTypeOf<Omit<Described<typeof messageRecord>, 'attachments'>>().toEqualTypeOf<Omit<StoredMessage, 'attachments'>>();
  });
});
