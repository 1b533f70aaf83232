import { agentMcpServersProblem, type NgbConfig } from '@ngb/host';
import type { CheckResult } from './doctor-checks';

const name = 'MCP servers';

/**
 * Each agent's MCP servers as the config declares them (name, command, arguments), checked by the
 * runtime's own rule; nothing is started. Agents without servers are not listed.
 */
export async function mcpServerChecks(config: NgbConfig): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [folder, agent] of Object.entries(config.agents)) {
    const servers = agent.mcpServers ?? [];
    if (servers.length === 0) continue;
    const problem = await agentMcpServersProblem(servers);
    if (problem !== undefined) {
      results.push({
        name,
        status: 'fail',
        detail: `agent ${folder}: ${problem}`,
        fix: `correct "agents.${folder}.mcpServers" in ngb.config.json (a setting or argument of a sandbox is never a secret)`,
      });
      continue;
    }
    const listed = servers.map((server) => `${server.name} (${[server.command, ...(server.args ?? [])].join(' ')})`);
    results.push({ name, status: 'ok', detail: `agent ${folder}: ${listed.join(', ')}; started inside its sandbox` });
  }
  return results;
}
