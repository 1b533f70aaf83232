import { defineNgbCommand } from '../define-command';

/** `ngb init`: creates what is missing of a project, keeps what exists. */
export const initCommand = defineNgbCommand({
  path: 'ngb init',
  description:
    'Create ngb.config.json, the data directory (.ngb/ with the database and logs) and the main agent. Safe to run again.',
  args: {
    dir: { type: 'string', description: 'Project directory (default: the current directory)', valueHint: 'path' },
  },
  async run(flags) {
    const { executeInit } = await import('../init/execute-init');
    await executeInit(flags.dir ?? process.cwd(), flags.debug);
  },
});
