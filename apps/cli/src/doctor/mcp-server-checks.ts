import { agentMcpServersProblem, type NgbConfig } from '@ngb/host';
import type { CheckResult } from './doctor-checks';

const name = 'MCP servers';

/**
 * Each agent's MCP servers as the config declares them (name, command and arguments, or URL), checked
 * by the runtime's own rule; nothing is started or reached. Agents without servers are not listed.
 */
export async function mcpServerChecks(config: NgbConfig): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [folder, agent] of Object.entries(config.agents)) {
    const servers = agent.mcpServers ?? [];
    if (servers.length === 0) continue;
    const problem = await agentMcpServersProblem(servers, agent.network);
    if (problem !== undefined) {
      results.push({
        name,
        status: 'fail',
        detail: `agent ${folder}: ${problem}`,
        fix: `correct "agents.${folder}.mcpServers" in ngb.config.json (a setting, argument or plain header is never a secret; a remote server's host goes on "network.allow")`,
      });
      continue;
    }
    const listed = servers.map((server) =>
      server.url !== undefined
        ? `${server.name} (remote, ${server.url}, through the egress proxy)`
        : `${server.name} (${[server.command, ...(server.args ?? [])].join(' ')}, started inside its sandbox)`,
    );
    results.push({ name, status: 'ok', detail: `agent ${folder}: ${listed.join(', ')}` });
  }
  return results;
}
