import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentFolderProblem, displayPath, openProject } from '@ngb/host';
import { fail } from '../cli-error';
import { colors } from '../colors';
import { handToSandboxUser } from '../init/sandbox-owner';
import { starterAgentInstructions } from '../init/starter-files';
import { printLine } from '../output';
import { table } from '../render/format';
import { loadProjectConfig, type ProjectFlags } from '../with-project';

type CommonFlags = ProjectFlags;

/** `ngb agent ls`. */
export async function listAgents(flags: CommonFlags & { json: boolean }): Promise<void> {
  const project = await openProject(loadProjectConfig(flags), process.env, { command: 'cli', debug: flags.debug });
  try {
    const rows = await Promise.all(
      project.agents.map(async (agent) => ({
        agent,
        sessions: (await project.store.sessions.list({ agentId: agent.id, status: 'active' })).length,
        instructions: existsSync(join(project.paths.agentsDir, agent.folder, agent.instructionsFile)),
      })),
    );
    if (flags.json) {
      printLine(
        JSON.stringify(rows.map((row) => ({ ...row.agent, activeSessions: row.sessions, hasInstructions: row.instructions }))),
      );
      return;
    }
    if (rows.length === 0) {
      printLine(
        `no agents in ${displayPath(project.paths.agentsDir)}: \`ngb init\` creates main, \`ngb agent add <folder>\` more`,
      );
      return;
    }
    const lines = table(
      ['AGENT', 'MAIN', 'MODEL', 'NETWORK', 'SESSIONS', 'INSTRUCTIONS'],
      rows.map(({ agent, sessions, instructions }) => [
        agent.folder,
        agent.isMain ? 'yes' : '',
        [agent.model.provider, agent.model.model].filter(Boolean).join('/') || 'default',
        agent.sandbox.network === 'none' ? 'none' : agent.sandbox.network.allow.join(' '),
        String(sessions),
        instructions
          ? displayPath(join(project.paths.agentsDir, agent.folder, agent.instructionsFile))
          : colors.yellow('missing'),
      ]),
    );
    printLine(colors.dim(lines[0] ?? ''));
    for (const line of lines.slice(1)) printLine(line);
  } finally {
    await project.close();
  }
}

/** `ngb agent add <folder>`. */
export async function addAgent(flags: CommonFlags & { folder: string; name: string | undefined }): Promise<void> {
  const problem = agentFolderProblem(flags.folder);
  if (problem !== undefined) fail(`ngb agent add: "${flags.folder}" cannot be an agent folder: ${problem}`);
  const loaded = loadProjectConfig(flags);
  const folder = join(loaded.paths.agentsDir, flags.folder);
  const project = await openProject(loaded, process.env, { command: 'cli', debug: flags.debug });
  try {
    const existing = await project.store.agents.getByFolder(flags.folder);
    if (existing && existsSync(folder)) fail(`ngb agent add: agent "${flags.folder}" already exists (${displayPath(folder)})`);
    const folderCreated = !existsSync(folder);
    mkdirSync(folder, { recursive: true });
    const instructions = join(folder, 'AGENTS.md');
    if (!existsSync(instructions)) writeFileSync(instructions, starterAgentInstructions(flags.folder), { flag: 'wx' });
    if (folderCreated) handToSandboxUser([folder, instructions]);
    const agent =
      existing ?? (await project.store.agents.create({ folder: flags.folder, name: flags.name ?? flags.folder, isMain: false }));
    printLine(
      `${colors.green('✓')} agent ${agent.folder} added: edit ${displayPath(instructions)}, then \`ngb run -g ${agent.folder} -p "..."\``,
    );
  } finally {
    await project.close();
  }
}
