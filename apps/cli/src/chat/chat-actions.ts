import { cliChannelName } from '@ngb/host';
import type { EngageMode, SessionMode, UnknownSenderPolicy } from '@ngb/plugin-sdk';
import { errorMessage } from '@ngb/plugin-sdk';
import { findAgent } from '../agent/find-agent';
import { fail } from '../cli-error';
import { colors } from '../colors';
import { numberFlag } from '../number-flags';
import { printLine } from '../output';
import { shortId, table } from '../render/format';
import { type ProjectFlags, withProject } from '../with-project';
import { resolveChat } from './resolve-chat';

type CommonFlags = ProjectFlags;

/** `ngb chat ls`. */
export async function listChats(flags: CommonFlags & { all: boolean; json: boolean }): Promise<void> {
  await withProject(flags, async ({ store }) => {
    const agents = new Map((await store.agents.list()).map((agent) => [agent.id, agent.folder]));
    const chats = (await store.chats.list()).filter((chat) => flags.all || chat.channel !== cliChannelName);
    const rows = await Promise.all(
      chats.map(async (chat) => ({
        chat,
        wired: (await store.wirings.listForChat(chat.id)).map((wiring) => ({ ...wiring, agent: agents.get(wiring.agentId) })),
      })),
    );
    if (flags.json) {
      printLine(JSON.stringify(rows.map((row) => ({ ...row.chat, wirings: row.wired }))));
      return;
    }
    if (rows.length === 0) {
      printLine('no chats yet: they appear when someone writes to the bot on a channel `ngb serve` runs');
      return;
    }
    const lines = table(
      ['CHAT', 'CHANNEL', 'PLATFORM ID', 'NAME', 'KIND', 'STATUS', 'POLICY', 'AGENTS'],
      rows.map(({ chat, wired }) => [
        shortId(chat.id),
        chat.channel,
        chat.platformChatId,
        chat.name,
        chat.isGroup ? 'group' : 'direct',
        chat.status,
        chat.unknownSenderPolicy,
        wired.map((wiring) => `${wiring.agent ?? '?'}(${wiring.engage})`).join(', ') || '-',
      ]),
    );
    printLine(colors.dim(lines[0] ?? ''));
    for (const line of lines.slice(1)) printLine(line);
  });
}

const engageModes: readonly EngageMode[] = ['always', 'mention', 'mention-sticky', 'pattern'];
const sessionModes: readonly SessionMode[] = ['shared', 'per-thread', 'agent-shared'];

/** `ngb chat wire <chat>`. */
export async function wireChat(
  flags: CommonFlags & {
    chat: string;
    agent: string | undefined;
    engage: string | undefined;
    pattern: string | undefined;
    'session-mode': string | undefined;
    priority: string | undefined;
  },
): Promise<void> {
  const engage = (flags.engage ?? (flags.pattern !== undefined ? 'pattern' : 'mention')) as EngageMode;
  if (!engageModes.includes(engage)) fail(`--engage must be one of ${engageModes.join(', ')}, not "${flags.engage}"`);
  if (engage === 'pattern' && flags.pattern === undefined) fail('--engage pattern needs --pattern <regex>');
  if (flags.pattern !== undefined) {
    try {
      new RegExp(flags.pattern, 'i');
    } catch (error) {
      fail(`--pattern is not a valid regular expression: ${errorMessage(error)}`);
    }
  }
  const sessionMode = (flags['session-mode'] ?? 'shared') as SessionMode;
  if (!sessionModes.includes(sessionMode))
    fail(`--session-mode must be one of ${sessionModes.join(', ')}, not "${flags['session-mode']}"`);
  const priority = numberFlag('priority', flags.priority, { integer: true }) ?? 0;
  await withProject(flags, async (project) => {
    const { store } = project;
    const chat = await resolveChat(store, flags.chat);
    const agent = findAgent(project, flags.agent ?? 'main');
    const existing = (await store.wirings.listForChat(chat.id)).find((wiring) => wiring.agentId === agent.id);
    if (existing) await store.wirings.remove(existing.id);
    await store.wirings.add({ chatId: chat.id, agentId: agent.id, engage, pattern: flags.pattern, sessionMode, priority });
    const activated = chat.status !== 'active';
    if (activated) await store.chats.update(chat.id, { status: 'active' });
    printLine(
      `${colors.green('✓')} ${chat.channel}:${chat.name} ${existing ? 'rewired' : 'wired'} to ${agent.folder} (engage ${engage}${flags.pattern ? ` /${flags.pattern}/` : ''}, ${sessionMode} sessions)` +
        (activated ? `; the chat was ${chat.status} and is now active` : ''),
    );
  });
}

const policies: readonly UnknownSenderPolicy[] = ['strict', 'request_approval', 'public'];

/** `ngb chat policy <chat> <policy>`. */
export async function setChatPolicy(flags: CommonFlags & { chat: string; policy: string }): Promise<void> {
  const policy = flags.policy as UnknownSenderPolicy;
  if (!policies.includes(policy)) fail(`the policy must be one of ${policies.join(', ')}, not "${flags.policy}"`);
  await withProject(flags, async ({ store }) => {
    const chat = await resolveChat(store, flags.chat);
    await store.chats.update(chat.id, { unknownSenderPolicy: policy });
    const meaning = {
      strict: 'only members and admins of its agents are answered; others are dropped (logged)',
      request_approval: 'an unknown sender is answered once the owner approves them',
      public: 'everyone is answered',
    }[policy];
    printLine(`${colors.green('✓')} ${chat.channel}:${chat.name} is now ${policy}: ${meaning}`);
  });
}
