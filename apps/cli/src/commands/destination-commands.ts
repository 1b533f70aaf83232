import { defineCommandGroup, defineNgbCommand } from '../define-command';

const agent = {
  type: 'string',
  alias: 'g',
  description: 'The agent the destination belongs to (default: main)',
  valueHint: 'folder',
} as const;

const add = defineNgbCommand({
  path: 'ngb destination add',
  description: 'Name a target an agent can send to: a chat (--chat) or another agent (--to-agent); replaces one of that name',
  args: {
    name: { type: 'positional', required: true, description: 'The name the agent uses, such as family' },
    chat: { type: 'string', description: 'Chat id, a unique prefix of it, or channel:platformChatId', valueHint: 'chat' },
    'to-agent': { type: 'string', description: 'Another agent (folder)', valueHint: 'folder' },
    agent,
  },
  async run(flags) {
    const { addDestination } = await import('../destination/destination-actions');
    await addDestination(flags);
  },
});

const ls = defineNgbCommand({
  path: 'ngb destination ls',
  description: "List the agents' named destinations",
  args: {
    agent: { ...agent, description: 'Only this agent (default: every agent)' },
    json: { type: 'boolean', description: 'Print JSON' },
  },
  async run(flags) {
    const { listDestinations } = await import('../destination/destination-actions');
    await listDestinations(flags);
  },
});

const rm = defineNgbCommand({
  path: 'ngb destination rm',
  description: 'Remove a named destination of an agent',
  args: { name: { type: 'positional', required: true, description: 'The destination name' }, agent },
  async run(flags) {
    const { removeDestination } = await import('../destination/destination-actions');
    await removeDestination(flags);
  },
});

/** `ngb destination add | ls | rm`. */
export const destinationCommands = defineCommandGroup(
  'destination',
  "Add, list or remove an agent's named destinations (a chat or another agent)",
  { add: async () => add, ls: async () => ls, rm: async () => rm },
);
