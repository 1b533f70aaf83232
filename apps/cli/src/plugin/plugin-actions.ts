import { rateLimitPluginName } from '@ngb/core';
import {
  type ConfiguredPlugin,
  changedSinceApproved,
  configuredPlugins,
  type LoadedConfig,
  locatePlugin,
  openPluginPins,
  type PluginLocation,
} from '@ngb/host';
import { errorMessage } from '@ngb/plugin-sdk';
import { fail } from '../cli-error';
import { colors } from '../colors';
import { parseLogLine } from '../logs/format-log-line';
import { readLastLines } from '../logs/read-log';
import { printLine } from '../output';
import { formatAge, table } from '../render/format';
import { loadProjectConfig } from '../with-project';

/** The latest `plugin.status` `ngb serve` logged for a plugin. */
interface ReportedStatus {
  plugin: string;
  state: string;
  version?: string;
  error?: string;
  at: number;
}

/** One row of `ngb plugin ls`. */
interface PluginRow {
  name: string;
  source: string;
  version: string | null;
  pin: string | null;
  state: string;
  detail?: string;
  reportedAt?: number;
}

/** The latest status `ngb serve` reported for each plugin, by where it came from (and by name). */
function reportedStatuses(logFile: string): Map<string, ReportedStatus> {
  const statuses = new Map<string, ReportedStatus>();
  const { lines } = readLastLines(logFile, 2000, (line) => line.includes('"plugin.status"'));
  for (const line of lines) {
    const record = parseLogLine(line);
    if (record?.event !== 'plugin.status' || record.command !== 'serve' || typeof record.plugin !== 'string') continue;
    const status: ReportedStatus = {
      plugin: record.plugin,
      state: String(record.state),
      version: typeof record.version === 'string' ? record.version : undefined,
      error: typeof record.error === 'string' ? record.error : undefined,
      at: Date.parse(String(record.time)),
    };
    const key = typeof record.source === 'string' ? record.source : record.plugin;
    // A failed reload says no version: the one running is the last loaded.
    statuses.set(key, { ...status, version: status.version ?? statuses.get(key)?.version });
  }
  return statuses;
}

function rowOf(entry: ConfiguredPlugin, location: PluginLocation | Error, reported: ReportedStatus | undefined): PluginRow {
  const source = entry.kind === 'package' ? 'npm' : `folder ${entry.label}`;
  const name = reported?.plugin ?? entry.label;
  if (location instanceof Error)
    return { name, source, version: null, pin: null, state: 'failed', detail: errorMessage(location) };
  const pinned = location.pin?.pinned;
  const pin = entry.kind === 'folder' ? null : pinned ? `${pinned.version} ${pinned.hash.slice(0, 19)}` : null;
  const base = { name, source, version: location.version ?? reported?.version ?? null, pin };
  if (location.pin?.state === 'changed')
    return { ...base, state: 'needs approval', detail: changedSinceApproved(entry, location) };
  const at = reported ? { reportedAt: reported.at } : {};
  switch (reported?.state) {
    case 'loaded':
    case 'reloaded':
      return { ...base, state: reported.state, ...at };
    case 'failed':
      return { ...base, state: 'failed', detail: `${reported.error ?? ''} (the previous version keeps running)`, ...at };
    case 'needs-approval':
      return { ...base, state: 'approved', detail: 'restart `ngb serve` to load it', ...at };
    default:
      return {
        ...base,
        state: location.pin?.state === 'new' ? 'not pinned yet' : 'not loaded yet',
        detail: 'loads when `ngb serve` starts',
      };
  }
}

function stateColor(row: PluginRow): string {
  const text = `${row.state}${row.detail ? `: ${row.detail}` : ''}`;
  if (row.state === 'loaded' || row.state === 'reloaded') return colors.green(text);
  if (row.state === 'failed') return colors.red(text);
  return row.state === 'needs approval' ? colors.yellow(text) : text;
}

/** `ngb plugin ls`. */
export async function listPlugins(flags: { config: string | undefined; json: boolean }): Promise<void> {
  const loaded = loadProjectConfig(flags);
  const reported = reportedStatuses(loaded.paths.logFile);
  const pins = openPluginPins(loaded.paths.dataDir);
  const rows: PluginRow[] = [];
  if (loaded.config.rateLimit !== undefined) {
    const status = reported.get(rateLimitPluginName);
    rows.push({
      name: rateLimitPluginName,
      source: 'built-in (rateLimit)',
      version: null,
      pin: null,
      state: status?.state ?? 'enabled',
    });
  }
  for (const entry of configuredPlugins(loaded.config, loaded.paths.root)) {
    const location = await locatePlugin(entry, { paths: loaded.paths, config: loaded.config, pins }).catch((error: unknown) =>
      error instanceof Error ? error : new Error(String(error)),
    );
    rows.push(rowOf(entry, location, reported.get(entry.label)));
  }
  if (flags.json) {
    printLine(JSON.stringify(rows));
    return;
  }
  if (rows.length === 0) {
    printLine(colors.dim('no plugins: name npm packages or local folders in "plugins" of ngb.config.json'));
    return;
  }
  const lines = table(
    ['NAME', 'SOURCE', 'VERSION', 'PIN', 'STATE'],
    rows.map((row) => [
      row.name,
      row.source,
      row.version ?? '-',
      row.pin ?? '-',
      `${stateColor(row)}${row.reportedAt !== undefined ? ` ${colors.dim(formatAge(row.reportedAt))}` : ''}`,
    ]),
  );
  printLine(colors.dim(lines[0] ?? ''));
  for (const line of lines.slice(1)) printLine(line);
}

function findPackageEntry(loaded: LoadedConfig, name: string): ConfiguredPlugin {
  const entries = configuredPlugins(loaded.config, loaded.paths.root);
  const entry = entries.find((candidate) => candidate.label === name);
  if (entry === undefined) {
    const names = entries.filter((candidate) => candidate.kind === 'package').map((candidate) => candidate.label);
    fail(`no npm plugin "${name}" in "plugins" of ngb.config.json${names.length > 0 ? ` (there: ${names.join(', ')})` : ''}`);
  }
  if (entry.kind === 'folder') fail(`"${name}" is a local folder: folders are your own code and are not pinned`);
  return entry;
}

/** `ngb plugin approve <name>`. */
export async function approvePlugin(flags: { config: string | undefined; name: string }): Promise<void> {
  const loaded = loadProjectConfig(flags);
  const entry = findPackageEntry(loaded, flags.name);
  const pins = openPluginPins(loaded.paths.dataDir);
  const location = await locatePlugin(entry, { paths: loaded.paths, config: loaded.config, pins }).catch((error: unknown) =>
    fail(errorMessage(error)),
  );
  const hash = location.hash;
  if (!hash || !location.pin) return fail(`"${flags.name}" is not an npm plugin`);
  const installed = `${location.version} (${hash.hash.slice(0, 19)}…, ${hash.files} files in ${hash.packages} package${hash.packages === 1 ? '' : 's'})`;
  if (location.pin.state === 'approved') {
    printLine(`${flags.name} is already approved as installed: ${installed}`);
    return;
  }
  const before = location.pin.pinned ? ` (was ${location.pin.pinned.version} ${location.pin.pinned.hash.slice(0, 19)}…)` : '';
  pins.set(flags.name, { version: location.version ?? '', hash: hash.hash }, new Date());
  printLine(`${colors.green('✓')} approved ${flags.name} ${installed}${before}; \`ngb serve\` loads it when it next starts`);
}
