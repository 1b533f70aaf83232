import type { GatewayEvent } from '@ngb/core';
import { type OpenProject, startGateway } from '@ngb/host';
import { type LlmProvider, NotSupportedError, type SandboxRuntime, type Store } from '@ngb/plugin-sdk';

// `ngb approvals approve` decides through the gateway, so the original message is routed again
// exactly as `/approve` in a chat does; but it answers nothing itself: the turn belongs to the
// process that serves the chat's channel (`ngb serve`), so this gateway sees no pending work, runs
// no turn, and has no sandbox and no model.

const refuse = (what: string) => new NotSupportedError(`[@ngb/cli] ngb approvals ${what}: it only decides approvals`);

const noRuntime: SandboxRuntime = {
  specificationVersion: 1,
  name: 'none',
  isolated: true,
  tools: [],
  acquire: async () => {
    throw refuse('starts no sandbox');
  },
  list: async () => [],
  reap: async () => 0,
  close: async () => undefined,
};

const noModel: LlmProvider = {
  specificationVersion: 1,
  name: 'none',
  doStream: () => {
    throw refuse('calls no model');
  },
};

/** The store as this gateway sees it: no session has pending work, so no turn runs here. */
function withoutTurns(store: Store): Store {
  const inbox = new Proxy(store.inbox, {
    get(target, key) {
      if (key === 'listPending') return async () => [];
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return new Proxy(store, {
    get(target, key) {
      if (key === 'inbox') return inbox;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Where a decided approval's message went. */
export interface Rerouted {
  agentId: string;
  sessionId: string;
}

/**
 * Approves or denies a pending approval through a gateway that takes over no work.
 * @returns the sessions the original message was routed to again
 * @throws the gateway's error (NotFoundError, ...) when no pending approval has the code
 */
export async function decideApproval(project: OpenProject, code: string, decision: 'approved' | 'denied'): Promise<Rerouted[]> {
  const running = await startGateway({
    project: { ...project, store: withoutTurns(project.store) },
    runtime: noRuntime,
    providers: { default: noModel },
    channels: [],
    takeOver: 'none',
    retries: false,
  });
  const rerouted: Rerouted[] = [];
  const stopListening = running.gateway.events.on((event: GatewayEvent) => {
    if (event.type === 'message.routed' && event.kind === 'message')
      rerouted.push({ agentId: event.agentId, sessionId: event.sessionId });
  });
  try {
    await running.gateway.resolveApproval(code, decision);
    await running.gateway.idle();
    return rerouted;
  } finally {
    stopListening();
    await running.stop(0);
  }
}
