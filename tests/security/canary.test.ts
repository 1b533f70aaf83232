import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createFakeLlmServer, createFakeTelegramServer, type FakeLlmServer, type FakeTelegramServer } from '@ngb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  assertBuilt,
  cliEnv,
  createProject,
  runCli,
  type ServeProcess,
  startServe,
  waitFor,
} from '../../apps/cli/test/cli-harness';
import { describeWithDocker } from '../../apps/cli/test/docker-gate';

// Secrets planted where an operator keeps them (the environment of `ngb serve`, the model key, a
// channel token in the config file), then a session that runs tools, fails, is read through every
// GET route of the API and the logs: no output, log, database byte or sandbox may carry any of them.

const random = () => randomBytes(12).toString('hex');
const canaries = {
  environment: `canary-env-${random()}`,
  modelKey: `sk-canary-${random()}`,
  channelToken: `424242:canaryTelegram${random()}`,
};

let model: FakeLlmServer;
let telegram: FakeTelegramServer;
let project: { dir: string; remove: () => void };
let serve: ServeProcess;
let baseUrl: string;

function leaksIn(text: string): string[] {
  return Object.entries(canaries)
    .filter(([, canary]) => text.includes(canary))
    .map(([name]) => name);
}

/** Every file under `directory`, as raw bytes read as latin1 (databases and their WAL included). */
function filesUnder(directory: string): Array<{ path: string; bytes: string }> {
  const files: Array<{ path: string; bytes: string }> = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(path));
    else if (entry.isFile() && statSync(path).size < 256 * 1024 * 1024) files.push({ path, bytes: readFileSync(path, 'latin1') });
  }
  return files;
}

const said = () => telegram.sent.filter((sent) => sent.method === 'sendMessage' || sent.method === 'editMessageText');

/**
 * The reply to `text` as the chat shows it once `expected` holds: every message sent after it, each
 * as its last edit left it, joined (a streamed reply past Telegram's length limit goes on in a new
 * message, so the probe's output can span several).
 */
async function say(text: string, expected: (reply: string) => boolean, what: string): Promise<string> {
  const before = said().length;
  await telegram.injectMessage({ chatId: 1001, from: { id: 77, first_name: 'Ann' }, text });
  const shown = () => {
    const messages = new Map<number | undefined, string>();
    for (const sent of said().slice(before)) messages.set(sent.messageId, sent.text ?? '');
    return [...messages.values()].join('\n');
  };
  return waitFor(
    () => {
      const reply = shown();
      return expected(reply) ? reply : undefined;
    },
    () => `${what} (so far: ${shown().slice(-500)}; stderr: ${serve.stderr()})`,
    60_000,
  );
}

