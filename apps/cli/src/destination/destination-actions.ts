import type { DestinationTarget } from '@ngb/plugin-sdk';
import { findAgent } from '../agent/find-agent';
import { resolveChat } from '../chat/resolve-chat';
import { fail } from '../cli-error';
import { colors } from '../colors';
import { printLine } from '../output';
import { table } from '../render/format';
import { type ProjectFlags, withProject } from '../with-project';

// A name the agent types in a tool call: short, no spaces or separators that read as an address.
const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** `ngb destination add <name> --chat <chat> | --to-agent <folder> [--agent folder]`. */
export async function addDestination(
  flags: ProjectFlags & { name: string; chat: string | undefined; 'to-agent': string | undefined; agent: string | undefined },
): Promise<void> {
  if (!namePattern.test(flags.name))
    fail(`destination name "${flags.name}" must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit`);
  if ((flags.chat === undefined) === (flags['to-agent'] === undefined))
    fail('pass exactly one target: --chat <chat> or --to-agent <folder>');
  await withProject(flags, async (project) => {
    const agent = findAgent(project, flags.agent ?? 'main');
    let target: DestinationTarget;
    let shown: string;
    if (flags.chat !== undefined) {
      const chat = await resolveChat(project.store, flags.chat);
      target = { type: 'chat', chatId: chat.id };
      shown = `chat ${chat.channel}:${chat.name}`;
    } else {
      const other = findAgent(project, flags['to-agent'] ?? '');
      if (other.id === agent.id) fail(`a destination of ${agent.folder} cannot be ${agent.folder} itself`);
      target = { type: 'agent', agentId: other.id };
      shown = `agent ${other.folder}`;
    }
    const replaced = await project.store.destinations.get(agent.id, flags.name);
    await project.store.destinations.set({ agentId: agent.id, name: flags.name, target });
    printLine(`${colors.green('✓')} ${agent.folder}: "${flags.name}" ${replaced ? 'now points' : 'points'} to ${shown}`);
  });
}

/** `ngb destination ls [--agent folder]`. */
export async function listDestinations(flags: ProjectFlags & { agent: string | undefined; json: boolean }): Promise<void> {
  await withProject(flags, async (project) => {
    const { store } = project;
    const agents = flags.agent === undefined ? project.agents : [findAgent(project, flags.agent)];
    const rows: Array<{ agent: string; name: string; target: DestinationTarget; to: string }> = [];
    for (const agent of agents) {
      for (const destination of await store.destinations.list(agent.id)) {
        const { target } = destination;
        let to: string;
        if (target.type === 'chat') {
          const chat = await store.chats.get(target.chatId);
          to = chat ? `chat ${chat.channel}:${chat.platformChatId} (${chat.name})` : `chat ${target.chatId}`;
        } else {
          to = `agent ${project.agents.find((other) => other.id === target.agentId)?.folder ?? target.agentId}`;
        }
        rows.push({ agent: agent.folder, name: destination.name, target, to });
      }
    }
    if (flags.json) {
      printLine(JSON.stringify(rows));
      return;
    }
    if (rows.length === 0) {
      printLine('no destinations yet: add one with `ngb destination add <name> --chat <chat>`');
      return;
    }
    const lines = table(
      ['AGENT', 'NAME', 'TARGET'],
      rows.map((row) => [row.agent, row.name, row.to]),
    );
    printLine(colors.dim(lines[0] ?? ''));
    for (const line of lines.slice(1)) printLine(line);
  });
}

/** `ngb destination rm <name> [--agent folder]`. */
export async function removeDestination(flags: ProjectFlags & { name: string; agent: string | undefined }): Promise<void> {
  await withProject(flags, async (project) => {
    const agent = findAgent(project, flags.agent ?? 'main');
    if (!(await project.store.destinations.get(agent.id, flags.name)))
      fail(`unknown destination "${flags.name}" of ${agent.folder} (\`ngb destination ls\` lists them)`);
    await project.store.destinations.remove(agent.id, flags.name);
    printLine(`${colors.green('✓')} ${agent.folder}: "${flags.name}" removed`);
  });
}
