import type { Logger, Store, StoreRepositories } from '@ngb/plugin-sdk';

/** One durable step: the repositories of its transaction, and the side effects that wait for its commit. */
export interface UnitOfWork {
  /** The repositories of the open transaction; everything written through them commits together. */
  readonly tx: StoreRepositories;
  /**
   * Runs `effect` once the transaction committed (wake-ups, deliveries, events, plugin
   * notifications), in the order they were added; never when it rolled back.
   */
  after(effect: () => unknown): void;
}

/**
 * Runs `work` in one transaction, then its effects. Resolves with what `work` resolved to, after
 * the effects ran; an effect that fails is logged and does not stop the others.
 */
export type RunUnitOfWork = <T>(work: (unit: UnitOfWork) => Promise<T>) => Promise<T>;

/** Creates the unit-of-work runner of a store. */
export function createUnitOfWork(options: { store: Store; logger: Logger }): RunUnitOfWork {
  return async (work) => {
    const effects: Array<() => unknown> = [];
    const result = await options.store.transaction((tx) => work({ tx, after: (effect) => void effects.push(effect) }));
    for (const effect of effects) {
      try {
        await effect();
      } catch (error) {
        options.logger.error('after-commit step failed', { error });
      }
    }
    return result;
  };
}
