#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Logger } from '@ngb/plugin-sdk';
import { createFakeLlmServer } from './fake-llm-server';
import { parseLlmScript } from './llm-script-file';

const usage = `Usage: ngb-fake-llm [options]

A scripted model server speaking the Anthropic Messages and OpenAI Chat Completions APIs.
Prints its URL, then serves until interrupted.

Options:
  --port <n>            port to listen on (default 0: any free port)
  --host <address>      address to bind (default 127.0.0.1)
  --script <file.json>  replies to give in order: an array of steps, or { "steps": [...] }
  --model <id>          a model id the server knows (repeatable; default fake-model)
  --any-model           accept every model id
  --api-key <key>       require this key (x-api-key or Authorization: Bearer)
  --strict              answer 500 once the script is used up, instead of the rule-based replies
  --quiet               do not log requests to stderr
  -h, --help            show this help

Once the script is used up, replies follow rules: a user message "run: <command>" gets a bash
tool call; tool results get a text quoting them; anything else gets "echo: <text>".

Point a client at it:
  Anthropic: baseURL = <url>       OpenAI-compatible: baseURL = <url>/v1
`;

function stderrLogger(quiet: boolean): Logger {
  const write = (level: string) => (message: string) => {
    if (!quiet || level !== 'info') process.stderr.write(`[ngb-fake-llm] ${message}\n`);
  };
  const logger: Logger = {
    debug: () => {},
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: () => logger,
  };
  return logger;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      script: { type: 'string' },
      model: { type: 'string', multiple: true },
      'any-model': { type: 'boolean', default: false },
      'api-key': { type: 'string' },
      strict: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be 0-65535, got "${values.port}"`);
  const script = values.script === undefined ? [] : parseLlmScript(await readFile(values.script, 'utf8'), values.script);
  const server = await createFakeLlmServer({
    script,
    port,
    host: values.host,
    models: values.model,
    acceptAnyModel: values['any-model'],
    apiKey: values['api-key'],
    whenScriptEmpty: values.strict ? 'error' : 'rules',
    logger: stderrLogger(values.quiet),
  });
  process.stdout.write(`${server.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ngb-fake-llm: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
