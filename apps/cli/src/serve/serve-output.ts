import type { TimedGatewayEvent } from '@ngb/core';
import type { LogLevel } from '@ngb/plugin-sdk';
import { colors } from '../colors';
import { printLine, printNote, printWarning } from '../output';
import { formatLocalTime } from '../render/format';
import { describeEvent } from './describe-event';

/** What `ngb serve` shows once it is ready. */
interface ServeReady {
  readyMs: number;
  agents: string[];
  channels: string[];
  runtime: string;
  model: string;
  logFile: string;
  url?: string;
  /** Where the channels in webhook mode take their platform's requests. */
  webhooks: string[];
}

/** The one-time code that makes its sender the owner; none once the gateway has one. */
type ServeClaim = { code: string; expiresAt: number } | undefined;

/** Where `ngb serve` writes what a person (or a log shipper) reads: lines for people, or JSON. */
export interface ServeOutput {
  /** Echoes a log record as the file logger writes it. */
  echo(level: LogLevel, message: string, fields: Record<string, unknown>, tag: string | undefined): void;
  event(event: TimedGatewayEvent): void;
  warning(message: string): void;
  note(message: string): void;
  /**
   * Shows that the gateway is ready, then the claim code once it is made (text: the ready lines at
   * once, the code after them; json: one record with both). Settles when all of it is written.
   */
  ready(ready: ServeReady, claim: Promise<ServeClaim>): Promise<void>;
  stopped(durationMs: number): void;
}

/**
 * The console of `ngb serve`. `text`: a banner and one line per notable event for a person (with
 * `debug`, every log record on stderr too). `json`: one JSON object per line on stdout for a log
 * shipper — every log record at the configured level, each notable event, the ready record (with
 * the claim code, which the log file never holds) — and nothing else.
 * @param formatDuration renders milliseconds for people
 */
export function createServeOutput(format: 'text' | 'json', debug: boolean, formatDuration: (ms: number) => string): ServeOutput {
  if (format === 'json') {
    const write = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(record)}\n`);
    const now = () => new Date().toISOString();
    return {
      echo: (level, msg, fields, tag) => write({ time: now(), level, ...(tag ? { tag } : {}), msg, ...fields }),
      event(event) {
        if (describeEvent(event, debug) === undefined) return;
        // What people write stays out unless --debug, as in the text console.
        const { text: _text, ...rest } = event as TimedGatewayEvent & { text?: string };
        const shown = event.type === 'message.received' && !debug ? rest : event;
        write({ time: new Date(event.at).toISOString(), level: 'info', msg: 'event', event: shown });
      },
      warning: (msg) => write({ time: now(), level: 'warn', msg }),
      note: (msg) => write({ time: now(), level: 'info', msg }),
      async ready(ready, claim) {
        const code = await claim;
        write({ time: now(), level: 'info', msg: 'ngb serve ready', ...ready, ...(code ? { claim: code } : {}) });
      },
      stopped: (durationMs) => write({ time: now(), level: 'info', msg: 'ngb serve stopped', durationMs }),
    };
  }
  return {
    echo(level, message, fields, tag) {
      if (!debug && (level === 'debug' || level === 'info')) return;
      const color = level === 'error' ? colors.red : level === 'warn' ? colors.yellow : colors.dim;
      process.stderr.write(
        `${color(`${level.padEnd(5)} ${tag ? `[${tag}] ` : ''}${message}`)} ${colors.dim(JSON.stringify(fields))}\n`,
      );
    },
    event(event) {
      const line = describeEvent(event, debug);
      if (line !== undefined) printLine(line);
    },
    warning: printWarning,
    note: printNote,
    async ready(ready, claim) {
      printLine(`${colors.green('✓')} ngb serve: gateway ready in ${formatDuration(ready.readyMs)}`);
      printLine(`  agents   ${ready.agents.join(', ') || 'none (add one with `ngb agent add`)'}`);
      printLine(`  channels ${ready.channels.join(', ') || 'none enabled: the gateway runs and waits'}`);
      printLine(`  runtime  ${ready.runtime}`);
      printLine(`  model    ${ready.model}`);
      printLine(`  log      ${ready.logFile}  (follow it with \`ngb logs -f\`)`);
      if (ready.url) printLine(`  open     ${colors.bold(ready.url)}  (dashboard and web chat)`);
      for (const url of ready.webhooks) printLine(`  webhook  ${url}`);
      if (ready.webhooks.length > 0) {
        printNote('The platform must reach each webhook at a public https URL: put a reverse proxy or a tunnel in front of it.');
      }
      // The code is made in the store after the gateway is ready: it is not part of being ready.
      const made = await claim;
      if (made) {
        const { code, expiresAt } = made;
        printLine('');
        printLine(`  ${colors.bold('This gateway has no owner yet.')} Claim it with the one-time code ${colors.bold(code)}:`);
        printLine(`  send /claim ${code} from any chat, or the dashboard's chat (valid until ${formatLocalTime(expiresAt)})`);
        printLine('');
      }
      printNote('Ctrl-C stops the gateway.');
    },
    stopped(durationMs) {
      printLine(`${colors.green('✓')} stopped in ${formatDuration(durationMs)}: sandboxes closed, store flushed`);
    },
  };
}
