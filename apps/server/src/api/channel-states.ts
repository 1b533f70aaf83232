import type { Gateway } from '@ngb/core';
import {
  type ChannelAdapter,
  type ChannelLogin,
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
  /** While `connecting`: the login the platform waits for (a QR code to scan with the phone app). */
  login?: ChannelLogin;
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
  const logins = new Map<string, ChannelLogin>();
  const stop = gateway.events.on(
    (event) => {
      if (event.type !== 'channel.status') return;
      details.set(event.channel, detailOf(event.status));
      if (event.status.state === 'connecting' && event.status.login !== undefined) logins.set(event.channel, event.status.login);
      else logins.delete(event.channel);
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
        const state = states[name] ?? 'unknown';
        const login = state === 'connecting' ? logins.get(name) : undefined;
        return {
          name,
          state,
          ...(detail !== undefined ? { detail } : {}),
          ...(login !== undefined ? { login } : {}),
          capabilities: adapter ? capabilityChecks.filter(([, has]) => has(adapter)).map(([capability]) => capability) : [],
        };
      });
    },
    close: stop,
  };
}
