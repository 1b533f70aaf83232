import type { TimedGatewayEvent } from '@ngb/core';
import { composeGateway, displayPath, type LoadedConfig, loadConfig, probeDockerEngine, runtimeDriverOf } from '@ngb/host';
import { canHandleWebhooks } from '@ngb/plugin-sdk';
import { fail } from '../cli-error';
import { numberFlag } from '../number-flags';
import { parseRuntimeFlag } from '../parse-runtime-flag';
import { formatDuration } from '../render/format';
import { applyServeMemorySettings, watchYoungGeneration } from './serve-memory-settings';
import { createServeOutput } from './serve-output';

/** The longest `--grace`, in seconds: a day. */
const maxGraceSeconds = 86_400;

function parseLogFormat(value: string | undefined): 'text' | 'json' | undefined {
  if (value === undefined || value === 'text' || value === 'json') return value;
  return fail(`--log-format must be text or json (got "${value}")`);
}

/** The config with `--host` and `--port` in place of `dashboard.host` and `dashboard.port` (the server checks them as it would the config's). */
function withDashboardAddress(loaded: LoadedConfig, host: string | undefined, port: number | undefined): LoadedConfig {
  if (host === undefined && port === undefined) return loaded;
  const dashboard = {
    ...loaded.config.dashboard,
    ...(host === undefined ? {} : { host }),
    ...(port === undefined ? {} : { port }),
  };
  return { ...loaded, config: { ...loaded.config, dashboard } };
}

/** Runs `ngb serve` until a signal stops it. */
export async function executeServe(flags: {
  config: string | undefined;
  debug: boolean;
  grace: string | undefined;
  runtime: string | undefined;
  host: string | undefined;
  port: string | undefined;
  'log-format': string | undefined;
}): Promise<void> {
  applyServeMemorySettings();
  const graceMs = (numberFlag('grace', flags.grace, { min: 0, max: maxGraceSeconds }) ?? 10) * 1000;
  const runtimeDriver = parseRuntimeFlag(flags.runtime);
  const port = numberFlag('port', flags.port, { integer: true, min: 0, max: 65_535 });
  if (flags.host !== undefined && flags.host.trim() === '') fail('--host must not be empty');
  const started = Date.now();
  const env = process.env;
  const loaded = withDashboardAddress(loadConfig({ configOption: flags.config, env, cwd: process.cwd() }), flags.host, port);
  const format = parseLogFormat(flags['log-format']) ?? loaded.config.log.format;
  const output = createServeOutput(format, flags.debug, formatDuration);
  for (const warning of loaded.warnings) output.warning(warning);
  const { config } = loaded;
  // Asked now, so that the engine's answer arrives while the server's modules load.
  const dockerProbe = runtimeDriverOf(config, runtimeDriver) === 'docker' ? probeDockerEngine(env) : undefined;
  const request = {
    loaded,
    env,
    driverFlag: runtimeDriver,
    dockerProbe,
    command: 'serve',
    debug: flags.debug,
    echo: output.echo,
  };
  // With the dashboard on, the server app composes the gateway (through the same root) and serves it.
  const served = config.dashboard.enabled
    ? await (await import('@ngb/server')).startServer(request)
    : { composed: await composeGateway(request), server: undefined };
  const { project, running, model, channelNames, runtime } = served.composed;
  let stopping = false;
  try {
    if (runtime.warning) output.warning(runtime.warning);
    for (const refused of served.composed.plugins.refused)
      output.warning(`plugin ${refused.label} not loaded: ${refused.reason}`);
    running.gateway.events.on((event: TimedGatewayEvent) => output.event(event));
    project.logger.info('gateway ready', {
      channels: channelNames,
      runtime: runtime.driver,
      model: `${model.provider}/${model.model}`,
    });
    // A timer handle keeps the process alive while nothing else does (no channel connected); it never fires work.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    // The signal handlers are set before the ready line: whoever reads that line may stop us at once.
    const signalled = new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) {
          output.warning(`${signal} again: exiting without waiting`);
          process.exit(1);
        }
        stopping = true;
        output.note(`${signal}: stopping intake; running turns get up to ${formatDuration(graceMs)} to finish...`);
        resolve();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    const { server } = served;
    const webhooks = server
      ? served.composed.channels.filter(canHandleWebhooks).map((channel) => `${server.url}/channels/${channel.name}/webhook`)
      : [];
    await output.ready(
      {
        readyMs: Date.now() - started,
        agents: project.agents.map((agent) => agent.folder),
        channels: channelNames,
        runtime: runtime.driver === 'docker' ? `docker (${config.runtime.image})` : 'local (NOT ISOLATED)',
        model: `${model.provider}/${model.model}${model.baseURL ? ` at ${model.baseURL}` : ''}`,
        logFile: displayPath(project.paths.logFile),
        url: served.server?.url,
        webhooks,
      },
      running.gateway.onboarding.claimCode(),
    );
    watchYoungGeneration();
    await signalled;
    clearInterval(keepAlive);
    const stopStarted = Date.now();
    await served.server?.close();
    await running.stop(graceMs);
    project.logger.info('gateway stopped', { durationMs: Date.now() - stopStarted });
    output.stopped(Date.now() - stopStarted);
  } finally {
    await served.composed.close(0);
  }
}
