import type { GatewayEvent } from '../events';
import { duration, shortId } from '../format';

function clip(text: unknown, length = 80): string {
  const value = typeof text === 'string' ? text : (JSON.stringify(text) ?? '');
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
}

/** One line saying what an event means. */
export function describeEvent(event: GatewayEvent): string {
  switch (event.type) {
    case 'message.received':
      return `${event.channel} · ${clip(event.text)}`;
    case 'message.routed':
      return `to session ${shortId(event.sessionId as string)}`;
    case 'message.dropped':
      return `dropped: ${event.reason}`;
    case 'turn.start':
      return `session ${shortId(event.sessionId as string)}, attempt ${event.attempt}`;
    case 'turn.end':
      return `${event.status} in ${duration(event.durationMs as number)}${event.error ? ` · ${clip(event.error)}` : ''}`;
    case 'text.delta':
      return clip(event.text);
    case 'tool.start':
      return `${event.name} ${clip(event.input, 60)}`;
    case 'tool.end':
      return `${event.name} ${event.isError ? 'failed' : 'done'} in ${duration(event.durationMs as number)}`;
    case 'delivery.sent':
      return `${event.channel} · ${event.chunks} part(s)`;
    case 'delivery.failed':
      return `${event.channel} · ${clip(event.error)}${event.permanent ? ' (given up)' : ''}`;
    case 'delivery.retried':
      return `${event.channel} · queued again`;
    case 'approval.requested':
      return `${event.kind} needs approval · code ${event.code}`;
    case 'approval.resolved':
      return String(event.status);
    case 'channel.status':
      return `${event.channel} · ${(event.status as { state?: string } | undefined)?.state ?? ''}`;
    case 'skill.invalid':
      return `skill skipped: ${clip(event.reason, 120)}`;
    case 'plugin.status':
      return `${event.plugin} ${event.state}${event.version ? ` ${event.version}` : ''}${event.error ? ` · ${clip(event.error, 160)}` : ''}`;
    case 'plugin.error':
      return `${event.plugin} ${event.hook} · ${clip(event.error)}`;
    case 'egress.request':
      return `${event.allowed ? 'allowed' : 'refused'} ${event.method} ${event.host}:${event.port}${event.reason ? ` · ${clip(event.reason)}` : ''}`;
    case 'sandbox.acquired':
      return `session ${shortId(event.sessionId as string)} in ${duration(event.durationMs as number)}`;
    case 'sandbox.mcp':
      return `MCP server ${event.server} ${event.state === 'ready' ? `ready, ${event.tools} tool(s)` : `${event.state}: ${clip(event.problem)}`}`;
    default:
      return '';
  }
}
