import { ConfigError, type EgressPolicy, errorMessage } from '@ngb/plugin-sdk';
import type { AgentConfig, NgbConfig } from '../config/config-schema';
import { displayPath, type Env, type LoadedConfig } from '../config/load-config';

/**
 * Why an agent's MCP servers cannot start, by the runtime's own rule (no secret-looking setting,
 * argument or plain header, unique names, a remote server's host allowed by `network`, ...), or
 * undefined when they can.
 */
export async function agentMcpServersProblem(
  servers: AgentConfig['mcpServers'],
  network: 'none' | EgressPolicy = 'none',
): Promise<string | undefined> {
  if (!servers?.length) return undefined;
  const { checkMcpServers } = await import('@ngb/runtime');
  try {
    checkMcpServers(servers, network);
    return undefined;
  } catch (error) {
    return errorMessage(error).replace(/^\[@ngb\/runtime\] /, '');
  }
}

/**
 * The values of the variables that the agents' remote MCP servers' headers name (`${NAME}`), read
 * from the gateway's environment: only these reach the runtime, whose egress proxy alone uses them.
 * @throws ConfigError naming the header's key and the variable, when the environment lacks it
 */
export async function mcpHeaderVariableValues(config: NgbConfig, env: Env, configFile: string): Promise<Record<string, string>> {
  const { mcpHeaderVariables } = await import('@ngb/runtime');
  const values: Record<string, string> = {};
  for (const [folder, agent] of Object.entries(config.agents)) {
    for (const [index, server] of (agent.mcpServers ?? []).entries()) {
      for (const [header, value] of Object.entries(server.headers ?? {})) {
        for (const variable of mcpHeaderVariables({ [header]: value })) {
          const found = env[variable];
          if (found === undefined || found === '') {
            const key = `agents.${folder}.mcpServers.${index}.headers.${header}`;
            throw new ConfigError(
              `${displayPath(configFile)}: key "${key}" names \${${variable}}, which is not set: ` +
                `set ${variable} in the gateway's environment (it is added by the host's egress proxy and never enters the sandbox)`,
              { key },
            );
          }
          values[variable] = found;
        }
      }
    }
  }
  return values;
}

/**
 * Refuses a config whose agents' MCP servers the sandbox would refuse, or whose headers name a
 * variable the environment lacks, before anything starts.
 * @throws ConfigError naming `agents.<folder>.mcpServers` (or the header's key)
 */
export async function checkAgentMcpServers(loaded: LoadedConfig, env: Env): Promise<void> {
  for (const [folder, agent] of Object.entries(loaded.config.agents)) {
    const problem = await agentMcpServersProblem(agent.mcpServers, agent.network);
    if (problem === undefined) continue;
    const key = `agents.${folder}.mcpServers`;
    throw new ConfigError(`${displayPath(loaded.paths.configFile)}: key "${key}": ${problem}`, { key });
  }
  await mcpHeaderVariableValues(loaded.config, env, loaded.paths.configFile);
}
