import type { Migration, MigrationProvider } from 'kysely';
import { migration0001Initial } from './0001_initial';
import { migration0002DeferredSearchIndex } from './0002_deferred_search_index';
import { migration0003TurnModelAndCost } from './0003_turn_model_and_cost';
import { migration0004AllowedValues } from './0004_allowed_values';
import { migration0005TurnFacts } from './0005_turn_facts';
import { migration0006SessionLeases } from './0006_session_leases';
import { migration0007MessageEdits } from './0007_message_edits';
import { migration0008CommandInbox } from './0008_command_inbox';
import { migration0009ReplyStream } from './0009_reply_stream';
import { migration0010Onboarding } from './0010_onboarding';
import { migration0011TurnsBySession } from './0011_turns_by_session';
import { migration0012BudgetSpend } from './0012_budget_spend';
import { migration0013Questions } from './0013_questions';
import { migration0014TranscriptArchive } from './0014_transcript_archive';
import { migration0015Egress } from './0015_egress';
import { migration0016LiveTranscript } from './0016_live_transcript';
import { migration0017StickyThreadsAndHeartbeats } from './0017_sticky_threads_and_heartbeats';
import { migration0018DeadLetters } from './0018_dead_letters';
import { migration0019SentByChat } from './0019_sent_by_chat';

/** Every migration, by name; names sort in the order they run. Forward-only: no `down`. */
export const sqliteMigrations: Readonly<Record<string, Migration>> = {
  '0001_initial': migration0001Initial,
  '0002_deferred_search_index': migration0002DeferredSearchIndex,
  '0003_turn_model_and_cost': migration0003TurnModelAndCost,
  '0004_allowed_values': migration0004AllowedValues,
  '0005_turn_facts': migration0005TurnFacts,
  '0006_session_leases': migration0006SessionLeases,
  '0007_message_edits': migration0007MessageEdits,
  '0008_command_inbox': migration0008CommandInbox,
  '0009_reply_stream': migration0009ReplyStream,
  '0010_onboarding': migration0010Onboarding,
  '0011_turns_by_session': migration0011TurnsBySession,
  '0012_budget_spend': migration0012BudgetSpend,
  '0013_questions': migration0013Questions,
  '0014_transcript_archive': migration0014TranscriptArchive,
  '0015_egress': migration0015Egress,
  '0016_live_transcript': migration0016LiveTranscript,
  '0017_sticky_threads_and_heartbeats': migration0017StickyThreadsAndHeartbeats,
  '0018_dead_letters': migration0018DeadLetters,
  '0019_sent_by_chat': migration0019SentByChat,
};

/** A static provider (no files read at run time, so bundling works). */
export function createMigrationProvider(migrations: Readonly<Record<string, Migration>> = sqliteMigrations): MigrationProvider {
  return { getMigrations: async () => ({ ...migrations }) };
}
