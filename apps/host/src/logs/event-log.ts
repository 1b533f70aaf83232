import type { EventBus, GatewayEventType, TimedGatewayEvent } from '@ngb/core';
import { type LogFields, type LogLevel, redactFields } from '@ngb/plugin-sdk';
import type { LogSink } from './log-sink';

/** The level an event is logged at: failures stand out, the flood of text deltas hides at `debug`. */
function eventLevel(event: TimedGatewayEvent): LogLevel {
  switch (event.type) {
    case 'text.delta':
      return 'debug';
    case 'turn.end':
      return event.status === 'failed' ? 'error' : event.status === 'retrying' ? 'warn' : 'info';
    case 'delivery.failed':
      return event.permanent ? 'error' : 'warn';
    case 'plugin.error':
    case 'skill.invalid':
    case 'model.fallback':
      return 'warn';
    case 'plugin.status':
      return event.state === 'failed' ? 'error' : event.state === 'needs-approval' ? 'warn' : 'info';
    case 'tool.end':
      return event.isError ? 'warn' : 'info';
    case 'sandbox.mcp':
      return event.state === 'ready' ? 'info' : 'warn';
    case 'heartbeat':
      return event.state === 'refused' ? 'warn' : 'info';
    case 'egress.request':
      return event.allowed ? 'info' : 'warn';
    case 'channel.status':
      if (event.status.state === 'failed') return 'error';
      if (event.status.state === 'degraded') return 'warn';
      return event.status.state === 'disconnected' && event.status.error !== undefined ? 'warn' : 'info';
    default:
      return 'info';
  }
}

// What people wrote and what the agent and its tools answered: kept out of the log below `debug`, so an
// info-level log holds what happened and never what was said.
const contentFields: Partial<Record<GatewayEventType, readonly string[]>> = {
  'message.received': ['text'],
  'turn.end': ['text'],
  'tool.start': ['input'],
  'tool.end': ['output'],
};

/**
 * Writes every gateway event to the log as `{ time, level, event, ...fields }`. The content of an event
 * (message text, tool input and output) goes to a second record at `debug` with the event's ids.
 * @returns a function that stops recording
 */
export function recordGatewayEvents(bus: EventBus, sink: LogSink, base: LogFields): () => void {
  return bus.on((event) => {
    const { type, at, ...fields } = event;
    const time = new Date(at).toISOString();
    const level = eventLevel(event);
    const content = contentFields[type];
    const summary: LogFields = {};
    const detail: LogFields = {};
    // A login code links whoever scans it first to the bot's account: it is shown, never kept.
    if (event.type === 'channel.status' && event.status.state === 'connecting' && event.status.login !== undefined) {
      const { code: _code, ...login } = event.status.login;
      (fields as { status: unknown }).status = { ...event.status, login };
    }
    for (const [key, value] of Object.entries(fields)) {
      if (content?.includes(key)) detail[key] = value;
      else summary[key] = value;
      if (key.endsWith('Id')) detail[key] = value;
    }
    if (sink.accepts(level)) sink.write({ time, level, event: type, ...base, ...redactFields(summary) });
    if (content !== undefined && sink.accepts('debug')) {
      sink.write({ time, level: 'debug', event: type, ...base, ...redactFields(detail) });
    }
  });
}
