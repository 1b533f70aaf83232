import type { StoreRepositories } from '@ngb/plugin-sdk';

/** What a turn reads of the store while it starts: the pending messages and tasks, and their chats. */
export type TurnReads = Pick<StoreRepositories, 'messages' | 'tasks' | 'chats'>;

/**
 * The store as a turn reads it while it starts: each message, task and chat is read once however many
 * parts ask (the reply address, the hop count and the prompt all read the pending messages). A
 * snapshot for the few milliseconds before the model call; writes go to the store itself.
 */
export function readOnce(store: TurnReads): TurnReads {
  const once = <T>(read: (id: string) => Promise<T>) => {
    const reads = new Map<string, Promise<T>>();
    return (id: string): Promise<T> => {
      let pending = reads.get(id);
      if (pending === undefined) {
        pending = read(id);
        reads.set(id, pending);
      }
      return pending;
    };
  };
  return {
    messages: { ...store.messages, get: once((id) => store.messages.get(id)) },
    tasks: { ...store.tasks, get: once((id) => store.tasks.get(id)) },
    chats: { ...store.chats, get: once((id) => store.chats.get(id)) },
  };
}
