import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProject, localRuntime, runCli, useProjectWithModel, waitFor, withoutIsolationWarning } from './cli-harness';

const fixture = useProjectWithModel('run', localRuntime);

beforeEach(() => fixture.server.script([]));

const run = (args: string[], options: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}) =>
  runCli(['run', ...args], {
    cwd: fixture.project.dir,
    env: { ...fixture.model, ...options.env },
    input: options.input,
    timeoutMs: options.timeoutMs,
  });

describe('ngb run', { timeout: 60_000 }, () => {
  it('prints the answer on stdout and nothing else', async () => {
    const result = await run(['-p', 'hello there']);
    expect(withoutIsolationWarning(result.stderr)).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('echo: hello there\n');
    expect(fixture.server.requests()).toHaveLength(1);
  });

  it('--json prints one JSON object with text, ids, usage, tool calls, duration and status', async () => {
    const result = await run(['-p', 'as json', '--json']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const output = JSON.parse(lines[0] ?? '');
    expect(output).toMatchObject({ status: 'succeeded', text: 'echo: as json', agent: 'main', toolCalls: [] });
    expect(output.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(output.turnId).toMatch(/^[0-9a-f-]{36}$/);
    expect(output.usage.inputTokens).toBeGreaterThan(0);
    expect(output.usage.outputTokens).toBeGreaterThan(0);
    expect(output.durationMs).toBeGreaterThan(0);
  });

  it('`-p -` reads the prompt from stdin', async () => {
    const result = await run(['-p', '-'], { input: 'from standard input\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('echo: from standard input\n');
  });

  it('--timeout stops a slow turn with exit code 124 and one clear line; the turn is recorded as failed', async () => {
    fixture.server.script([{ type: 'reply', text: 'too late', firstByteDelayMs: 6_000 }]);
    const started = Date.now();
    const result = await run(['-p', 'take your time', '--timeout', '1', '--json']);
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(result.code).toBe(124);
    expect(withoutIsolationWarning(result.stderr).trim()).toBe('✖ ngb run: timed out after 1 s; the turn was stopped');
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({ status: 'timeout', error: 'timed out after 1 s (ngb run --timeout)' });
    const shown = await runCli(['session', 'show', output.sessionId.slice(0, 8)], { cwd: fixture.project.dir });
    expect(shown.stdout).toContain('failed');
    expect(shown.stdout).toContain('timed out after 1 s');
    // The fake server records the abandoned request when its slow answer ends: let that happen here,
    // not in a later test that counts requests.
    await waitFor(() => fixture.server.requests().length === 1, 'the slow request to be recorded');
  });

  it('a failing model ends with exit code 1 and the error in one line', async () => {
    fixture.server.script([{ type: 'error', status: 400, message: 'the fake refuses this' }]);
    const result = await run(['-p', 'please fail']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(withoutIsolationWarning(result.stderr).trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('ngb run: the turn failed: LlmApiError');
    expect(result.stderr).toContain('the fake refuses this');
  });

  it('--model, --max-tokens, --temperature and --system apply to this run', async () => {
    const result = await run([
      '-p',
      'tuned',
      '--model',
      'tiny-model',
      '--max-tokens',
      '77',
      '--temperature',
      '0.3',
      '--system',
      'Answer in one word.',
    ]);
    expect(result.code).toBe(0);
    const [request] = fixture.server.requests();
    expect(request?.model).toBe('tiny-model');
    expect(request?.system).toBe('Answer in one word.');
    expect(request?.body).toMatchObject({ max_tokens: 77, temperature: 0.3 });
  });

  it('without any model setting it says which variables to set, and runs nothing', async () => {
    const result = await runCli(['run', '-p', 'hi'], { cwd: fixture.project.dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    for (const variable of ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'OPENAI_BASE_URL']) expect(result.stderr).toContain(variable);
    expect(result.stderr).toContain('local OpenAI-compatible server');
  });

  it('-e KEY=VALUE reaches the tools in the sandbox; secret-looking names and bad forms are refused', async () => {
    const result = await run(['-p', 'run: echo "greeting=$GREETING"', '-e', 'GREETING=hello there']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('greeting=hello there');
    const requests = fixture.server.requests().length;
    const secret = await run(['-p', 'hi', '-e', 'GITHUB_TOKEN=x']);
    expect(secret.code).toBe(1);
    expect(secret.stderr.trim()).toBe(
      '✖ ngb run: -e "GITHUB_TOKEN" looks like the name of a secret, and no secret may enter a sandbox (pass secrets to the gateway\'s config, never to tools)',
    );
    const malformed = await run(['-p', 'hi', '-e', 'NOEQUALS']);
    expect(malformed.stderr.trim()).toBe('✖ ngb run: -e expects KEY=VALUE, got "NOEQUALS"');
    expect(fixture.server.requests()).toHaveLength(requests);
  });

  it('-e refuses a secret-looking value under an innocent name, without repeating the value', async () => {
    const requests = fixture.server.requests().length;
    const key = ['sk-ant-', 'api03-', 'q7Rk2LmX9vTb4NcZ8wYp3HdJ6sFg1AeU5'].join('');
    const result = await run(['-p', 'hi', '-e', `SETTING=${key}`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(withoutIsolationWarning(result.stderr).trim()).toBe(
      '✖ ngb run: -e the value of "SETTING" looks like an Anthropic API key, and no secret may enter a sandbox (pass secrets to the gateway\'s config, never to tools)',
    );
    const bare = await run(['-p', 'hi', '-e', key]);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/-e expects KEY=VALUE, got a secret-looking value/);
    for (const output of [result.stdout, result.stderr, bare.stdout, bare.stderr]) expect(output).not.toContain('q7Rk2LmX9vTb4');
    expect(fixture.server.requests()).toHaveLength(requests);
  });

  it('refuses the bridge network of old in the config, naming the key, before any model call', async () => {
    const requests = fixture.server.requests().length;
    const config = JSON.parse(readFileSync(join(fixture.project.dir, 'ngb.config.json'), 'utf8'));
    config.agents = { main: { network: 'egress' } };
    writeFileSync(join(fixture.project.dir, 'egress.config.json'), JSON.stringify(config));
    const result = await run(['-p', 'hi', '--config', 'egress.config.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('key "agents.main.network" must be "none" or { "allow": ["example.com", "*.example.org"]');
    expect(fixture.server.requests()).toHaveLength(requests);
  });

  it('never runs a tool of an agent with an egress allowlist on the local runtime, which cannot enforce it', async () => {
    const config = JSON.parse(readFileSync(join(fixture.project.dir, 'ngb.config.json'), 'utf8'));
    config.agents = { main: { network: { allow: ['example.com'] } } };
    writeFileSync(join(fixture.project.dir, 'allowlist.config.json'), JSON.stringify(config));
    fixture.server.script([
      { type: 'reply', toolCalls: [{ name: 'bash', input: { command: 'echo ran-on-the-host' } }] },
      { type: 'reply', text: 'after the tool' },
    ]);
    const result = await run(['-p', 'fetch it', '--config', 'allowlist.config.json', '--json']);
    const output = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
    // The sandbox was refused before bash could start: the call's output is the refusal, not the echo.
    expect(output.toolCalls).toMatchObject([
      {
        name: 'bash',
        isError: true,
        output: expect.stringMatching(/^NotSupportedError: .*the local runtime cannot limit the network/),
      },
    ]);
    expect(output.toolCalls[0].output).not.toContain('ran-on-the-host');
  });

  it('refuses bad values and an unknown agent in one line each', async () => {
    const temperature = await run(['-p', 'hi', '--temperature', '5']);
    expect(temperature.code).toBe(1);
    expect(temperature.stderr.trim()).toBe('✖ --temperature must be a number from 0 to 2, not "5"');
    const timeout = await run(['-p', 'hi', '--timeout', '0']);
    expect(timeout.stderr.trim()).toBe('✖ --timeout must be a number above 0 and at most 604800, not "0"');
    // Past 2^31-1 ms a timer fires at once: such a timeout would stop every run immediately.
    const overflow = await run(['-p', 'hi', '--timeout', '3000000']);
    expect(overflow.code).toBe(1);
    expect(overflow.stderr.trim()).toBe('✖ --timeout must be a number above 0 and at most 604800, not "3000000"');
    const agent = await run(['-p', 'hi', '-g', 'nobody']);
    expect(agent.code).toBe(1);
    expect(agent.stderr.trim()).toBe('✖ unknown agent "nobody" (agents: main); add one with `ngb agent add nobody`');
    const empty = await run(['-p', '   ']);
    expect(empty.stderr.trim()).toBe('✖ ngb run: the prompt is empty');
    expect(fixture.server.requests()).toHaveLength(0);
  });
});

describe('ngb run with the local runtime', { timeout: 60_000 }, () => {
  let local: { dir: string; remove: () => void };
  beforeAll(async () => {
    local = await createProject('run-local', (config) => {
      config.runtime = { driver: 'local' };
    });
  });
  afterAll(() => local?.remove());

  it('runs the tool call on this machine and says plainly that it is not isolated', async () => {
    const result = await runCli(['run', '-p', 'run: echo made-by-a-local-tool', '--stream'], {
      cwd: local.dir,
      env: fixture.model,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('NOT ISOLATED');
    expect(result.stderr).toContain('⚙ bash  echo made-by-a-local-tool');
    expect(result.stderr).toContain('✓ bash');
    expect(result.stdout).toContain('made-by-a-local-tool');
  });
});
