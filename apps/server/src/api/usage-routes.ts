import type { Clock, Store, Turn } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { type AnyApiRoute, defineRoute } from './api-route';
import { timeQuery } from './route-inputs';

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;

const agentUsage = v.object({
  agentId: v.string(),
  agentName: v.string(),
  turns: v.number(),
  inputTokens: v.number(),
  outputTokens: v.number(),
  cacheTokens: v.number(),
  costUsd: v.pipe(v.number(), v.description('US dollars of the turns with a known price.')),
  unpricedTurns: v.pipe(v.number(), v.description('Turns whose cost is not known (a model with no price).')),
});

const minuteCount = v.object({
  minute: v.pipe(v.number(), v.description('Start of the minute, epoch ms.')),
  succeeded: v.number(),
  failed: v.number(),
});

type AgentUsage = v.InferOutput<typeof agentUsage>;

/** `GET /usage`: tokens and cost per agent, turns per minute over the last hour. */
export function usageRoutes(parts: { store: Store; clock: Clock }): AnyApiRoute[] {
  const { store, clock } = parts;
  return [
    defineRoute({
      method: 'get',
      path: '/usage',
      tag: 'usage',
      summary: 'Tokens and cost per agent since `since` (default: all time), and turns per minute over the last hour',
      query: v.object({ since: v.optional(timeQuery) }),
      response: v.object({ since: v.number(), agents: v.array(agentUsage), turnsPerMinute: v.array(minuteCount) }),
      handle: async ({ query }) => {
        const now = clock.now();
        const since = query.since ?? 0;
        const hourStart = Math.floor((now - hourMs) / minuteMs) * minuteMs + minuteMs;
        const minutes = Array.from({ length: 60 }, (_, index) => ({
          minute: hourStart + index * minuteMs,
          succeeded: 0,
          failed: 0,
        }));
        const agents = new Map<string, AgentUsage>();
        for (const agent of await store.agents.list()) {
          agents.set(agent.id, {
            agentId: agent.id,
            agentName: agent.name,
            turns: 0,
            inputTokens: 0,
            outputTokens: 0,
            cacheTokens: 0,
            costUsd: 0,
            unpricedTurns: 0,
          });
        }
        for (const session of await store.sessions.list()) {
          const usage = agents.get(session.agentId);
          for (const turn of await store.turns.listForSession(session.id)) {
            if (usage && turn.createdAt >= since) add(usage, turn);
            countMinute(minutes, turn, hourStart);
          }
        }
        return { since, agents: [...agents.values()], turnsPerMinute: minutes };
      },
    }),
  ];
}

function add(usage: AgentUsage, turn: Turn): void {
  usage.turns += 1;
  usage.inputTokens += turn.inputTokens;
  usage.outputTokens += turn.outputTokens;
  usage.cacheTokens += turn.cacheTokens;
  if (turn.costUsd === null) usage.unpricedTurns += 1;
  else usage.costUsd += turn.costUsd;
}

function countMinute(minutes: Array<{ minute: number; succeeded: number; failed: number }>, turn: Turn, hourStart: number): void {
  if (turn.endedAt === undefined || (turn.status !== 'succeeded' && turn.status !== 'failed')) return;
  const slot = minutes[Math.floor((turn.endedAt - hourStart) / minuteMs)];
  if (slot) slot[turn.status] += 1;
}
