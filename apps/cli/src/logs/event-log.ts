import type { EventBus, TimedGatewayEvent } from '@ngb/core';
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
      return 'warn';
    case 'tool.end':
      return event.isError ? 'warn' : 'info';
    case 'channel.status':
      return event.status.state === 'disconnected' && event.status.error !== undefined ? 'warn' : 'info';
    default:
      return 'info';
  }
}

/**
 * Writes every gateway event to the log as `{ time, level, event, ...fields }`.
 * @returns a function that stops recording
 */
export function recordGatewayEvents(bus: EventBus, sink: LogSink, base: LogFields): () => void {
  return bus.on((event) => {
    const { type, at, ...fields } = event;
    sink.write({ time: new Date(at).toISOString(), level: eventLevel(event), event: type, ...base, ...redactFields(fields) });
  });
}
