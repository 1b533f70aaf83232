import type { StoreRepositories } from '@ngb/plugin-sdk';
import { createAgentMembersRepository } from './repositories/agent-members-repository';
import { createAgentsRepository } from './repositories/agents-repository';
import { createApprovalsRepository } from './repositories/approvals-repository';
import { createBudgetSpendRepository } from './repositories/budget-spend-repository';
import { createChatsRepository } from './repositories/chats-repository';
import { createDestinationsRepository } from './repositories/destinations-repository';
import { createEgressRequestsRepository } from './repositories/egress-requests-repository';
import { createInboxRepository } from './repositories/inbox-repository';
import { createKvRepository } from './repositories/kv-repository';
import { createMessagesRepository } from './repositories/messages-repository';
import { createOnboardingCodesRepository } from './repositories/onboarding-codes-repository';
import { createOutboxRepository } from './repositories/outbox-repository';
import { createQuestionsRepository } from './repositories/questions-repository';
import { createSessionLeasesRepository } from './repositories/session-leases-repository';
import { createSessionsRepository } from './repositories/sessions-repository';
import { createStickyThreadsRepository } from './repositories/sticky-threads-repository';
import { createTaskRunsRepository } from './repositories/task-runs-repository';
import { createTasksRepository } from './repositories/tasks-repository';
import { createTranscriptRepository } from './repositories/transcript-repository';
import { createTurnsRepository } from './repositories/turns-repository';
import { createUsersRepository } from './repositories/users-repository';
import { createWiringsRepository } from './repositories/wirings-repository';
import type { RepositoryContext } from './repository-context';

const factories: { readonly [Name in keyof StoreRepositories]: (context: RepositoryContext) => StoreRepositories[Name] } = {
  agents: createAgentsRepository,
  chats: createChatsRepository,
  wirings: createWiringsRepository,
  users: createUsersRepository,
  agentMembers: createAgentMembersRepository,
  sessions: createSessionsRepository,
  leases: createSessionLeasesRepository,
  messages: createMessagesRepository,
  inbox: createInboxRepository,
  turns: createTurnsRepository,
  transcript: createTranscriptRepository,
  outbox: createOutboxRepository,
  tasks: createTasksRepository,
  taskRuns: createTaskRunsRepository,
  approvals: createApprovalsRepository,
  destinations: createDestinationsRepository,
  kv: createKvRepository,
  budgetSpend: createBudgetSpendRepository,
  onboardingCodes: createOnboardingCodesRepository,
  questions: createQuestionsRepository,
  egressRequests: createEgressRequestsRepository,
  stickyThreads: createStickyThreadsRepository,
};

type RepositoryName = keyof StoreRepositories;

const made = Symbol('repositories');

interface Holder {
  readonly [made]: { readonly context: RepositoryContext; readonly instances: Map<RepositoryName, unknown> };
}

// One getter per repository, shared by every set of repositories: a transaction (one per inbound
// message) then defines the same accessors again instead of making a closure for each.
const getters: PropertyDescriptorMap = Object.fromEntries(
  (Object.keys(factories) as RepositoryName[]).map((name) => [
    name,
    {
      enumerable: true,
      get(this: Holder) {
        const { context, instances } = this[made];
        let instance = instances.get(name);
        if (instance === undefined) {
          instance = factories[name](context);
          instances.set(name, instance);
        }
        return instance;
      },
    },
  ]),
);

/**
 * Every repository over one database handle (the store's, or an open transaction's). Each one is
 * made on first use: a transaction that touches three repositories builds three.
 */
export function createRepositories(context: RepositoryContext): StoreRepositories {
  const holder = Object.defineProperty({}, made, { value: { context, instances: new Map() } });
  return Object.defineProperties(holder, getters) as StoreRepositories;
}
