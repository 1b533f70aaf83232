import type { TimedGatewayEvent } from '../events';
import type { Gateway } from '../gateway-options';

/**
 * Resolves with the first event of the gateway (already recorded in `seen`, or still to come) that
 * matches. For turns that wait on a person, where `gateway.idle()` would wait with them.
 */
export function waitForEvent<E extends TimedGatewayEvent>(
  gateway: Gateway,
  seen: readonly TimedGatewayEvent[],
  matches: (event: TimedGatewayEvent) => event is E,
): Promise<E> {
  const found = seen.find(matches);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => {
    const stop = gateway.events.on((event) => {
      if (!matches(event)) return;
      stop();
      resolve(event);
    });
  });
}

/** Matches a `type` of event. */
export function ofType<T extends TimedGatewayEvent['type']>(
  type: T,
  extra: (event: Extract<TimedGatewayEvent, { type: T }>) => boolean = () => true,
) {
  return (event: TimedGatewayEvent): event is Extract<TimedGatewayEvent, { type: T }> =>
    event.type === type && extra(event as Extract<TimedGatewayEvent, { type: T }>);
}
