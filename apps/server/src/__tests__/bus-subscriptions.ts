import type { ServerHarness } from './server-harness';

/** Counts the listeners added to the bus from now on. */
export function countSubscriptions(built: ServerHarness): { count: () => number; live: () => number } {
  const bus = built.gateway.events;
  const on = bus.on.bind(bus) as (...args: unknown[]) => () => void;
  let added = 0;
  let removed = 0;
  (bus as { on: unknown }).on = (...args: unknown[]) => {
    added += 1;
    const off = on(...args);
    return () => {
      removed += 1;
      off();
    };
  };
  return { count: () => added, live: () => added - removed };
}
