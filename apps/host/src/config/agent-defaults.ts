import type { AgentModelSettings, AgentSandboxSettings } from '@ngb/plugin-sdk';
import type { AgentConfig } from './config-schema';

/**
 * What an agent's settings are when `agents.<folder>` in the config does not set them: the one
 * place these defaults live. Removing a key from the config returns the agent to its default here.
 * Limits left undefined take the sandbox runtime's own defaults.
 */
const agentDefaults = {
  assistantName: null,
  model: {},
  timezone: 'UTC',
  network: 'none',
  memoryMb: undefined,
  cpus: undefined,
  pids: undefined,
  diskMb: 1024,
} as const satisfies {
  assistantName: null;
  model: AgentModelSettings;
  timezone: string;
  network: AgentSandboxSettings['network'];
  memoryMb: undefined;
  cpus: undefined;
  pids: undefined;
  diskMb: number;
};

/** The settings of an agent the config owns, after defaults. */
export interface ConfiguredAgentSettings {
  /** Only when the config names one: the display name may also come from `ngb agent add --name`. */
  name?: string;
  assistantName: string | null;
  model: AgentModelSettings;
  timezone: string;
  sandbox: AgentSandboxSettings;
}

/** An agent's settings from `agents.<folder>` of the config, every missing key at its default. */
export function configuredAgentSettings(settings: AgentConfig | undefined): ConfiguredAgentSettings {
  return {
    ...(settings?.name !== undefined ? { name: settings.name } : {}),
    assistantName: settings?.assistantName ?? agentDefaults.assistantName,
    model: settings?.model ?? agentDefaults.model,
    timezone: settings?.timezone ?? agentDefaults.timezone,
    sandbox: {
      network: settings?.network ?? agentDefaults.network,
      memoryMb: settings?.memoryMb ?? agentDefaults.memoryMb,
      cpus: settings?.cpus ?? agentDefaults.cpus,
      pids: settings?.pids ?? agentDefaults.pids,
      mounts: settings?.mounts ?? [],
      diskMb: settings?.diskLimitMb ?? agentDefaults.diskMb,
      // Left out when there are none, so that agents stored before MCP servers existed stay as they are.
      ...(settings?.mcpServers?.length ? { mcpServers: settings.mcpServers } : {}),
    },
  };
}
