import { defineCommandGroup, defineNgbCommand } from '../define-command';

const ls = defineNgbCommand({
  path: 'ngb chat ls',
  description: 'List the chats the gateway knows, their status and the agents wired to them',
  args: {
    all: { type: 'boolean', description: 'Include the terminal chats of ngb run / ngb shell' },
    json: { type: 'boolean', description: 'Print JSON' },
  },
  async run(flags) {
    const { listChats } = await import('../chat/chat-actions');
    await listChats(flags);
  },
});

const wire = defineNgbCommand({
  path: 'ngb chat wire',
  description: 'Wire a chat to an agent (a pending chat becomes active)',
  args: {
    chat: { type: 'positional', required: true, description: 'Chat id, a unique prefix of it, or channel:platformChatId' },
    agent: { type: 'string', alias: 'g', description: 'Agent folder (default: main)', valueHint: 'folder' },
    engage: {
      type: 'string',
      description:
        'When the agent answers in groups: always, mention (default), mention-sticky (a mention, then its whole thread) or pattern',
      valueHint: 'mode',
    },
    pattern: { type: 'string', description: 'Regular expression for --engage pattern', valueHint: 'regex' },
    'session-mode': { type: 'string', description: 'shared (default), per-thread or agent-shared', valueHint: 'mode' },
    priority: { type: 'string', description: 'Higher goes first when several agents are wired (default 0)', valueHint: 'n' },
  },
  async run(flags) {
    const { wireChat } = await import('../chat/chat-actions');
    await wireChat(flags);
  },
});

const policy = defineNgbCommand({
  path: 'ngb chat policy',
  description: 'Set who may talk to the agents of a chat when the sender is unknown',
  args: {
    chat: { type: 'positional', required: true, description: 'Chat id, a unique prefix of it, or channel:platformChatId' },
    policy: {
      type: 'positional',
      required: true,
      description: 'strict (members and admins only), request_approval (ask the owner) or public (everyone)',
    },
  },
  async run(flags) {
    const { setChatPolicy } = await import('../chat/chat-actions');
    await setChatPolicy(flags);
  },
});

/** `ngb chat ls | wire | policy`. */
export const chatCommands = defineCommandGroup('chat', 'List chats, wire a chat to an agent, or set its policy', {
  ls: async () => ls,
  wire: async () => wire,
  policy: async () => policy,
});
