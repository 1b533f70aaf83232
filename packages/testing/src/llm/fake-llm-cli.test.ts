import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';

const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));
const cliSource = fileURLToPath(new URL('./fake-llm-cli.ts', import.meta.url));
// jiti compiles the CLI's TypeScript on the fly, so the test needs no build.
const typeScriptLoader = import.meta.resolve('jiti/register');
let child: ChildProcessByStdio<null, Readable, Readable> | undefined;

afterEach(() => {
  child?.kill('SIGTERM');
  child = undefined;
});

/** Runs the CLI from its sources and collects its output. */
function runCli(args: string[]) {
  const started = spawn(process.execPath, ['--import', typeScriptLoader, cliSource, ...args], {
    cwd: packageDirectory,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  const output = { stdout: '', stderr: '' };
  started.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  started.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => started.on('exit', (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    started.stdout.on('data', () => {
      const newline = output.stdout.indexOf('\n');
      if (newline >= 0) resolve(output.stdout.slice(0, newline));
    });
    started.on('exit', (code) => reject(new Error(`exited with ${code}: ${output.stderr}`)));
  });
  // Runs that are expected to exit never read the URL.
  firstLine.catch(() => {});
  return { process: started, output, exited, firstLine };
}

describe('ngb-fake-llm', () => {
  it('prints its URL and serves the script file to a real SDK, logging each request', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'ngb-fake-llm-'));
    const script = join(directory, 'script.json');
    await writeFile(script, JSON.stringify({ steps: [{ type: 'reply', text: 'from the file' }] }));
    const run = runCli(['--port', '0', '--script', script, '--model', 'claude-fake']);
    const url = await run.firstLine;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const client = new Anthropic({ apiKey: 'any', baseURL: url, maxRetries: 0, logLevel: 'off' });
    const first = await client.messages.create({
      model: 'claude-fake',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const second = await client.messages.create({
      model: 'claude-fake',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect([first.content[0], second.content[0]]).toMatchObject([{ text: 'from the file' }, { text: 'echo: hello' }]);
    expect(run.output.stderr).toContain('POST /v1/messages model=claude-fake stream=false → 200');

    run.process.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('exits with 2 and names the problem for an invalid script', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'ngb-fake-llm-'));
    const script = join(directory, 'bad.json');
    await writeFile(script, '[{"type":"reply","stopReason":"sometimes"}]');
    const run = runCli(['--script', script]);
    expect(await run.exited).toBe(2);
    expect(run.output.stderr).toContain('bad.json at steps.0.stopReason');
  });

  it('prints its usage with --help', async () => {
    const run = runCli(['--help']);
    expect(await run.exited).toBe(0);
    expect(run.output.stdout).toContain('Usage: ngb-fake-llm');
  });
});
