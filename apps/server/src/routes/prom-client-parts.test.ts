import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadPromClientParts } from './prom-client-parts';

const config = { prefix: 'ngb_', eventLoopMonitoringPrecision: 20 };

// In this order: the first case looks at what is loaded before the second loads prom-client in full.
describe('loadPromClientParts', () => {
  it('loads neither prom-client’s entry point nor @opentelemetry/api', async () => {
    const parts = loadPromClientParts();
    const registry = new parts.Registry();
    parts.collectDefaultMetrics(registry, config);
    await registry.metrics();
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.some((file) => /prom-client[\\/]lib[\\/]registry\.js$/.test(file))).toBe(true);
    expect(
      loaded.filter((file) =>
        /node_modules[\\/]@opentelemetry[\\/]api[\\/]|prom-client[\\/](index|lib[\\/]pushgateway|lib[\\/]cluster)\.js$/.test(
          file,
        ),
      ),
    ).toEqual([]);
  });

  it('registers the same default metrics as prom-client’s collectDefaultMetrics, CPU counters counting', async () => {
    const parts = loadPromClientParts();
    const ours = new parts.Registry();
    parts.collectDefaultMetrics(ours, config);
    const promClient = await import('prom-client');
    const theirs = new promClient.Registry();
    promClient.collectDefaultMetrics({ register: theirs, ...config });
    const shape = (registry: InstanceType<typeof parts.Registry>) =>
      registry.getMetricsAsArray().map((metric) => ({ name: metric.name, help: metric.help, type: metric.type }));
    expect(shape(ours)).toEqual(shape(theirs));

    const started = Date.now();
    while (Date.now() - started < 20) Math.sqrt(Math.random());
    const text = await ours.metrics();
    const seconds = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(seconds('ngb_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(seconds('ngb_process_cpu_seconds_total')).toBeCloseTo(
      seconds('ngb_process_cpu_user_seconds_total') + seconds('ngb_process_cpu_system_seconds_total'),
      6,
    );
  });
});
