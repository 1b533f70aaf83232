import { defineCommandGroup, defineNgbCommand } from '../define-command';

const agent = {
  type: 'string',
  alias: 'g',
  description: 'The agent whose skills folder to change (default: main)',
  valueHint: 'folder',
} as const;
const global = { type: 'boolean', description: 'The shared global/skills folder, which every agent sees' } as const;

const ls = defineNgbCommand({
  path: 'ngb skill ls',
  description: 'List skills (name, scope, description) and the ones the gateway skips, with the reason',
  args: {
    agent: { ...agent, description: "Only this agent's skills, as its system prompt lists them (default: every agent)" },
    json: { type: 'boolean', description: 'Print JSON' },
  },
  async run(flags) {
    const { listSkills } = await import('../skill/skill-actions');
    await listSkills(flags);
  },
});

const add = defineNgbCommand({
  path: 'ngb skill add',
  description: 'Copy a skill folder (a SKILL.md with name and description, and its files) into an agent or global/skills',
  args: {
    folder: { type: 'positional', required: true, description: 'The skill folder; its name is the skill name' },
    agent,
    global,
    force: { type: 'boolean', description: 'Replace a skill of the same name' },
  },
  async run(flags) {
    const { addSkill } = await import('../skill/skill-actions');
    await addSkill(flags);
  },
});

const rm = defineNgbCommand({
  path: 'ngb skill rm',
  description: 'Remove a skill folder from an agent or global/skills',
  args: { name: { type: 'positional', required: true, description: 'The skill name' }, agent, global },
  async run(flags) {
    const { removeSkill } = await import('../skill/skill-actions');
    await removeSkill(flags);
  },
});

/** `ngb skill ls | add | rm`. */
export const skillCommands = defineCommandGroup('skill', 'List, add or remove skills (SKILL.md folders the agents read)', {
  ls: async () => ls,
  add: async () => add,
  rm: async () => rm,
});