describeWithDocker('a canary secret planted in the environment, the model key and a channel token', () => {
  beforeAll(async () => {
    assertBuilt();
    model = await createFakeLlmServer({ acceptAnyModel: true, apiKey: canaries.modelKey });
    telegram = await createFakeTelegramServer({ token: canaries.channelToken });
    project = await createProject('canary', (config) => {
      config.runtime = { driver: 'docker', image: process.env.NGB_TEST_IMAGE || 'ngb-agent:latest' };
      config.channels = {
        telegram: { enabled: true, apiRoot: telegram.apiRoot, pollTimeoutSeconds: 5, botToken: canaries.channelToken },
      };
    });
    serve = await startServe(
      project.dir,
      cliEnv({ OPENAI_BASE_URL: `${model.url}/v1`, OPENAI_API_KEY: canaries.modelKey, NGB_CANARY_SECRET: canaries.environment }),
    );
    const url = /open\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout() + serve.stderr())?.[1];
    if (!url) throw new Error(`no dashboard address in the output of ngb serve: ${serve.stdout()}${serve.stderr()}`);
    baseUrl = url;
    const code = /send \/claim ([0-9A-Z]{10})/.exec(serve.stdout())?.[1];
    await waitFor(() => telegram.calls.find((call) => call.method === 'getUpdates'), 'the first poll', 20_000);
    await say(`/claim ${code}`, (reply) => /owner/.test(reply), 'the claim answer');
  }, 120_000);

  afterAll(async () => {
    if (serve) await serve.stop();
    await telegram?.close();
    await model?.close();
    project?.remove();
  });

  it('reaches no tool: the environment, every process environment and the mounted folders of the sandbox hold none', async () => {
    const reply = await say(
      "run: env; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $f; done 2>/dev/null; grep -rl canary /workspace /tmp 2>/dev/null; echo probe-done",
      // On a line of its own: the command quoted at the top of a streamed reply holds the word too.
      (text) => /^probe-done$/m.test(text),
      'the reply with the probe output',
    );
    expect(reply).toContain('HOME=/tmp');
    expect(leaksIn(reply)).toEqual([]);
  });

  it('leaks through no failure: a failing tool, a failing model call', async () => {
    const failed = await say(
      'run: cat /no/such/file; exit 3',
      (text) => /No such file|exit|3/.test(text),
      'the failed tool reply',
    );
    expect(leaksIn(failed)).toEqual([]);
    model.enqueue({ type: 'error', status: 400, message: 'refused by the script' });
    const told = await say('this turn fails', (text) => text.length > 0, 'the failure notice');
    expect(leaksIn(told)).toEqual([]);
    expect(leaksIn(JSON.stringify(said()))).toEqual([]);
  });

  it('answers no GET route of the API with it', async () => {
    const document = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(document.paths).filter(([path, methods]) => 'get' in methods && !path.endsWith('/events'));
    expect(routes.length).toBeGreaterThan(10);
    let answered = 0;
    for (const [path] of routes) {
      let url = path;
      const parameter = /^(.*?)\/\{[^}]+\}/.exec(path);
      if (parameter) {
        const listing = (await (await fetch(`${baseUrl}${parameter[1]}`)).json()) as { items?: Array<{ id?: string }> };
        const id = listing.items?.[0]?.id;
        if (id === undefined) continue;
        url = path.replace(/\{[^}]+\}/, encodeURIComponent(id));
      }
      const response = await fetch(`${baseUrl}${url}`);
      const text = await response.text();
      expect(leaksIn(text), `GET ${url}`).toEqual([]);
      answered += 1;
    }
    expect(answered).toBeGreaterThan(10);
    for (const page of ['/', '/metrics', '/readyz', '/healthz']) {
      const text = await (await fetch(`${baseUrl}${page}`)).text();
      expect(leaksIn(text), page).toEqual([]);
    }
  });

  it('is in no output of the CLI: `ngb logs`, `ngb session ls`, `ngb channel ls`, `ngb doctor`', async () => {
    for (const args of [
      ['logs', '--json', '--level', 'debug', '-n', '5000'],
      ['logs', '--level', 'debug', '-n', '5000'],
      ['session', 'ls'],
      ['channel', 'ls'],
      ['doctor'],
    ]) {
      const result = await runCli(args, {
        cwd: project.dir,
        env: { OPENAI_BASE_URL: `${model.url}/v1`, OPENAI_API_KEY: canaries.modelKey },
      });
      expect(leaksIn(result.stdout + result.stderr), `ngb ${args.join(' ')}`).toEqual([]);
    }
    expect(leaksIn(serve.stdout() + serve.stderr()), 'the output of ngb serve').toEqual([]);
  });

  it('is in no file the gateway wrote: the log file, the SQLite database and its WAL, the agent folders', async () => {
    const files = filesUnder(project.dir).filter((file) => relative(project.dir, file.path) !== 'ngb.config.json');
    const names = files.map((file) => relative(project.dir, file.path));
    expect(names.some((name) => name.endsWith('.jsonl'))).toBe(true);
    expect(names.some((name) => /\.(db|sqlite)(-wal)?$/.test(name))).toBe(true);
    // The session really ran and was stored, so an empty database cannot pass for a clean one.
    expect(files.some((file) => file.bytes.includes('probe-done'))).toBe(true);
    const leaking = files.filter((file) => leaksIn(file.bytes).length > 0).map((file) => relative(project.dir, file.path));
    expect(leaking).toEqual([]);
  });
});
