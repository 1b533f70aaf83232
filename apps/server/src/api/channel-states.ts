import type { Gateway } from '@ngb/core';
import {
  type ChannelAdapter,
  type ChannelStatus,
  canDelete,
  canEdit,
  canHandleWebhooks,
  canReact,
  canSendFiles,
  canType,
  hasThreads,
} from '@ngb/plugin-sdk';

/** A channel as the API shows it. */
export interface ChannelState {
  name: string;
  /** `connecting`, `connected`, `degraded`, `disconnected` or `failed` (or `unknown` before its first report). */
  state: string;
  /** What the channel said with its state: a detail when connected or degraded, the error when disconnected or failed. */
  detail?: string;
  /** Optional capabilities the adapter has. */
  capabilities: string[];
}

const capabilityChecks: ReadonlyArray<readonly [string, (adapter: ChannelAdapter) => boolean]> = [
  ['typing', canType],
  ['edit', canEdit],
  ['delete', canDelete],
  ['react', canReact],
  ['files', canSendFiles],
  ['threads', hasThreads],
  ['webhook', canHandleWebhooks],
];

function detailOf(status: ChannelStatus): string | undefined {
  switch (status.state) {
    case 'connected':
    case 'degraded':
      return status.detail;
    case 'disconnected':
    case 'failed':
      return status.error;
    default:
      return undefined;
  }
}

/**
 * The channels' states with the detail of their latest report: the gateway keeps only the state,
 * so the reports are followed on the bus (the buffered ones first).
 */
export function createChannelStates(gateway: Gateway, adapters: readonly ChannelAdapter[]) {
  const details = new Map<string, string | undefined>();
  const stop = gateway.events.on(
    (event) => {
      if (event.type === 'channel.status') details.set(event.channel, detailOf(event.status));
    },
    { after: 0 },
  );
  return {
    list(): ChannelState[] {
      const states = gateway.channelStatus();
      const names = new Set([...adapters.map((adapter) => adapter.name), ...Object.keys(states)]);
      return [...names].map((name) => {
        const adapter = adapters.find((candidate) => candidate.name === name);
        const detail = details.get(name);
        return {
          name,
          state: states[name] ?? 'unknown',
          ...(detail !== undefined ? { detail } : {}),
          capabilities: adapter ? capabilityChecks.filter(([, has]) => has(adapter)).map(([capability]) => capability) : [],
        };
      });
    },
    close: stop,
  };
}
