import { type Logger, reportsEgress, type SandboxRuntime, type Store } from '@ngb/plugin-sdk';
import type { EventBus } from './events';

/** What {@link recordEgressRequests} needs. */
export interface EgressRecordsParts {
  runtime: SandboxRuntime;
  store: Store;
  bus: EventBus;
  logger: Logger;
}

/**
 * Stores every request through the sandboxes' egress proxies (the session view lists a session's
 * requests after a restart too), then publishes it as an `egress.request` event with its stored id;
 * a record the store refuses is published all the same, without an id. Does nothing for a runtime
 * without egress.
 * @returns a function that stops recording
 */
export function recordEgressRequests({ runtime, store, bus, logger }: EgressRecordsParts): () => void {
  if (!reportsEgress(runtime)) return () => {};
  return runtime.onEgressRequest((record) => {
    store.egressRequests.add(record).then(
      (stored) => bus.emit({ type: 'egress.request', ...record, id: stored.id }),
      (error: unknown) => {
        logger.warn('could not store an egress request', { sessionId: record.sessionId, error });
        bus.emit({ type: 'egress.request', ...record });
      },
    );
  });
}
