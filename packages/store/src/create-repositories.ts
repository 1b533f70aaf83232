import type { StoreRepositories } from '@ngb/plugin-sdk';
import { createAgentMembersRepository } from './repositories/agent-members-repository';
import { createAgentsRepository } from './repositories/agents-repository';
import { createApprovalsRepository } from './repositories/approvals-repository';
import { createChatsRepository } from './repositories/chats-repository';
import { createDestinationsRepository } from './repositories/destinations-repository';
import { createInboxRepository } from './repositories/inbox-repository';
import { createKvRepository } from './repositories/kv-repository';
import { createMessagesRepository } from './repositories/messages-repository';
import { createOutboxRepository } from './repositories/outbox-repository';
import { createSessionsRepository } from './repositories/sessions-repository';
import { createTaskRunsRepository } from './repositories/task-runs-repository';
import { createTasksRepository } from './repositories/tasks-repository';
import { createTranscriptRepository } from './repositories/transcript-repository';
import { createTurnsRepository } from './repositories/turns-repository';
import { createUsersRepository } from './repositories/users-repository';
import { createWiringsRepository } from './repositories/wirings-repository';
import type { RepositoryContext } from './repository-context';

/** Every repository over one database handle (the store's, or an open transaction's). */
export function createRepositories(context: RepositoryContext): StoreRepositories {
  return {
    agents: createAgentsRepository(context),
    chats: createChatsRepository(context),
    wirings: createWiringsRepository(context),
    users: createUsersRepository(context),
    agentMembers: createAgentMembersRepository(context),
    sessions: createSessionsRepository(context),
    messages: createMessagesRepository(context),
    inbox: createInboxRepository(context),
    turns: createTurnsRepository(context),
    transcript: createTranscriptRepository(context),
    outbox: createOutboxRepository(context),
    tasks: createTasksRepository(context),
    taskRuns: createTaskRunsRepository(context),
    approvals: createApprovalsRepository(context),
    destinations: createDestinationsRepository(context),
    kv: createKvRepository(context),
  };
}
