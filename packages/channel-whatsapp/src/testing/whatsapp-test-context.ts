// Test support: a ChannelContext that records what the channel hands it.
import type { ChannelContext, ChannelStatus, InboundMessage } from '@ngb/plugin-sdk';
import { createRecordingLogger } from '@ngb/plugin-sdk/testing';

/** A context recording inbound messages and statuses; `failNext` makes the next `receive` throw. */
export function createWhatsAppTestContext() {
  const received: InboundMessage[] = [];
  const statuses: ChannelStatus[] = [];
  const logger = createRecordingLogger();
  let failures = 0;
  const context: ChannelContext = {
    logger,
    setStatus: (status) => void statuses.push(status),
    async receive(message) {
      if (failures > 0) {
        failures -= 1;
        throw new Error('the store is unavailable');
      }
      received.push(message);
      return { stored: true, messageId: `m${received.length}`, routed: [] } as never;
    },
  };
  return {
    context,
    received,
    statuses,
    logger,
    failNext: (count = 1) => {
      failures += count;
    },
  };
}
