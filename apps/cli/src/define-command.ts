import { parseArgs } from 'node:util';
import type { ArgsDef, CommandDef } from 'citty';
import { CliExit } from './cli-error';

/** One flag or positional argument of a command. */
interface FlagDefinition {
  type: 'string' | 'boolean' | 'positional';
  description: string;
  /** One-letter short form (`-p`). */
  alias?: string;
  /** Shown in help as `--flag=<hint>`. */
  valueHint?: string;
  /** The flag may repeat (`-e A=1 -e B=2`); its value is an array. */
  multiple?: boolean;
  /** For positionals: the command cannot run without it. */
  required?: boolean;
}

/** The flags of a command by name. */
export type FlagDefinitions = Record<string, FlagDefinition>;

type FlagValue<F extends FlagDefinition> = F['type'] extends 'boolean'
  ? boolean
  : F['multiple'] extends true
    ? string[]
    : F['required'] extends true
      ? string
      : string | undefined;

/** Parsed flags, typed from their definitions, plus the flags every command has. */
export type Flags<D extends FlagDefinitions> = { [K in keyof D]: FlagValue<D[K]> } & {
  config: string | undefined;
  debug: boolean;
};

const commonFlags = {
  config: {
    type: 'string',
    description: 'Config file (default: ngb.config.json from here upwards, or NGB_CONFIG)',
    valueHint: 'file',
  },
  debug: { type: 'boolean', description: 'Verbose output, and stack traces on errors' },
} satisfies FlagDefinitions;

/**
 * Parses a command's raw arguments strictly: unknown flags, missing values, missing or extra
 * positionals end the command with one line naming the problem.
 */
export function parseFlags(
  commandPath: string,
  definitions: FlagDefinitions,
  rawArgs: readonly string[],
): Record<string, unknown> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  const positionalNames: Array<[string, FlagDefinition]> = [];
  for (const [name, definition] of Object.entries(definitions)) {
    if (definition.type === 'positional') positionalNames.push([name, definition]);
    else {
      options[name] = {
        type: definition.type,
        ...(definition.alias !== undefined ? { short: definition.alias } : {}),
        ...(definition.multiple === true ? { multiple: true } : {}),
      };
    }
  }
  const help = `see \`${commandPath} --help\``;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...rawArgs], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new CliExit(1, `${commandPath}: ${describeParseError(error as Error & { code?: string })} (${help})`);
  }
  const result: Record<string, unknown> = { ...parsed.values };
  for (const [name, definition] of Object.entries(definitions)) {
    if (definition.type === 'boolean') result[name] = result[name] === true;
    else if (definition.multiple === true) result[name] ??= [];
  }
  const positionals = [...parsed.positionals];
  for (const [name, definition] of positionalNames) {
    const value = positionals.shift();
    if (value === undefined && definition.required === true) throw new CliExit(1, `${commandPath}: missing <${name}> (${help})`);
    result[name] = value;
  }
  if (positionals.length > 0) throw new CliExit(1, `${commandPath}: unexpected argument "${positionals[0]}" (${help})`);
  return result;
}

function describeParseError(error: Error & { code?: string }): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
      return error.message.includes('argument missing') ? `option ${flag} needs a value` : `option ${flag} takes no value`;
    }
    default:
      return error.message.split('\n')[0] ?? 'invalid arguments';
  }
}

/** A leaf command: its help, its flags and what it does. */
export interface NgbCommandDefinition<D extends FlagDefinitions> {
  /** Full path for messages, such as `ngb session ls`. */
  path: string;
  description: string;
  args: D;
  /** Runs the command; throw {@link CliExit} for a non-zero exit. */
  run(flags: Flags<D>): Promise<void>;
}

/** Declares a leaf command for citty, with strict flag parsing and the common `--config` / `--debug` flags. */
export function defineNgbCommand<const D extends FlagDefinitions>(definition: NgbCommandDefinition<D>): CommandDef {
  const all: FlagDefinitions = { ...definition.args, ...commonFlags };
  // citty sees positionals as optional: the strict parser below names what is missing, in one line.
  const forCitty = Object.fromEntries(
    Object.entries(all).map(([name, flag]) => [name, flag.type === 'positional' ? { ...flag, required: false } : flag]),
  );
  return {
    meta: { name: definition.path.split(' ').at(-1), description: definition.description },
    args: forCitty as ArgsDef,
    run: async (context) => {
      await definition.run(parseFlags(definition.path, all, context.rawArgs) as Flags<D>);
    },
  };
}

/** Declares a command group (`ngb session ...`) whose subcommands load lazily. */
export function defineCommandGroup(
  name: string,
  description: string,
  subCommands: Record<string, () => Promise<CommandDef>>,
): CommandDef & { defaultSubCommand?: string } {
  return { meta: { name, description }, subCommands, defaultSubCommand: 'ls' };
}
