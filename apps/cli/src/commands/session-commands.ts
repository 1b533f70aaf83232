import { defineCommandGroup, defineNgbCommand } from '../define-command';
import { runtimeFlag } from './runtime-flag';

const ls = defineNgbCommand({
  path: 'ngb session ls',
  description: 'List sessions, most recently active last',
  args: {
    agent: { type: 'string', alias: 'g', description: 'Only sessions of this agent', valueHint: 'folder' },
    active: { type: 'boolean', description: 'Only active sessions' },
    lines: { type: 'string', alias: 'n', description: 'How many to show (default 30)', valueHint: 'N' },
    json: { type: 'boolean', description: 'Print JSON' },
  },
  async run(flags) {
    const { listSessions } = await import('../session/session-actions');
    await listSessions(flags);
  },
});

const show = defineNgbCommand({
  path: 'ngb session show',
  description: 'Show a session: its agent, chat, turns and transcript',
  args: {
    id: { type: 'positional', required: true, description: 'Session id or a unique prefix of it' },
    json: { type: 'boolean', description: 'Print JSON' },
  },
  async run(flags) {
    const { showSession } = await import('../session/session-actions');
    await showSession(flags);
  },
});

const kill = defineNgbCommand({
  path: 'ngb session kill',
  description: 'Close a session and remove its sandbox container (the transcript stays; resume reopens it)',
  args: { id: { type: 'positional', required: true, description: 'Session id or a unique prefix of it' } },
  async run(flags) {
    const { killSession } = await import('../session/session-actions');
    await killSession(flags);
  },
});

const resume = defineNgbCommand({
  path: 'ngb session resume',
  description: 'Continue a session in `ngb shell` (the same as `ngb shell --resume <id>`)',
  args: { id: { type: 'positional', required: true, description: 'Session id or a unique prefix of it' }, runtime: runtimeFlag },
  async run(flags) {
    const { executeShell } = await import('../shell/execute-shell');
    await executeShell({
      config: flags.config,
      debug: flags.debug,
      agent: undefined,
      resume: flags.id,
      attach: false,
      runtime: flags.runtime,
    });
  },
});

/** `ngb session ls | show | kill | resume`. */
export const sessionCommands = defineCommandGroup('session', 'List, show, kill or resume sessions', {
  ls: async () => ls,
  show: async () => show,
  kill: async () => kill,
  resume: async () => resume,
});
