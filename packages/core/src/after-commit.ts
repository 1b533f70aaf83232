import type { Store, StoreRepositories } from '@ngb/plugin-sdk';
import type { GatewayContext } from './gateway-context';

/** Side effects (wake-ups, deliveries, events, plugin notifications) waiting for a commit. */
export type PendingEffects = Array<() => unknown>;

/**
 * A view of the gateway context whose store calls go through a transaction and whose side effects
 * wait in `effects` until it committed, so that no turn starts on rows that might still roll back.
 */
export function transactionalContext(context: GatewayContext, tx: StoreRepositories, effects: PendingEffects): GatewayContext {
  // Inherit from tx rather than copy it: its repositories are made on first use.
  const store: Store = Object.assign(Object.create(tx) as StoreRepositories, {
    specificationVersion: 1 as const,
    transaction: <T>(fn: (repositories: StoreRepositories) => Promise<T>) => fn(tx),
    close: context.store.close,
  });
  return {
    ...context,
    store,
    bus: { ...context.bus, emit: (event) => void effects.push(() => context.bus.emit(event)) },
    queue: { ...context.queue, wake: (sessionId, kind) => void effects.push(() => context.queue.wake(sessionId, kind)) },
    plugins: { ...context.plugins, notify: async (hook, event) => void effects.push(() => context.plugins.notify(hook, event)) },
    kickDelivery: (channel, chatId) => void effects.push(() => context.kickDelivery(channel, chatId)),
    afterCommit: (effect) => void effects.push(() => effect(context)),
  };
}

/** Runs the effects that waited for a commit, in order; one failing does not stop the rest. */
export async function runEffects(context: GatewayContext, effects: PendingEffects): Promise<void> {
  for (const effect of effects) {
    try {
      await effect();
    } catch (error) {
      context.logger.error('after-commit step failed', { error });
    }
  }
}
