import * as v from 'valibot';
import type { ApiParts } from './api-parts';
import { type AnyApiRoute, defineRoute } from './api-route';
import type { ChannelState } from './channel-states';

const channelState = v.object({
  name: v.string(),
  state: v.string(),
  detail: v.optional(v.string()),
  capabilities: v.array(v.string()),
});

const sandboxRecord = v.object({
  id: v.string(),
  sessionId: v.string(),
  agentName: v.string(),
  state: v.picklist(['starting', 'idle', 'busy']),
  claims: v.number(),
  callsInFlight: v.number(),
  createdAt: v.number(),
  lastActiveAt: v.number(),
});

/** `GET /status`, `/channels`, `/sandboxes`: what the gateway is doing now. */
export function statusRoutes(parts: ApiParts, channels: { list(): ChannelState[] }): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/status',
      tag: 'status',
      summary: 'The gateway now: isolation, channels, queue and the latest event',
      description: '`isolated` is false when tools run on the host (the local runtime): the dashboard must say so plainly.',
      response: v.object({
        version: v.optional(v.string()),
        isolated: v.boolean(),
        channels: v.record(v.string(), v.string()),
        queue: v.object({ running: v.array(v.string()), waiting: v.array(v.string()) }),
        lastEventSeq: v.number(),
      }),
      handle: () => ({
        ...(parts.version !== undefined ? { version: parts.version } : {}),
        isolated: parts.isolated,
        channels: parts.gateway.channelStatus(),
        queue: parts.gateway.queueState(),
        lastEventSeq: parts.gateway.events.lastSeq(),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/channels',
      tag: 'status',
      summary: 'The channels: state, the error or detail of their latest report, capabilities',
      response: v.object({ items: v.array(channelState) }),
      handle: () => ({ items: channels.list() }),
    }),
    defineRoute({
      method: 'get',
      path: '/sandboxes',
      tag: 'status',
      summary: "The runtime's sandboxes, running or starting",
      response: v.object({ items: v.array(sandboxRecord) }),
      handle: async () => ({ items: parts.sandboxes ? await parts.sandboxes() : [] }),
    }),
  ];
}
