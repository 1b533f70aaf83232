import type { SessionKey, Wiring } from '@ngb/plugin-sdk';

/** The session a wiring puts a message of a thread in: the one rule the router and the admin commands share. */
export function sessionKeyFor(
  wiring: Pick<Wiring, 'agentId' | 'sessionMode' | 'chatId'>,
  threadId: string | undefined,
): SessionKey {
  switch (wiring.sessionMode) {
    case 'shared':
      return { agentId: wiring.agentId, chatId: wiring.chatId, threadId: null };
    case 'per-thread':
      return { agentId: wiring.agentId, chatId: wiring.chatId, threadId: threadId ?? null };
    case 'agent-shared':
      return { agentId: wiring.agentId, chatId: null, threadId: null };
  }
}
