import { defineNgbCommand } from '../define-command';
import { runtimeFlag } from './runtime-flag';

/** `ngb shell`: a multi-turn conversation in the terminal. */
export const shellCommand = defineNgbCommand({
  path: 'ngb shell',
  description:
    'Talk to an agent in a REPL: streamed answers, visible tool calls, history, and /help, /session, /clear, /attach, /exit. ' +
    'The session stays; continue it later with --resume.',
  args: {
    agent: { type: 'string', alias: 'g', description: 'Agent folder to talk to (default: main)', valueHint: 'folder' },
    resume: {
      type: 'string',
      description: 'Continue an earlier session (id or prefix, see `ngb session ls`)',
      valueHint: 'session',
    },
    attach: {
      type: 'boolean',
      description: "Open an interactive bash in the session's sandbox (Docker runtime) instead of the REPL",
    },
    runtime: runtimeFlag,
  },
  async run(flags) {
    const { executeShell } = await import('../shell/execute-shell');
    await executeShell(flags);
  },
});
