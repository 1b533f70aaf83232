import { defineCommandGroup, defineNgbCommand } from '../define-command';

const ls = defineNgbCommand({
  path: 'ngb agent ls',
  description: 'List the agents (one folder each under the agents directory)',
  args: { json: { type: 'boolean', description: 'Print JSON' } },
  async run(flags) {
    const { listAgents } = await import('../agent/agent-actions');
    await listAgents(flags);
  },
});

const add = defineNgbCommand({
  path: 'ngb agent add',
  description: 'Add an agent: creates agents/<folder>/AGENTS.md and registers it',
  args: {
    folder: {
      type: 'positional',
      required: true,
      description: 'Folder name: 1-64 letters, digits, "_" or "-", starting with a letter or digit; not "global"',
    },
    name: { type: 'string', description: 'Display name (default: the folder name)', valueHint: 'name' },
  },
  async run(flags) {
    const { addAgent } = await import('../agent/agent-actions');
    await addAgent(flags);
  },
});

/** `ngb agent ls | add`. */
export const agentCommands = defineCommandGroup('agent', 'List or add agents', { ls: async () => ls, add: async () => add });
