import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import * as v from 'valibot';
import { isLoopbackHost } from '../http/loopback';
import type { ApiParts } from './api-parts';
import { type AnyApiRoute, defineRoute } from './api-route';
import type { ChannelState } from './channel-states';

const channelState = v.object({
  name: v.string(),
  state: v.string(),
  detail: v.optional(v.string()),
  login: v.pipe(
    v.optional(v.object({ kind: v.literal('qr'), code: v.string(), instructions: v.string() })),
    v.description('While connecting: the QR code the platform waits for someone to scan with its phone app.'),
  ),
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

/** The address the request came from, when it came over a socket (undefined for an in-process request). */
function remoteAddress(context: Context): string | undefined {
  return (context.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress;
}

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
        queue: v.object({ running: v.array(v.string()), waiting: v.array(v.string()), parked: v.array(v.string()) }),
        lastEventSeq: v.number(),
        health: v.pipe(
          v.variant('state', [
            v.object({ state: v.literal('ok') }),
            v.object({ state: v.literal('degraded'), reason: v.string(), since: v.number() }),
          ]),
          v.description('`degraded` while memory is above its limit: no new turn starts (messages wait) until it recovers.'),
        ),
        claimed: v.pipe(v.boolean(), v.description('Whether the gateway has an owner.')),
        claimCode: v.pipe(
          v.optional(v.object({ code: v.string(), expiresAt: v.number() })),
          v.description(
            'The one-time code to send as `/claim CODE`: only to a visitor on this machine, only while nobody owns the gateway.',
          ),
        ),
      }),
      handle: async ({ context }) => {
        const claim = await parts.gateway.onboarding.claimCode();
        return {
          ...(parts.version !== undefined ? { version: parts.version } : {}),
          isolated: parts.isolated,
          channels: parts.gateway.channelStatus(),
          queue: parts.gateway.queueState(),
          lastEventSeq: parts.gateway.events.lastSeq(),
          health: parts.gateway.health(),
          claimed: claim === undefined,
          ...(claim !== undefined && isLoopbackHost(remoteAddress(context) ?? '') ? { claimCode: claim } : {}),
        };
      },
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
