import { ConfigError, errorMessage } from '@ngb/plugin-sdk';
import type { AgentConfig } from '../config/config-schema';
import { displayPath, type LoadedConfig } from '../config/load-config';

/**
 * Why an agent's MCP servers cannot start, by the runtime's own rule (no secret-looking setting or
 * argument, unique names, ...), or undefined when they can.
 */
export async function agentMcpServersProblem(servers: AgentConfig['mcpServers']): Promise<string | undefined> {
  if (!servers?.length) return undefined;
  const { checkMcpServers } = await import('@ngb/runtime');
  try {
    checkMcpServers(servers);
    return undefined;
  } catch (error) {
    return errorMessage(error).replace(/^\[@ngb\/runtime\] /, '');
  }
}

/**
 * Refuses a config whose agents' MCP servers the sandbox would refuse, before anything starts.
 * @throws ConfigError naming `agents.<folder>.mcpServers`
 */
export async function checkAgentMcpServers(loaded: LoadedConfig): Promise<void> {
  for (const [folder, agent] of Object.entries(loaded.config.agents)) {
    const problem = await agentMcpServersProblem(agent.mcpServers);
    if (problem === undefined) continue;
    const key = `agents.${folder}.mcpServers`;
    throw new ConfigError(`${displayPath(loaded.paths.configFile)}: key "${key}": ${problem}`, { key });
  }
}
