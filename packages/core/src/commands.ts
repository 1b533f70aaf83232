import type { Chat, StoredMessage, User, UserRole } from '@ngb/plugin-sdk';
import { NgbError } from '@ngb/plugin-sdk';
import type { Approvals, Reroute } from './approvals';
import type { EventBus } from './events';
import type { EnqueueText } from './outbound';
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
  reroute: Reroute;
}

/** What the admin commands need. */
export interface CommandsOptions {
  runUnit: RunUnitOfWork;
  bus: Pick<EventBus, 'emit'>;
  approvals: Approvals;
  enqueueText: EnqueueText;
}

/**
 * Answers an admin command at once: `/approve` and `/deny`, and the refusal of a session command to
 * someone who is admin of none of the chat's agents.
 */
export type HandleCommand = (input: CommandInput) => Promise<void>;

/** Creates the admin commands of a gateway. */
export function createCommands(options: CommandsOptions): HandleCommand {
  const { runUnit } = options;
  return async (input) => {
    const { command, chat, roles, message } = input;
    const address = { channel: chat.channel, chatId: chat.platformChatId, threadId: message.threadId };
    const reply = (text: string) =>
      runUnit((unit) =>
        options.enqueueText(unit, address, text, `command:${message.id}`, { replyTo: message.platformMessageId }),
      );
    options.bus.emit({
      type: 'message.dropped',
      reason: `command /${command.name}`,
      channel: chat.channel,
      chatId: chat.platformChatId,
      senderId: message.senderId,
      messageId: message.id,
    });

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
    // /clear, /compact and /cost reach this only when the sender is admin of none of the wired
    // agents; for admins they are queued to each session's lane (see the router).
    return reply(`/${command.name} is for admins only.`);
  };
}

/** Whether a command runs in the sessions' lanes (`/clear`, `/compact`, `/cost`) rather than at once. */
export function runsInSession(command: ParsedCommand): boolean {
  return command.name === 'clear' || command.name === 'compact' || command.name === 'cost';
}
