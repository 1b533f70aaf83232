import { defineNgbCommand } from '../define-command';
import { runtimeFlag } from './runtime-flag';

/** `ngb serve`: the long-running gateway. */
export const serveCommand = defineNgbCommand({
  path: 'ngb serve',
  description:
    'Run the gateway with the channels from ngb.config.json until Ctrl-C / SIGTERM, which stop intake, let running turns ' +
    'finish (up to --grace seconds), close the sandboxes and flush the store.',
  args: {
    grace: { type: 'string', description: 'Seconds running turns get to finish on shutdown (default 10)', valueHint: 'seconds' },
    runtime: runtimeFlag,
    'log-format': {
      type: 'string',
      description: 'text (for people, default) or json (one object per line on stdout, for log shippers; also `log.format`)',
      valueHint: 'format',
    },
  },
  async run(flags) {
    const { executeServe } = await import('../serve/execute-serve');
    await executeServe(flags);
  },
});
