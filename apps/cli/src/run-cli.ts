import type { CommandDef } from 'citty';
import packageJson from '../package.json' with { type: 'json' };
import { CliExit } from './cli-error';
import { colors } from './colors';
import { suggestCommand, topLevelHelp } from './command-summaries';
import { commandTable } from './command-table';
import { printError } from './output';

/** The version printed by `ngb --version`. */
const cliVersion: string = packageJson.version;

type Group = CommandDef & { defaultSubCommand?: string };

/**
 * Runs the `ngb` command line. Loads only the command that runs (`ngb --help` loads none) and
 * turns every failure into one line on stderr (the stack with `--debug`).
 * @param argv the arguments after `ngb`
 * @returns the process exit code
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const args = hoistGlobalFlags(argv);
  const end = args.indexOf('--');
  let head = end === -1 ? [...args] : args.slice(0, end);
  const debug = head.includes('--debug');
  let wantsHelp = head.includes('--help') || head.includes('-h');
  let nameIndex = head.findIndex((arg) => !arg.startsWith('-'));
  if (head[nameIndex] === 'help') {
    args.splice(nameIndex, 1);
    head = head.filter((_, index) => index !== nameIndex);
    wantsHelp = true;
    nameIndex = head.findIndex((arg) => !arg.startsWith('-'));
  }
  const name = nameIndex === -1 ? undefined : head[nameIndex];
  if (name === undefined) {
    if (head.includes('--version')) {
      process.stdout.write(`${cliVersion}\n`);
      return 0;
    }
    const unknown = head.find((arg) => !['--help', '-h', '--debug'].includes(arg));
    if (unknown !== undefined) {
      printError(`ngb: unknown option ${unknown} (see \`ngb --help\`)`);
      return 1;
    }
    process.stdout.write(topLevelHelp(cliVersion));
    return 0;
  }
  const entry = commandTable.find((candidate) => candidate.name === name);
  if (!entry) {
    const suggestion = suggestCommand(name);
    printError(
      `ngb: unknown command "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; run \`ngb --help\` for the list`,
    );
    return 1;
  }
  const rest = args.slice(nameIndex + 1);
  try {
    const command = (await entry.load()) as Group;
    if (wantsHelp) {
      // citty (and the logger it loads) only for help: a command that runs starts faster without it.
      const citty = await import('citty');
      const usage = await renderHelp(citty.renderUsage, command, rest, `ngb ${name}`);
      process.stdout.write(`${usage.replace(/`([^`\n]+)`/g, (_, code: string) => colors.cyan(code)).replace(/[ \t]+$/gm, '')}\n`);
      return 0;
    }
    const subCommands = command.subCommands as Record<string, unknown> | undefined;
    if (subCommands !== undefined && command.defaultSubCommand !== undefined) {
      const subName = rest.find((arg) => !arg.startsWith('-'));
      if (subName === undefined) rest.unshift(command.defaultSubCommand);
      else if (!(subName in subCommands)) {
        const suggestion = suggestCommand(subName, Object.keys(subCommands));
        const hint = suggestion ? `did you mean "${suggestion}"?` : `commands: ${Object.keys(subCommands).join(', ')}`;
        throw new CliExit(1, `ngb ${name}: unknown command "${subName}" (${hint})`);
      }
    }
    await dispatch(command, rest);
    return 0;
  } catch (error) {
    return reportError(error, debug);
  }
}

/**
 * Runs a command, or the subcommand the first positional names (with the arguments after it). Every
 * command parses its own flags from `rawArgs` (see `defineNgbCommand`).
 */
async function dispatch(command: CommandDef, rawArgs: string[]): Promise<void> {
  const subCommands = command.subCommands as Record<string, () => Promise<CommandDef>> | undefined;
  const index = rawArgs.findIndex((arg) => !arg.startsWith('-'));
  const load = index === -1 ? undefined : subCommands?.[rawArgs[index] ?? ''];
  if (load !== undefined) return dispatch(await load(), rawArgs.slice(index + 1));
  if (command.run === undefined) throw new CliExit(1, 'ngb: this command needs a subcommand (see --help)');
  await command.run({ rawArgs, args: { _: rawArgs }, cmd: command } as Parameters<NonNullable<CommandDef['run']>>[0]);
}

/** Moves `--debug` and `--config <file>` given before the command name to after it. */
function hoistGlobalFlags(argv: readonly string[]): string[] {
  const leading: string[] = [];
  let index = 0;
  while (index < argv.length) {
    const arg = argv[index] ?? '';
    if (arg === '--debug' || arg.startsWith('--config=')) leading.push(arg);
    else if (arg === '--config' && index + 1 < argv.length) {
      leading.push(arg, argv[index + 1] ?? '');
      index += 1;
    } else break;
    index += 1;
  }
  const rest = argv.slice(index);
  const end = rest.indexOf('--');
  if (end === -1) return [...rest, ...leading];
  return [...rest.slice(0, end), ...leading, ...rest.slice(end)];
}

async function renderHelp(
  renderUsage: (command: CommandDef, parent?: CommandDef) => Promise<string>,
  command: CommandDef,
  rest: readonly string[],
  path: string,
): Promise<string> {
  let current = command;
  let currentPath = path;
  let remaining = [...rest];
  for (;;) {
    const subCommands = current.subCommands as Record<string, () => Promise<CommandDef>> | undefined;
    const next = remaining.find((arg) => !arg.startsWith('-'));
    const load = next === undefined ? undefined : subCommands?.[next];
    if (load === undefined || next === undefined) break;
    current = await load();
    currentPath = `${currentPath} ${next}`;
    remaining = remaining.slice(remaining.indexOf(next) + 1);
  }
  const parentPath = currentPath.split(' ').slice(0, -1).join(' ');
  return renderUsage(current, { meta: { name: parentPath, version: cliVersion } });
}

function reportError(error: unknown, debug: boolean): number {
  if (error instanceof CliExit) {
    if (error.message !== '') printError(error.message);
    return error.exitCode;
  }
  const value = error as Error & { code?: string; cause?: unknown };
  if (value?.name === 'CLIError') {
    printError(`ngb: ${value.message}`);
    return 1;
  }
  const isProjectError = typeof value?.code === 'string' && value.name !== 'Error' && /Error$/.test(value.name);
  const message = value instanceof Error ? value.message : String(error);
  const line = isProjectError || !(value instanceof Error) ? message : `${value.name}: ${message}`;
  printError(debug || isProjectError ? line : `${line} (--debug shows the stack trace)`);
  if (debug) {
    process.stderr.write(`${value?.stack ?? ''}\n`);
    if (value?.cause !== undefined) process.stderr.write(`caused by: ${(value.cause as Error)?.stack ?? String(value.cause)}\n`);
  }
  return 1;
}
