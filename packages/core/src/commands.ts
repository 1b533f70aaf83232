import type { Agent, Chat, Store, StoredMessage, Turn, User, UserRole, Wiring } from '@ngb/plugin-sdk';
import { errorMessage, NgbError } from '@ngb/plugin-sdk';
import type { Approvals, Reroute } from './approvals';
import { isAdminOf } from './engage';
import type { EventBus } from './events';
import type { EnqueueText } from './outbound';
import type { ResolveProvider } from './resolve-provider';
import { sessionKeyFor } from './session-key';
import type { RunUnitOfWork } from './unit-of-work';

/** The admin-only commands the gateway answers itself; the agent never sees them. */
type CommandName = 'clear' | 'compact' | 'cost' | 'approve' | 'deny';

/** A parsed command. */
export interface ParsedCommand {
  name: CommandName;
  argument: string;
}

const commandPattern = /^\/(clear|compact|cost|approve|deny)(?:@\S+)?(?:\s+(.*))?$/is;

/** Parses a known admin command (`/clear`, `/cost@botname`, `/approve CODE`), else undefined. */
export function parseCommand(text: string): ParsedCommand | undefined {
  const match = commandPattern.exec(text.trim());
  if (!match) return undefined;
  return { name: (match[1] ?? '').toLowerCase() as CommandName, argument: (match[2] ?? '').trim() };
}

/** A command as the router hands it over, once the message that holds it is committed. */
interface CommandInput {
  command: ParsedCommand;
  chat: Chat;
  user: User;
  roles: readonly UserRole[];
  message: StoredMessage;
  wirings: readonly Wiring[];
  reroute: Reroute;
}

/** What the admin commands need. */
export interface CommandsOptions {
  store: Store;
  runUnit: RunUnitOfWork;
  bus: Pick<EventBus, 'emit'>;
  approvals: Approvals;
  enqueueText: EnqueueText;
  resolveProvider: ResolveProvider;
}

/** Runs an admin command and answers in the chat. Non-admins get a one-line refusal. */
export type HandleCommand = (input: CommandInput) => Promise<void>;

/** Creates the admin commands of a gateway. */
export function createCommands(options: CommandsOptions): HandleCommand {
  const { store, runUnit } = options;
  return async (input) => {
    const { command, chat, roles, message, wirings } = input;
    const address = { channel: chat.channel, chatId: chat.platformChatId, threadId: message.threadId };
    const reply = (text: string) =>
      runUnit((unit) =>
        options.enqueueText(unit, address, text, `command:${message.id}`, { replyTo: message.platformMessageId }),
      );
    options.bus.emit({ type: 'message.dropped', messageId: message.id, reason: `command /${command.name}` });

    if (command.name === 'approve' || command.name === 'deny') {
      if (!roles.some((role) => role.role === 'owner')) return reply(`/${command.name} is for the owner only.`);
      try {
        const decision = command.name === 'approve' ? 'approved' : 'denied';
        const approval = await runUnit((unit) => options.approvals.resolve(unit, command.argument, decision, input.reroute));
        return reply(`${approval.status === 'approved' ? 'Approved' : 'Denied'} (${approval.kind} ${approval.code}).`);
      } catch (error) {
        if (NgbError.isInstance(error) && error.code === 'approval_expired')
          return reply(
            `The code "${command.argument}" expired; a new message from that chat or person asks again with a new code.`,
          );
        return reply(
          NgbError.isInstance(error) ? `No pending request has the code "${command.argument}".` : 'That did not work.',
        );
      }
    }
    const allowed = wirings.filter((wiring) => isAdminOf(roles, wiring.agentId));
    if (allowed.length === 0) return reply(`/${command.name} is for admins only.`);
    const lines: string[] = [];
    for (const wiring of allowed) {
      const agent = await store.agents.get(wiring.agentId);
      const { session } = await store.sessions.getOrCreate(sessionKeyFor(wiring, message.threadId));
      const name = agent?.name ?? wiring.agentId;
      if (command.name === 'clear') {
        const removed = await store.transcript.clear(session.id);
        lines.push(`${name}: cleared ${removed} transcript entries.`);
      } else if (command.name === 'cost') {
        const turns = await store.turns.listForSession(session.id, { limit: 10_000 });
        lines.push(`${name}: ${describeCost(turns)}`);
      } else if (agent) {
        const compacted = await compactSession(options, session.id, agent).catch(
          (error: unknown) => `could not compact: ${errorMessage(error)}`,
        );
        lines.push(`${name}: ${compacted}`);
      }
    }
    return reply(lines.join('\n'));
  };
}

/** Tokens and cost of a session's turns; a cost no price covers is said to be unknown, never $0. */
function describeCost(turns: readonly Turn[]): string {
  const input = turns.reduce((sum, turn) => sum + turn.inputTokens, 0);
  const output = turns.reduce((sum, turn) => sum + turn.outputTokens, 0);
  const known = turns.reduce((sum, turn) => sum + (turn.costUsd ?? 0), 0);
  const unpriced = turns.filter((turn) => turn.costUsd === null);
  const tokens = `${turns.length} turns, ${input} input + ${output} output tokens`;
  if (unpriced.length === 0) return `${tokens}, $${known.toFixed(4)}.`;
  const models = [...new Set(unpriced.map((turn) => turn.model ?? 'an unnamed model'))].join(', ');
  const rest = unpriced.length < turns.length ? `; $${known.toFixed(4)} for the other turns` : '';
  return `${tokens}, cost unknown for ${unpriced.length} of them (no price for ${models})${rest}.`;
}

/** Replaces a session's transcript by a summary the model writes. */
async function compactSession(
  { store, resolveProvider }: Pick<CommandsOptions, 'store' | 'resolveProvider'>,
  sessionId: string,
  agent: Agent,
): Promise<string> {
  const entries = await store.transcript.list(sessionId);
  if (entries.length === 0) return 'nothing to compact.';
  const provider = resolveProvider(agent);
  const history = entries
    .map((entry) => entry.content as { role?: string; content?: string })
    .filter((message) => message.role === 'user' || message.role === 'assistant')
    .map((message) => `${message.role}: ${message.content ?? ''}`)
    .join('\n\n');
  let summary = '';
  for await (const part of provider.doStream({
    system: 'You summarize conversations for an assistant. Keep facts, decisions, open questions and names.',
    messages: [{ role: 'user', content: `Summarize this conversation in a few short paragraphs:\n\n${history}` }],
  })) {
    if (part.type === 'text-delta') summary += part.text;
  }
  await store.transaction(async (tx) => {
    await tx.transcript.clear(sessionId);
    await tx.transcript.append(sessionId, [
      { role: 'user', content: { role: 'user', content: `Summary of the earlier conversation:\n${summary}` } },
    ]);
  });
  return `compacted ${entries.length} entries into a summary.`;
}
