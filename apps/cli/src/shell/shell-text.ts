import { colors } from '../colors';
import type { Conversation } from '../conversation/start-conversation';
import { formatAge, formatUsage, sumUsage } from '../render/format';

/** The text of `/help`. */
export function shellHelp(): string[] {
  return [
    'Type a message to talk to the agent. Commands:',
    '  /session   this session: id, agent, turns, tokens, sandbox',
    "  /clear     forget this session's conversation (the transcript is cleared)",
    '  /cost      tokens and cost of this session',
    '  /compact   replace the transcript by a summary the model writes',
    "  /attach    open bash in this session's sandbox (Docker runtime); `exit` comes back",
    '  /help      this list',
    '  /exit      leave (also Ctrl-D); continue later with `ngb shell --resume <session>`',
  ];
}

/** The text of `/session`. */
export async function describeSession(conversation: Conversation): Promise<string[]> {
  const { record, project, runtime } = conversation;
  const store = project.store;
  const session = (await store.sessions.get(record.session.id)) ?? record.session;
  const turns = await store.turns.listForSession(session.id, { limit: 10_000 });
  const entries = await store.transcript.count(session.id);
  const usage = sumUsage(turns);
  const sandbox = (await runtime.runtime.list()).find((info) => info.sessionId === session.id);
  return [
    `session  ${colors.bold(session.id)} (${session.status})`,
    `agent    ${record.agent.folder}${record.agent.isMain ? ' (main)' : ''}`,
    `chat     ${record.chat.channel}:${record.chat.platformChatId}`,
    `turns    ${turns.length} · ${formatUsage(usage)} · ${entries} transcript entries`,
    `active   ${formatAge(session.lastActivityAt)} (started ${formatAge(session.createdAt)})`,
    `sandbox  ${sandbox ? `${runtime.driver} ${sandbox.id.slice(0, 12)} (${sandbox.state})` : `${runtime.driver}, none running`}`,
    colors.dim(`resume   ngb shell --resume ${session.id}`),
  ];
}
