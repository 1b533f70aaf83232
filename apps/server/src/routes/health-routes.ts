import type { Gateway } from '@ngb/core';
import { errorMessage } from '@ngb/plugin-sdk';
import { Hono } from 'hono';
import type { ReadinessCheck } from '../server-options';

/** Channel states that count as ready: connecting is fine at start, a stopped or failed channel is not. */
const readyStates = new Set(['connected', 'connecting']);

/**
 * `GET /healthz` (the process answers) and `GET /readyz` (each probe answers, no channel is down
 * and the gateway is not degraded: 503 with the failing parts otherwise; `degraded` with its reason
 * while memory is short, so a balancer sends work elsewhere until the gateway recovers by itself).
 */
export function healthRoutes(gateway: Gateway, readiness: Record<string, ReadinessCheck>, timeoutMs = 2000): Hono {
  const app = new Hono();
  app.get('/healthz', (context) => context.json({ status: 'ok' }));
  app.get('/readyz', async (context) => {
    const checks: Record<string, { ok: boolean; error?: string }> = {};
    await Promise.all(
      Object.entries(readiness).map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        });
        try {
          await Promise.race([check(), timeout]);
          checks[name] = { ok: true };
        } catch (error) {
          checks[name] = { ok: false, error: errorMessage(error) };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const channels = gateway.channelStatus();
    const channelsReady = Object.values(channels).every((state) => readyStates.has(state));
    const health = gateway.health();
    if (health.state === 'degraded') {
      return context.json({ status: 'degraded', reason: health.reason, since: health.since, checks, channels }, 503);
    }
    const ready = channelsReady && Object.values(checks).every((check) => check.ok);
    return context.json({ status: ready ? 'ready' : 'not_ready', checks, channels }, ready ? 200 : 503);
  });
  return app;
}
