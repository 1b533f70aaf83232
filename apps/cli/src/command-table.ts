import type { CommandDef } from 'citty';

/** A top-level command: its one-line summary (for `ngb --help`) and how to load it. */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<CommandDef>;
}

// The summaries live here, not in the command modules, so `ngb --help` loads no command at all.
export const commandTable: readonly CommandEntry[] = [
  {
    name: 'init',
    summary: 'Create ngb.config.json, the data directory and the main agent (idempotent)',
    load: () => import('./commands/init-command').then((module) => module.initCommand),
  },
  {
    name: 'serve',
    summary: 'Run the gateway with the channels from the config',
    load: () => import('./commands/serve-command').then((module) => module.serveCommand),
  },
  {
    name: 'run',
    summary: 'Run one prompt through an agent in its sandbox and print the answer',
    load: () => import('./commands/run-command').then((module) => module.runCommand),
  },
  {
    name: 'shell',
    summary: 'Talk to an agent in a multi-turn REPL (--resume a session, --attach to its sandbox)',
    load: () => import('./commands/shell-command').then((module) => module.shellCommand),
  },
  {
    name: 'logs',
    summary: "Show the gateway's structured log (-f follows it live)",
    load: () => import('./commands/logs-command').then((module) => module.logsCommand),
  },
  {
    name: 'session',
    summary: 'List, show, kill or resume sessions',
    load: () => import('./commands/session-commands').then((module) => module.sessionCommands),
  },
  {
    name: 'agent',
    summary: 'List or add agents',
    load: () => import('./commands/agent-commands').then((module) => module.agentCommands),
  },
  {
    name: 'skill',
    summary: 'List, add or remove skills (SKILL.md folders the agents read)',
    load: () => import('./commands/skill-commands').then((module) => module.skillCommands),
  },
  {
    name: 'chat',
    summary: 'List chats, wire a chat to an agent, or set who may talk in it',
    load: () => import('./commands/chat-commands').then((module) => module.chatCommands),
  },
  {
    name: 'user',
    summary: 'List users and their linked identities; grant or revoke owner, admin and member roles',
    load: () => import('./commands/user-commands').then((module) => module.userCommands),
  },
  {
    name: 'destination',
    summary: "Add, list or remove an agent's named destinations (a chat or another agent)",
    load: () => import('./commands/destination-commands').then((module) => module.destinationCommands),
  },
  {
    name: 'approvals',
    summary: 'List pending approvals of unknown chats and senders; approve or deny them by code',
    load: () => import('./commands/approvals-commands').then((module) => module.approvalsCommands),
  },
  {
    name: 'channel',
    summary: 'List chat channels and their connection status',
    load: () => import('./commands/channel-commands').then((module) => module.channelCommands),
  },
  {
    name: 'plugin',
    summary: 'List the plugins and their state; approve a changed npm plugin',
    load: () => import('./commands/plugin-commands').then((module) => module.pluginCommands),
  },
  {
    name: 'image',
    summary: 'Build the sandbox image',
    load: () => import('./commands/image-commands').then((module) => module.imageCommands),
  },
  {
    name: 'cost',
    summary: 'Show what agents, users and chats spent this day and month, against their budgets',
    load: () => import('./commands/cost-command').then((module) => module.costCommand),
  },
  {
    name: 'doctor',
    summary: 'Check Docker, the sandbox image, the config, API keys and channels',
    load: () => import('./commands/doctor-command').then((module) => module.doctorCommand),
  },
];

/** The usage text of `ngb --help`. */
export function topLevelHelp(version: string): string {
  const width = Math.max(...commandTable.map((entry) => entry.name.length));
  return [
    `ngb ${version} — NanoGridBot: a self-hosted agent gateway and development console`,
    '',
    'USAGE  ngb <command> [options]',
    '',
    'COMMANDS',
    ...commandTable.map((entry) => `  ${entry.name.padEnd(width)}  ${entry.summary}`),
    '',
    'OPTIONS (every command)',
    '  --config <file>  Config file (default: ngb.config.json from here upwards, or NGB_CONFIG)',
    '  --debug          Verbose output, and stack traces on errors',
    '  -h, --help       Help of ngb or of a command',
    '  --version        The version',
    '',
    'Models: set ANTHROPIC_API_KEY or OPENAI_API_KEY, or OPENAI_BASE_URL for a local OpenAI-compatible server.',
    'Run `ngb <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

/** The known command closest to a mistyped one, if any is close. */
export function suggestCommand(
  name: string,
  candidates: readonly string[] = commandTable.map((entry) => entry.name),
): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= right.length; column += 1) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      current[column] = Math.min((previous[column] ?? 0) + 1, (current[column - 1] ?? 0) + 1, (previous[column - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}
