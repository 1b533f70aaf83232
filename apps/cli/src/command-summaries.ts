// The summaries live apart from the command modules (and from the table that loads them), so that
// `ngb --help` loads no command at all, and the CommonJS entry (`ngb.ts`) answers it from this file alone.
/** The top-level commands with their one-line summaries, in the order `ngb --help` lists them. */
export const commandSummaries = [
  { name: 'init', summary: 'Create ngb.config.json, the data directory and the main agent (idempotent)' },
  { name: 'serve', summary: 'Run the gateway with the channels from the config' },
  { name: 'run', summary: 'Run one prompt through an agent in its sandbox and print the answer' },
  { name: 'shell', summary: 'Talk to an agent in a multi-turn REPL (--resume a session, --attach to its sandbox)' },
  { name: 'logs', summary: "Show the gateway's structured log (-f follows it live)" },
  { name: 'session', summary: 'List, show, kill or resume sessions' },
  { name: 'agent', summary: 'List or add agents' },
  { name: 'skill', summary: 'List, add or remove skills (SKILL.md folders the agents read)' },
  { name: 'chat', summary: 'List chats, wire a chat to an agent, or set who may talk in it' },
  { name: 'user', summary: 'List users and their linked identities; grant or revoke owner, admin and member roles' },
  { name: 'destination', summary: "Add, list or remove an agent's named destinations (a chat or another agent)" },
  { name: 'approvals', summary: 'List pending approvals of unknown chats and senders; approve or deny them by code' },
  { name: 'channel', summary: 'List chat channels and their connection status' },
  { name: 'plugin', summary: 'List the plugins and their state; approve a changed npm plugin' },
  { name: 'image', summary: 'Build the sandbox image' },
  { name: 'cost', summary: 'Show what agents, users and chats spent this day and month, against their budgets' },
  { name: 'doctor', summary: 'Check Docker, the sandbox image, the config, API keys and channels' },
] as const;

/** The name of a top-level command. */
export type CommandName = (typeof commandSummaries)[number]['name'];

/** The usage text of `ngb --help`. */
export function topLevelHelp(version: string): string {
  const width = Math.max(...commandSummaries.map((entry) => entry.name.length));
  return [
    `ngb ${version} — NanoGridBot: a self-hosted agent gateway and development console`,
    '',
    'USAGE  ngb <command> [options]',
    '',
    'COMMANDS',
    ...commandSummaries.map((entry) => `  ${entry.name.padEnd(width)}  ${entry.summary}`),
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
  candidates: readonly string[] = commandSummaries.map((entry) => entry.name),
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
