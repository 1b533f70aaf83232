import { defineNgbCommand } from '../define-command';

/** `ngb logs`: the gateway's structured log. */
export const logsCommand = defineNgbCommand({
  path: 'ngb logs',
  description: "Show the gateway's structured log (every log line and gateway event of serve, run and shell).",
  args: {
    lines: { type: 'string', alias: 'n', description: 'How many lines to show first (default 50)', valueHint: 'N' },
    follow: { type: 'boolean', alias: 'f', description: 'Keep showing new lines as they are written (Ctrl-C stops)' },
    json: { type: 'boolean', description: 'Print the raw JSON lines' },
    level: {
      type: 'string',
      description: 'Lowest level shown: debug (includes every text delta), info (default), warn, error',
      valueHint: 'level',
    },
    session: { type: 'string', description: 'Only lines of this session (id or prefix)', valueHint: 'id' },
  },
  async run(flags) {
    const { executeLogs } = await import('../logs/execute-logs');
    await executeLogs(flags);
  },
});
