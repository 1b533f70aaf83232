import { createHash } from 'node:crypto';
import type { TimedGatewayEvent } from '@ngb/core';
import { type ChannelAdapter, type LogLevel, NotSupportedError } from '@ngb/plugin-sdk';
import { colors } from 'consola/utils';
import { channelCatalog, createChannel, enabledChannels } from '../compose/channel-catalog';
import { chooseModel, createProviders } from '../compose/model-providers';
import { openProject } from '../compose/open-project';
import { parseRuntimeFlag, planRuntime, startRuntime } from '../compose/runtime-choice';
import { startGateway } from '../compose/start-gateway';
import { displayPath, loadConfig } from '../config/load-config';
import { numberFlag } from '../number-flags';
import { printLine, printNote, printWarning } from '../output';
import { formatDuration } from '../render/format';
import { describeEvent } from './describe-event';

/** The longest `--grace`, in seconds: a day. */
const maxGraceSeconds = 86_400;

/** Runs `ngb serve` until a signal stops it. */
export async function executeServe(flags: {
  config: string | undefined;
  debug: boolean;
  grace: string | undefined;
  runtime: string | undefined;
}): Promise<void> {
  const graceMs = (numberFlag('grace', flags.grace, { min: 0, max: maxGraceSeconds }) ?? 10) * 1000;
  const runtimeDriver = parseRuntimeFlag(flags.runtime);
  const started = Date.now();
  const env = process.env;
  const loaded = loadConfig({ configOption: flags.config, env, cwd: process.cwd() });
  for (const warning of loaded.warnings) printWarning(warning);
  const { config } = loaded;
  const channelNames = enabledChannels(config);
  const channels: ChannelAdapter[] = [];
  for (const name of channelNames) channels.push(await createChannel(name, config, env));
  if (config.dashboard.enabled) {
    const { createServer } = await import('@ngb/server');
    try {
      createServer({ host: config.dashboard.host, port: config.dashboard.port });
    } catch (error) {
      if (NotSupportedError.isInstance(error)) {
        throw new NotSupportedError(
          'the dashboard is enabled in ngb.config.json but not built yet; set "dashboard.enabled": false',
          { cause: error },
        );
      }
      throw error;
    }
  }
  const model = chooseModel(config.model, env);
  const plan = await planRuntime({
    config,
    paths: loaded.paths,
    env,
    driverFlag: runtimeDriver,
    purpose: 'serve',
    remoteChannels: channelNames.filter((name) => channelCatalog[name].remote),
  });
  const echo = (level: LogLevel, message: string, fields: Record<string, unknown>, tag: string | undefined) => {
    if (!flags.debug && (level === 'debug' || level === 'info')) return;
    const color = level === 'error' ? colors.red : level === 'warn' ? colors.yellow : colors.dim;
    process.stderr.write(
      `${color(`${level.padEnd(5)} ${tag ? `[${tag}] ` : ''}${message}`)} ${colors.dim(JSON.stringify(fields))}\n`,
    );
  };
  const project = await openProject(loaded, env, { command: 'serve', debug: flags.debug, echo });
  let stopping = false;
  try {
    const runtime = await startRuntime(plan, {
      namespace: `serve-${createHash('sha256').update(project.paths.dataDir).digest('hex').slice(0, 12)}`,
      logger: project.logger,
    });
    if (runtime.warning) printWarning(runtime.warning);
    const providers = await createProviders(model, config.model, env, project.logger);
    const running = await startGateway({
      project,
      runtime: runtime.runtime,
      providers,
      channels,
      takeOver: 'all',
      retries: true,
    });
    running.gateway.events.on((event: TimedGatewayEvent) => {
      const line = describeEvent(event, flags.debug);
      if (line !== undefined) printLine(line);
    });
    project.logger.info('gateway ready', {
      channels: channelNames,
      runtime: runtime.driver,
      model: `${model.provider}/${model.model}`,
    });
    printLine(`${colors.green('✓')} ngb serve: gateway ready in ${formatDuration(Date.now() - started)}`);
    printLine(`  agents   ${project.agents.map((agent) => agent.folder).join(', ') || 'none (add one with `ngb agent add`)'}`);
    printLine(
      `  channels ${channelNames.join(', ') || 'none enabled: the gateway runs and waits (the dashboard and web chat join it when they land)'}`,
    );
    printLine(`  runtime  ${runtime.driver === 'docker' ? `docker (${config.runtime.image})` : 'local (NOT ISOLATED)'}`);
    printLine(`  model    ${model.provider}/${model.model}${model.baseURL ? ` at ${model.baseURL}` : ''}`);
    printLine(`  log      ${displayPath(project.paths.logFile)}  (follow it with \`ngb logs -f\`)`);
    printNote('Ctrl-C stops the gateway.');

    // A timer handle keeps the process alive while nothing else does (no channel connected); it never fires work.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    await new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) {
          printWarning(`${signal} again: exiting without waiting`);
          process.exit(1);
        }
        stopping = true;
        printNote(`${signal}: stopping intake; running turns get up to ${formatDuration(graceMs)} to finish...`);
        resolve();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    clearInterval(keepAlive);
    const stopStarted = Date.now();
    await running.stop(graceMs);
    project.logger.info('gateway stopped', { durationMs: Date.now() - stopStarted });
    printLine(`${colors.green('✓')} stopped in ${formatDuration(Date.now() - stopStarted)}: sandboxes closed, store flushed`);
  } finally {
    await project.close();
  }
}
