import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../contracts/store';
import { describeAgentCases } from './store-contract/agents';
import { describeAllowedValueCases } from './store-contract/allowed-values';
import { describeApprovalCases, describeDestinationCases, describeKvCases } from './store-contract/approvals-destinations-kv';
import { describeChatCases, describeWiringCases } from './store-contract/chats-wirings';
import { createSeams, type StoreContractFactory, type StoreTestContext } from './store-contract/context';
import { describeEgressRequestCases } from './store-contract/egress-requests';
import { describeInboxCases, describeTurnCases } from './store-contract/inbox-turns';
import { describeLeaseCases } from './store-contract/leases';
import { describeLinkedIdentityCases } from './store-contract/linked-identities';
import { describeMessageEditCases } from './store-contract/message-edits';
import { describeMessageSearchCases } from './store-contract/message-search';
import { describeMessageCases } from './store-contract/messages';
import { describeOutboxDeadLetterCases } from './store-contract/outbox-dead-letters';
import { describeQuestionCases } from './store-contract/questions';
import { describeSessionCases } from './store-contract/sessions';
import { describeStickyThreadCases } from './store-contract/sticky-threads';
import { describeTaskCases } from './store-contract/tasks';
import { describeTransactionCases } from './store-contract/transactions';
import { describeOutboxCases, describeTranscriptCases } from './store-contract/transcript-outbox';
import { describeUserCases } from './store-contract/users';

export type { StoreContractFactory, StoreContractSeams } from './store-contract/context';
export { hostileSearchTexts } from './store-contract/message-search';

/**
 * The behaviour every {@link Store} must have: every repository, idempotent inserts, not-found results,
 * ordering, full-text search with hostile input, transactions, and refusal of values outside the
 * contract's unions (an unknown engage mode, policy, role, status, ...) before anything is written. Call it in a test file of the store's
 * package; `factory` gets a fresh, empty store per test and must wire the given `now` and `generateId`
 * into it. The suite closes each store after its test.
 */
export function describeStoreContract(name: string, factory: StoreContractFactory): void {
  describe(`Store contract: ${name}`, () => {
    let current: StoreTestContext | undefined;
    const context = (): StoreTestContext => {
      if (current === undefined) throw new Error('[@ngb/plugin-sdk] the store contract context is used outside a test');
      return current;
    };

    beforeEach(async () => {
      const { seams, context: parts } = createSeams();
      const store: Store = await factory(seams);
      current = { ...parts, store };
    });

    afterEach(async () => {
      await current?.store.close();
      current = undefined;
    });

    describeAgentCases(context);
    describeChatCases(context);
    describeWiringCases(context);
    describeUserCases(context);
    describeLinkedIdentityCases(context);
    describeSessionCases(context);
    describeLeaseCases(context);
    describeMessageCases(context);
    describeMessageSearchCases(context);
    describeMessageEditCases(context);
    describeInboxCases(context);
    describeTurnCases(context);
    describeTranscriptCases(context);
    describeOutboxCases(context);
    describeOutboxDeadLetterCases(context);
    describeTaskCases(context);
    describeApprovalCases(context);
    describeQuestionCases(context);
    describeDestinationCases(context);
    describeKvCases(context);
    describeEgressRequestCases(context);
    describeStickyThreadCases(context);
    describeTransactionCases(context);
    describeAllowedValueCases(context);
  });
}
