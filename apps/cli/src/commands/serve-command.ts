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
    host: {
      type: 'string',
      description:
        'Address the dashboard, web chat and API listen on, instead of `dashboard.host` (any but loopback needs NGB_DASHBOARD_TOKEN)',
      valueHint: 'address',
    },
    port: { type: 'string', description: 'Port to listen on, instead of `dashboard.port` (0: a free one)', valueHint: 'port' },
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
