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
 * Publishes every request through the sandboxes' egress proxies as an `egress.request` event and
 * stores it (the session view lists a session's requests after a restart too). Does nothing for a
 * runtime without egress.
 * @returns a function that stops recording
 */
export function recordEgressRequests({ runtime, store, bus, logger }: EgressRecordsParts): () => void {
  if (!reportsEgress(runtime)) return () => {};
  return runtime.onEgressRequest((record) => {
    bus.emit({ type: 'egress.request', ...record });
    store.egressRequests
      .add(record)
      .catch((error: unknown) => logger.warn('could not store an egress request', { sessionId: record.sessionId, error }));
  });
}
