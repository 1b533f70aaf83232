import { loadChannelManifests } from '@ngb/host';
import { colors } from '../colors';
import { parseLogLine } from '../logs/format-log-line';
import { readLastLines } from '../logs/read-log';
import { printLine } from '../output';
import { formatAge, table } from '../render/format';
import { loadProjectConfig } from '../with-project';
import { inspectChannel } from './channel-status';

function stateColor(state: string): string {
  if (state === 'connected') return colors.green(state);
  if (state === 'failed' || state === 'disconnected') return colors.red(state);
  return state === 'degraded' ? colors.yellow(state) : state;
}

/** `ngb channel ls`. */
export async function listChannels(flags: { config: string | undefined; json: boolean }): Promise<void> {
  const loaded = loadProjectConfig(flags);
  const reports = await Promise.all(
    (await loadChannelManifests()).map((manifest) => inspectChannel(manifest, loaded.config, process.env)),
  );
  const lastStatus = new Map<string, { state: string; error?: string; at: number }>();
  const { lines } = readLastLines(loaded.paths.logFile, 2000, (line) => line.includes('"channel.status"'));
  for (const line of lines) {
    const record = parseLogLine(line);
    const status = record?.status as { state?: string; error?: string; detail?: string } | undefined;
    if (typeof record?.channel === 'string' && status?.state) {
      const error = status.error ?? (status.state === 'degraded' ? status.detail : undefined);
      lastStatus.set(record.channel, { state: status.state, error, at: Date.parse(String(record.time)) });
    }
  }
  if (flags.json) {
    printLine(JSON.stringify(reports.map((report) => ({ ...report, lastStatus: lastStatus.get(report.name) ?? null }))));
    return;
  }
  const rows = reports.map((report) => {
    const status = lastStatus.get(report.name);
    return [
      report.name,
      report.enabled ? colors.green('enabled') : report.configured ? 'disabled' : colors.dim('off'),
      report.missing.length > 0
        ? report.enabled
          ? colors.red(`missing ${report.missing.map((item) => item.split(' ')[0]).join(', ')}`)
          : colors.dim('not set')
        : 'ok',
      report.adapter === 'ready' ? 'ready' : colors.yellow(report.adapter),
      status
        ? `${stateColor(status.state)}${status.error ? ` (${status.error})` : ''} ${colors.dim(formatAge(status.at))}`
        : colors.dim('-'),
    ];
  });
  const tableLines = table(['CHANNEL', 'CONFIG', 'SECRETS', 'ADAPTER', 'LAST STATUS (ngb serve)'], rows);
  printLine(colors.dim(tableLines[0] ?? ''));
  for (const line of tableLines.slice(1)) printLine(line);
}
