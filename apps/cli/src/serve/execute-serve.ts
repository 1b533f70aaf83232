import type { TimedGatewayEvent } from '@ngb/core';
import { composeGateway, displayPath, loadConfig } from '@ngb/host';
import type { LogLevel } from '@ngb/plugin-sdk';
import { colors } from 'consola/utils';
import { numberFlag } from '../number-flags';
import { printLine, printNote, printWarning } from '../output';
import { parseRuntimeFlag } from '../parse-runtime-flag';
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
  const echo = (level: LogLevel, message: string, fields: Record<string, unknown>, tag: string | undefined) => {
    if (!flags.debug && (level === 'debug' || level === 'info')) return;
    const color = level === 'error' ? colors.red : level === 'warn' ? colors.yellow : colors.dim;
    process.stderr.write(
      `${color(`${level.padEnd(5)} ${tag ? `[${tag}] ` : ''}${message}`)} ${colors.dim(JSON.stringify(fields))}\n`,
    );
  };
  const request = { loaded, env, driverFlag: runtimeDriver, command: 'serve', debug: flags.debug, echo };
  // With the dashboard on, the server app composes the gateway (through the same root) and serves it.
  const served = config.dashboard.enabled
    ? await (await import('@ngb/server')).startServer(request)
    : { composed: await composeGateway(request), server: undefined };
  const { project, running, model, channelNames, runtime } = served.composed;
  let stopping = false;
  try {
    if (runtime.warning) printWarning(runtime.warning);
    running.gateway.events.on((event: TimedGatewayEvent) => {
      const line = describeEvent(event, flags.debug);
      if (line !== undefined) printLine(line);
    });
    project.logger.info('gateway ready', {
      channels: channelNames,
      runtime: runtime.driver,
      model: `${model.provider}/${model.model}`,
    });
    // Asked before the ready line: from that line on, nothing awaits until the signal handlers are set.
    const claim = await running.gateway.onboarding.claimCode();
    printLine(`${colors.green('✓')} ngb serve: gateway ready in ${formatDuration(Date.now() - started)}`);
    printLine(`  agents   ${project.agents.map((agent) => agent.folder).join(', ') || 'none (add one with `ngb agent add`)'}`);
    printLine(
      `  channels ${channelNames.join(', ') || 'none enabled: the gateway runs and waits (the dashboard and web chat join it when they land)'}`,
    );
    printLine(`  runtime  ${runtime.driver === 'docker' ? `docker (${config.runtime.image})` : 'local (NOT ISOLATED)'}`);
    printLine(`  model    ${model.provider}/${model.model}${model.baseURL ? ` at ${model.baseURL}` : ''}`);
    printLine(`  log      ${displayPath(project.paths.logFile)}  (follow it with \`ngb logs -f\`)`);
    if (served.server) printLine(`  open     ${colors.bold(served.server.url)}  (dashboard and web chat)`);
    if (claim) {
      printLine('');
      printLine(`  ${colors.bold('This gateway has no owner yet.')} Claim it with the one-time code ${colors.bold(claim.code)}:`);
      printLine(
        `  send /claim ${claim.code} from any chat, or the dashboard's chat (valid until ${new Date(claim.expiresAt).toLocaleString()})`,
      );
      printLine('');
    }
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
    await served.server?.close();
    await running.stop(graceMs);
    project.logger.info('gateway stopped', { durationMs: Date.now() - stopStarted });
    printLine(`${colors.green('✓')} stopped in ${formatDuration(Date.now() - stopStarted)}: sandboxes closed, store flushed`);
  } finally {
    await served.composed.close(0);
  }
}
