import { defineNgbCommand, type FlagDefinitions } from '../define-command';
import { runtimeFlag } from './runtime-flag';

/** The flags of `ngb run`. */
export const runArgs = {
  prompt: { type: 'string', alias: 'p', description: 'The prompt; `-p -` reads it from stdin', valueHint: 'text' },
  agent: { type: 'string', alias: 'g', description: 'Agent folder to talk to (default: main)', valueHint: 'folder' },
  timeout: { type: 'string', description: 'Stop after this many seconds (exit code 124)', valueHint: 'seconds' },
  env: {
    type: 'string',
    alias: 'e',
    multiple: true,
    description: 'KEY=VALUE setting for the tools in the sandbox (repeatable; secret-looking names and values are refused)',
    valueHint: 'KEY=VALUE',
  },
  model: { type: 'string', description: 'Model id for this run', valueHint: 'id' },
  'max-tokens': { type: 'string', description: 'Output token limit per model call for this run', valueHint: 'n' },
  temperature: { type: 'string', description: 'Sampling temperature (0 to 2) for this run', valueHint: 't' },
  system: { type: 'string', description: "Replace the agent's system prompt for this run", valueHint: 'text' },
  stream: { type: 'boolean', description: 'Print the text and each tool call as they happen' },
  json: { type: 'boolean', description: 'Print one JSON object: text, sessionId, turnId, usage, toolCalls, durationMs, status' },
  runtime: runtimeFlag,
} as const satisfies FlagDefinitions;

/** `ngb run`: one prompt, one turn, the answer on stdout. */
export const runCommand = defineNgbCommand({
  path: 'ngb run',
  description:
    'Run one prompt through an agent (its tools run in the sandbox) and print the answer. ' +
    'Exit codes: 0 answered, 1 failed, 124 --timeout passed, 130 interrupted.',
  args: runArgs,
  async run(flags) {
    const { executeRun } = await import('../conversation/execute-run');
    await executeRun(flags);
  },
});
