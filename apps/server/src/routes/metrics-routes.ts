import type { Gateway, TimedGatewayEvent } from '@ngb/core';
import type { Logger } from '@ngb/plugin-sdk';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { loadPromClientParts, type PromClientParts } from './prom-client-parts';

/** Gauges read when Prometheus scrapes, from parts the server does not own. */
export interface MetricsSources {
  /** Sandboxes running now. */
  activeSandboxes?: () => Promise<number>;
}

/** Waits after the server is built before prom-client is loaded, so that it does not delay start-up. */
const loadDelayMs = 250;

/**
 * The server's metrics: one registry per server (no global state), fed by the gateway's events.
 * prom-client loads a moment after start (or at the first scrape, whichever comes first); the events
 * of the meantime are replayed from the gateway's buffer, so none is missed.
 */
export function createMetrics(gateway: Gateway, sources: MetricsSources, logger: Logger) {
  const after = gateway.events.lastSeq();
  let closed = false;
  let built: Promise<{ registry: Registry; unsubscribe: () => void }> | undefined;
  const load = () => {
    built ??= Promise.resolve().then(() => {
      const { registry, record } = buildRegistry(loadPromClientParts(), gateway, sources);
      const unsubscribe = gateway.events.on(record, {
        after,
        onMissed: () => logger.warn('metrics missed events that fell out of the buffer before they were loaded'),
      });
      if (closed) unsubscribe();
      return { registry, unsubscribe };
    });
    return built;
  };
  const timer = setTimeout(() => void load(), loadDelayMs);
  timer.unref();
  return {
    /** The registry, loading prom-client now if it is not yet. */
    registry: async () => (await load()).registry,
    close(): void {
      closed = true;
      clearTimeout(timer);
      void built?.then(({ registry, unsubscribe }) => {
        unsubscribe();
        registry.clear();
      });
    },
  };
}

function buildRegistry(promClient: PromClientParts, gateway: Gateway, sources: MetricsSources) {
  const { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } = promClient;
  const registry = new Registry();
  collectDefaultMetrics(registry, { prefix: 'ngb_', eventLoopMonitoringPrecision: 20 });
  const messagesIn = new Counter({
    name: 'ngb_messages_received_total',
    help: 'Inbound messages, by channel',
    labelNames: ['channel'],
    registers: [registry],
  });
  const messagesOut = new Counter({
    name: 'ngb_messages_sent_total',
    help: 'Replies delivered, by channel',
    labelNames: ['channel'],
    registers: [registry],
  });
  const deliveryFailures = new Counter({
    name: 'ngb_delivery_failures_total',
    help: 'Failed deliveries, by channel and whether they are given up for good',
    labelNames: ['channel', 'permanent'],
    registers: [registry],
  });
  const turns = new Counter({
    name: 'ngb_turns_total',
    help: 'Finished turns, by status',
    labelNames: ['status'],
    registers: [registry],
  });
  const turnSeconds = new Histogram({
    name: 'ngb_turn_duration_seconds',
    help: 'Turn duration, from start to end',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const toolCalls = new Counter({
    name: 'ngb_tool_calls_total',
    help: 'Tool calls, by tool name',
    labelNames: ['name'],
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'ngb_tokens_total',
    help: 'Model tokens, by agent and kind (input, output, cache)',
    labelNames: ['agent', 'kind'],
    registers: [registry],
  });
  const cost = new Counter({
    name: 'ngb_cost_usd_total',
    help: 'Model spend in US dollars, by agent',
    labelNames: ['agent'],
    registers: [registry],
  });
  new Gauge({
    name: 'ngb_queue_depth',
    help: 'Sessions waiting for a turn slot',
    registers: [registry],
    collect() {
      this.set(gateway.queueState().waiting.length);
    },
  });
  new Gauge({
    name: 'ngb_turns_running',
    help: 'Turns running now',
    registers: [registry],
    collect() {
      this.set(gateway.queueState().running.length);
    },
  });
  if (sources.activeSandboxes) {
    const count = sources.activeSandboxes;
    new Gauge({
      name: 'ngb_sandboxes_active',
      help: 'Sandboxes running now',
      registers: [registry],
      async collect() {
        this.set(await count().catch(() => 0));
      },
    });
  }
  const record = (event: TimedGatewayEvent) => {
    switch (event.type) {
      case 'message.received':
        messagesIn.inc({ channel: event.channel });
        return;
      case 'delivery.sent':
        messagesOut.inc({ channel: event.channel });
        return;
      case 'delivery.failed':
        deliveryFailures.inc({ channel: event.channel, permanent: String(event.permanent) });
        return;
      case 'tool.start':
        toolCalls.inc({ name: event.name });
        return;
      case 'turn.end': {
        turns.inc({ status: event.status });
        turnSeconds.observe(event.durationMs / 1000);
        const agent = event.agentId;
        tokens.inc({ agent, kind: 'input' }, event.usage.inputTokens);
        tokens.inc({ agent, kind: 'output' }, event.usage.outputTokens);
        tokens.inc({ agent, kind: 'cache' }, event.usage.cacheTokens);
        if (event.usage.costUsd !== null) cost.inc({ agent }, event.usage.costUsd);
        return;
      }
      default:
        return;
    }
  };
  return { registry, record };
}

/** `GET /metrics` in the Prometheus text format. */
export function metricsRoutes(metrics: { registry(): Promise<Registry> }): Hono {
  const app = new Hono();
  app.get('/', async (context) => {
    const registry = await metrics.registry();
    return context.body(await registry.metrics(), 200, { 'content-type': registry.contentType });
  });
  return app;
}
