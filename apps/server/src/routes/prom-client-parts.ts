import { createRequire } from 'node:module';
import type {
  Counter as CounterClass,
  Gauge as GaugeClass,
  Histogram as HistogramClass,
  Registry as RegistryClass,
} from 'prom-client';

/** One of prom-client's default metrics: registers its collectors on the registry. */
type DefaultMetric = (registry: RegistryClass, config: { prefix: string; eventLoopMonitoringPrecision: number }) => void;

/**
 * prom-client's default metrics other than the CPU counters, in the order `collectDefaultMetrics`
 * registers them (`processResources` registers nothing on a Node without `getActiveResourcesInfo`).
 */
const defaultMetricFiles = [
  'processStartTime',
  'osMemoryHeap',
  'processOpenFileDescriptors',
  'processMaxFileDescriptors',
  'eventLoopLag',
  'processResources',
  'processHandles',
  'processRequests',
  'heapSizeAndUsed',
  'heapSpacesSizeAndUsed',
  'version',
  'gc',
] as const;

/** What the server's metrics use of prom-client. */
export interface PromClientParts {
  Registry: typeof RegistryClass;
  Counter: typeof CounterClass;
  Gauge: typeof GaugeClass;
  Histogram: typeof HistogramClass;
  /** prom-client's default metrics (process, heap, event loop, GC), each name with `prefix`. */
  collectDefaultMetrics(registry: RegistryClass, config: { prefix: string; eventLoopMonitoringPrecision: number }): void;
}

/**
 * Loads the parts of prom-client the server uses, one file each, rather than its entry point: that
 * one also loads the push gateway client, the cluster aggregator, summaries and, for the exemplars of
 * its CPU counters, `@opentelemetry/api` (about 50 modules), none of which the server uses: about
 * 0.5 MB of heap and 0.6–1.4 MB resident for the life of `ngb serve`. The CPU counters are the same three
 * metrics, without exemplars (which the server never enables).
 */
export function loadPromClientParts(): PromClientParts {
  const require = createRequire(import.meta.url);
  const Registry = require('prom-client/lib/registry') as typeof RegistryClass;
  const Counter = require('prom-client/lib/counter') as typeof CounterClass;
  const Gauge = require('prom-client/lib/gauge') as typeof GaugeClass;
  const Histogram = require('prom-client/lib/histogram') as typeof HistogramClass;
  return {
    Registry,
    Counter,
    Gauge,
    Histogram,
    collectDefaultMetrics(registry, config) {
      registerCpuCounters(Counter, registry, config.prefix);
      for (const file of defaultMetricFiles) (require(`prom-client/lib/metrics/${file}`) as DefaultMetric)(registry, config);
    },
  };
}

/** `process_cpu_user_seconds_total`, `…_system_…` and `process_cpu_seconds_total`, as prom-client names them. */
function registerCpuCounters(Counter: typeof CounterClass, registry: RegistryClass, prefix: string): void {
  let last = process.cpuUsage();
  const user = new Counter({
    name: `${prefix}process_cpu_user_seconds_total`,
    help: 'Total user CPU time spent in seconds.',
    registers: [registry],
    // This one metric's `collect` sets all three, as prom-client's own does.
    collect() {
      const now = process.cpuUsage();
      const userMicros = now.user - last.user;
      const systemMicros = now.system - last.system;
      last = now;
      user.inc(userMicros / 1e6);
      system.inc(systemMicros / 1e6);
      total.inc((userMicros + systemMicros) / 1e6);
    },
  });
  const system = new Counter({
    name: `${prefix}process_cpu_system_seconds_total`,
    help: 'Total system CPU time spent in seconds.',
    registers: [registry],
  });
  const total = new Counter({
    name: `${prefix}process_cpu_seconds_total`,
    help: 'Total user and system CPU time spent in seconds.',
    registers: [registry],
  });
}
