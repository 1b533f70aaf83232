import { describe, expect, it } from 'vitest';
import { CliExit } from './cli-error';
import { type FlagDefinitions, parseFlags } from './define-command';

const definitions = {
  id: { type: 'positional', description: 'id', required: true },
  prompt: { type: 'string', alias: 'p', description: 'prompt' },
  env: { type: 'string', alias: 'e', multiple: true, description: 'env' },
  json: { type: 'boolean', description: 'json' },
} satisfies FlagDefinitions;

function refusal(args: string[]): string {
  try {
    parseFlags('ngb test', definitions, args);
  } catch (error) {
    if (error instanceof CliExit) return error.message;
    throw error;
  }
  throw new Error('the arguments were accepted');
}

describe('parseFlags', () => {
  it('parses positionals, short and long flags, repeats and booleans', () => {
    expect(parseFlags('ngb test', definitions, ['abc', '-p', '-', '-e', 'A=1', '--env', 'B=2', '--json'])).toEqual({
      id: 'abc',
      prompt: '-',
      env: ['A=1', 'B=2'],
      json: true,
    });
    expect(parseFlags('ngb test', definitions, ['abc'])).toEqual({ id: 'abc', prompt: undefined, env: [], json: false });
  });

  it('refuses in one line, naming the flag and where the help is', () => {
    expect(refusal(['abc', '--nope'])).toBe('ngb test: unknown option --nope (see `ngb test --help`)');
    expect(refusal(['abc', '-p'])).toBe('ngb test: option --prompt needs a value (see `ngb test --help`)');
    expect(refusal(['abc', '--json=yes'])).toBe('ngb test: option --json takes no value (see `ngb test --help`)');
    expect(refusal([])).toBe('ngb test: missing <id> (see `ngb test --help`)');
    expect(refusal(['abc', 'def'])).toBe('ngb test: unexpected argument "def" (see `ngb test --help`)');
  });
});
