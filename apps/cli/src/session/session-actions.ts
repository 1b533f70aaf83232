import { containersWithLabel, probeDockerEngine, removeContainer } from '@ngb/host';
import type { Session, Store } from '@ngb/plugin-sdk';
import { findAgent } from '../agent/find-agent';
import { colors } from '../colors';
import { resolveSession } from '../conversation/resolve-session';
import { numberFlag } from '../number-flags';
import { printLine } from '../output';
import { formatAge, formatCost, formatDuration, formatUsage, shortId, sumUsage, table } from '../render/format';
import { describeTranscript } from '../render/transcript';
import { withProject } from '../with-project';

async function chatLabel(store: Store, session: Session): Promise<string> {
  if (!session.chatId) return '(agent-shared)';
  const chat = await store.chats.get(session.chatId);
  if (!chat) return '?';
  return chat.channel === 'cli' ? `cli:${chat.platformChatId.split('-')[0]}` : `${chat.channel}:${chat.name}`;
}

/** `ngb session ls`. */
export async function listSessions(flags: {
  config: string | undefined;
  debug: boolean;
  agent: string | undefined;
  active: boolean;
  lines: string | undefined;
  json: boolean;
}): Promise<void> {
  const limit = numberFlag('lines', flags.lines, { integer: true, min: 1 }) ?? 30;
  await withProject(flags, async (project) => {
    const { store } = project;
    const agentId = flags.agent === undefined ? undefined : findAgent(project, flags.agent).id;
    const agents = new Map((await store.agents.list()).map((agent) => [agent.id, agent.folder]));
    const sessions = (await store.sessions.list({ agentId, status: flags.active ? 'active' : undefined }))
      .sort((left, right) => left.lastActivityAt - right.lastActivityAt)
      .slice(-limit);
    const rows = await Promise.all(
      sessions.map(async (session) => ({
        session,
        agent: agents.get(session.agentId) ?? '?',
        chat: await chatLabel(store, session),
        turns: (await store.turns.listForSession(session.id, { limit: 10_000 })).length,
      })),
    );
    if (flags.json) {
      printLine(JSON.stringify(rows.map((row) => ({ ...row.session, agent: row.agent, chat: row.chat, turns: row.turns }))));
      return;
    }
    if (rows.length === 0) {
      printLine('no sessions yet: `ngb run -p "..."` or `ngb shell` starts one');
      return;
    }
    const lines = table(
      ['SESSION', 'AGENT', 'CHAT', 'STATUS', 'TURNS', 'LAST ACTIVE'],
      rows.map((row) => [
        shortId(row.session.id),
        row.agent,
        row.chat,
        row.session.status,
        String(row.turns),
        formatAge(row.session.lastActivityAt),
      ]),
    );
    printLine(colors.dim(lines[0] ?? ''));
    for (const line of lines.slice(1)) printLine(line);
  });
}

/** `ngb session show <id>`. */
export async function showSession(flags: {
  config: string | undefined;
  debug: boolean;
  id: string;
  json: boolean;
}): Promise<void> {
  await withProject(flags, async ({ store }) => {
    const session = await resolveSession(store, flags.id);
    const agent = await store.agents.get(session.agentId);
    const chat = session.chatId ? await store.chats.get(session.chatId) : undefined;
    const turns = await store.turns.listForSession(session.id, { limit: 10_000 });
    const transcript = await store.transcript.list(session.id);
    if (flags.json) {
      printLine(JSON.stringify({ session, agent, chat, turns, transcript }));
      return;
    }
    printLine(`session  ${colors.bold(session.id)} (${session.status})`);
    printLine(`agent    ${agent?.folder ?? session.agentId}`);
    printLine(`chat     ${chat ? `${chat.channel}:${chat.platformChatId} "${chat.name}"` : '(agent-shared)'}`);
    printLine(`created  ${new Date(session.createdAt).toISOString()} · last active ${formatAge(session.lastActivityAt)}`);
    printLine();
    printLine(colors.bold(`turns (${turns.length})`));
    for (const turn of turns) {
      const took =
        turn.startedAt !== undefined && turn.endedAt !== undefined ? formatDuration(turn.endedAt - turn.startedAt) : '-';
      const mark =
        turn.status === 'succeeded' ? colors.green('✓') : turn.status === 'failed' ? colors.red('✗') : colors.yellow('…');
      const error = turn.error ? colors.red(` ${turn.error}`) : '';
      const model = turn.model === undefined ? '' : ` · ${turn.model}`;
      printLine(`  ${mark} ${shortId(turn.id)} ${turn.status} ${took} · ${formatUsage(turn)}${model}${error}`);
    }
    if (turns.length > 0) {
      const total = sumUsage(turns);
      const unpriced = turns.filter((turn) => turn.costUsd === null).length;
      const note =
        unpriced === 0
          ? ''
          : colors.dim(
              ` (no price for the model of ${unpriced} turn${unpriced > 1 ? 's' : ''}: add it under \`pricing\` in ngb.config.json)`,
            );
      printLine(`  total ${total.inputTokens} in / ${total.outputTokens} out tokens · ${formatCost(total.costUsd)}${note}`);
    }
    printLine();
    printLine(colors.bold(`transcript (${transcript.length} entries)`));
    for (const line of describeTranscript(transcript, agent?.folder ?? 'agent', 400)) printLine(`  ${line}`);
  });
}

/** `ngb session kill <id>`. */
export async function killSession(flags: { config: string | undefined; debug: boolean; id: string }): Promise<void> {
  await withProject(flags, async ({ store }) => {
    const session = await resolveSession(store, flags.id);
    const closedNow = session.status !== 'closed';
    if (closedNow) await store.sessions.update(session.id, { status: 'closed' });
    let removed = 0;
    const engine = await probeDockerEngine(process.env);
    if (engine.ok) {
      const { sandboxLabels } = await import('@ngb/runtime');
      for (const id of await containersWithLabel(process.env, sandboxLabels.session, session.id)) {
        await removeContainer(process.env, id);
        removed += 1;
      }
    }
    const sandbox =
      removed > 0 ? `; removed its sandbox container${removed > 1 ? 's' : ''}` : '; no sandbox container was running';
    printLine(`session ${shortId(session.id)} ${closedNow ? 'closed' : 'was already closed'}${sandbox}`);
  });
}
