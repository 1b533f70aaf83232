// The packages as a stranger meets them: every public package packed as it would be published, then
// installed with npm into projects outside the workspace, one per way of using them (an app embedding
// the gateway, a plugin author, a channel author, the `ngb` command), each with only what it needs.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeLlmServer, createFakeTelegramServer, type FakeLlmServer, type FakeTelegramServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain script without type declarations
import { budget, budgetProblems, measureProductionDependencies } from '../../scripts/dependency-budget.mjs';
// @ts-expect-error: a plain script without type declarations
import { packPublicPackages } from '../../scripts/pack-packages.mjs';
import {
  type CommandResult,
  installedPackages,
  namesOf,
  npmInstall,
  type PackedPackage,
  packExample,
  runCommand,
  strangerEnv,
  waitFor,
  writeProject,
} from './scenario-projects';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-pack-install-'));
const projects = {
  embed: join(scratch, 'embed-core'),
  hello: join(scratch, 'plugin-hello'),
  relay: join(scratch, 'channel-custom'),
  cli: join(scratch, 'my-bot'),
};
const embedder = ['@ngb/core', '@ngb/store', '@ngb/runtime', '@ngb/llm-openai', '@ngb/channel-telegram'];
const closures = {} as Record<keyof typeof projects, PackedPackage[]>;
const installSeconds = {} as Record<keyof typeof projects, number>;

/** The platform SDKs and app parts each channel or app brings; a project that does not use them must not hold them. */
const heavyParts = {
  telegram: ['telegraf'],
  others: [
    '@discordjs/ws',
    'baileys',
    'libsignal',
    '@slack/web-api',
    '@slack/socket-mode',
    '@larksuiteoapi/node-sdk',
    'dingtalk-stream',
  ],
  anthropic: ['@anthropic-ai/sdk'],
  server: ['hono', '@hono/node-server', 'preact', 'prom-client'],
  testing: ['protobufjs', 'vitest'],
};

beforeAll(async () => {
  const packed = (await packPublicPackages({ out: join(scratch, 'packed') })) as PackedPackage[];
  const byName = new Map(packed.map((entry) => [entry.name, entry]));
  for (const directory of Object.values(projects)) mkdirSync(directory, { recursive: true });
  // The plugin as its author publishes it, for the `ngb` project to install by name.
  const hello = await packExample('plugin-hello', scratch, join(scratch, 'packed'));
  closures.embed = writeProject(projects.embed, { example: 'embed-core', ngb: embedder, packed: byName });
  closures.hello = writeProject(projects.hello, { example: 'plugin-hello', ngb: ['@ngb/plugin-sdk'], packed: byName });
  closures.relay = writeProject(projects.relay, { example: 'channel-custom', ngb: ['@ngb/plugin-sdk'], packed: byName });
  closures.cli = writeProject(projects.cli, {
    name: 'my-bot',
    ngb: ['@ngb/cli'],
    extra: { 'ngb-plugin-hello': `file:${hello}` },
    packed: byName,
  });
  await Promise.all(
    (Object.keys(projects) as (keyof typeof projects)[]).map(async (key) => {
      installSeconds[key] = (await npmInstall(projects[key])) / 1000;
    }),
  );
}, 900_000);

afterAll(() => {
  // NGB_PACK_INSTALL_KEEP=1 keeps the projects to look into after a failure.
  if (process.env.NGB_PACK_INSTALL_KEEP) console.log(`pack-install: the projects are kept in ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
});

/** The `@ngb/*` packages and the other packages a project holds. */
function holdings(key: keyof typeof projects) {
  const names = namesOf(installedPackages(projects[key]));
  return { ours: names.filter((name) => name.startsWith('@ngb/')).sort(), names };
}

describe('each project installs only the packages it needs', () => {
  it('the embedder: its five packages and what they need, no other channel, provider or app part', () => {
    const { ours, names } = holdings('embed');
    expect(ours).toEqual(closures.embed.map((entry) => entry.name));
    expect(ours).toEqual([...embedder, '@ngb/plugin-sdk', '@ngb/sandbox'].sort());
    expect(names).toEqual(expect.arrayContaining(['telegraf', 'better-sqlite3', 'openai']));
    const unwanted = [...heavyParts.others, ...heavyParts.anthropic, ...heavyParts.server, ...heavyParts.testing];
    expect(names.filter((name) => unwanted.includes(name))).toEqual([]);
  });

  it("the embedder's production packages stay within the budget", () => {
    const measurement = measureProductionDependencies(embedder.map((name) => join(projects.embed, 'node_modules', name))) as {
      count: number;
      bytes: number;
    };
    console.log(
      `embedder (installed from the packed tarballs): ${measurement.count} production packages, ${(measurement.bytes / 1e6).toFixed(1)} MB`,
    );
    expect(budgetProblems(measurement)).toEqual([]);
    expect(measurement.count).toBeLessThanOrEqual(budget.packages);
  });

  it('the plugin and channel authors: the plugin SDK and valibot, plus their test runner', () => {
    expect(holdings('hello').names.sort()).toEqual(['@ngb/plugin-sdk', 'valibot']);
    const relay = holdings('relay');
    expect(relay.ours).toEqual(['@ngb/plugin-sdk']);
    const unwanted = [...heavyParts.telegram, ...heavyParts.others, ...heavyParts.anthropic, ...heavyParts.server, 'protobufjs'];
    expect(relay.names.filter((name) => unwanted.includes(name))).toEqual([]);
    expect(relay.names).toContain('vitest');
  });

  it('the `ngb` command: every channel and provider (a full distribution) but not Baileys, which only WhatsApp Web needs', () => {
    const { ours, names } = holdings('cli');
    expect(ours).toEqual(closures.cli.map((entry) => entry.name));
    expect(ours).not.toContain('@ngb/testing');
    expect(names).toEqual(expect.arrayContaining(['telegraf', '@discordjs/ws', '@anthropic-ai/sdk', 'hono', 'ngb-plugin-hello']));
    expect(names.filter((name) => ['baileys', 'libsignal', 'vitest'].includes(name))).toEqual([]);
  });
});

/** A spawned program with what it printed so far. */
function start(command: string, args: string[], cwd: string, env: Record<string, string>) {
  const child: ChildProcess = spawn(command, args, { cwd, env: strangerEnv(env) });
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    output,
    exited,
    describe: () => `stdout: ${output.stdout}\nstderr: ${output.stderr}`,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('examples/embed-core, installed from the tarballs', () => {
  let llm: FakeLlmServer;
  let telegram: FakeTelegramServer;
  beforeAll(async () => {
    llm = await createFakeLlmServer({ acceptAnyModel: true });
    telegram = await createFakeTelegramServer();
  });
  afterAll(async () => {
    await telegram?.close();
    await llm?.close();
  });

  it('answers a Telegram message through the model, and runs a tool in the (local) sandbox', { timeout: 120_000 }, async () => {
    mkdirSync(join(projects.embed, 'agents', 'main'), { recursive: true });
    const bot = start('node', ['index.mjs'], projects.embed, {
      OPENAI_BASE_URL: `${llm.url}/v1`,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_OWNER_ID: '77',
      NGB_RUNTIME: 'local',
    });
    const said = () => telegram.sent.filter((sent) => sent.method === 'sendMessage');
    try {
      await waitFor(
        () => bot.output.stdout.includes('the bot is running'),
        () => `the bot to start (${bot.describe()})`,
        60_000,
      );
      await telegram.injectMessage({ chatId: 77, text: 'hello' });
      const reply = await waitFor(
        () => said()[0],
        () => `a reply (${bot.describe()})`,
      );
      expect(reply).toMatchObject({ chatId: '77', text: 'echo: hello' });
      await telegram.injectMessage({ chatId: 77, text: 'run: echo from-the-sandbox' });
      await waitFor(
        () => said().find((sent) => sent.text?.includes('from-the-sandbox') && sent.text.includes('printed')),
        () => `the tool's output (${bot.describe()})`,
      );
    } finally {
      await bot.stop();
    }
    expect(await bot.exited).toBe(0);
    expect(bot.output.stderr).toBe('');
  });
});

describe('examples/plugin-hello and examples/channel-custom, installed from the tarballs', () => {
  it("the plugin's own tests pass (node:test, with setUpPlugin from @ngb/plugin-sdk/testing)", { timeout: 120_000 }, async () => {
    const result = await runCommand('npm', ['test'], { cwd: projects.hello });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^# pass 4$/m);
    expect(result.stdout).toMatch(/^# fail 0$/m);
  });

  it("the channel's own tests pass, the shared channel contract among them", { timeout: 120_000 }, async () => {
    const result = await runCommand('npm', ['test', '--', '--reporter=verbose'], { cwd: projects.relay });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ChannelAdapter contract: relay > sends text in both formats/);
    expect(result.stdout).toMatch(/the Relay channel > refuses a webhook body that is not a Relay message/);
    expect(result.stdout).toMatch(/Tests\s+\d+ passed \| \d+ skipped/);
  });
});

describe('the packed `ngb` command', () => {
  let llm: FakeLlmServer;
  let telegram: FakeTelegramServer;
  const ngb = (args: string[], env: Record<string, string> = {}): Promise<CommandResult> =>
    runCommand('npx', ['--no-install', 'ngb', ...args], { cwd: projects.cli, env });
  beforeAll(async () => {
    llm = await createFakeLlmServer({
      acceptAnyModel: true,
      script: [
        { type: 'reply', toolCalls: [{ id: 'call-1', name: 'hello', input: { name: 'Ann' } }] },
        { type: 'reply', text: 'greeted' },
      ],
    });
    telegram = await createFakeTelegramServer();
  });
  afterAll(async () => {
    await telegram?.close();
    await llm?.close();
  });

  it('prints its help, makes a project with `init`, and checks it with `doctor`', { timeout: 120_000 }, async () => {
    const help = await ngb(['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/\bserve\b/);
    expect(help.stdout).toMatch(/\bdoctor\b/);
    const init = await ngb(['init']);
    expect(init.code, init.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(projects.cli, 'ngb.config.json'), 'utf8'));
    expect(config).toMatchObject({ agents: expect.anything() });
    const doctor = await ngb(['doctor'], { OPENAI_BASE_URL: `${llm.url}/v1` });
    expect(doctor.stdout, doctor.stderr).toMatch(/^✔ config\s/m);
    expect(doctor.stdout).toMatch(/^✔ model endpoint\s+http:\/\/127\.0\.0\.1:\d+\/v1 answers/m);
    expect(doctor.stdout).toMatch(/\d+ ok, \d+ warnings?, \d+ failed/);
  });

  it('`ngb serve` loads the plugin by its package name: its tool runs on the host and its hook signs the replies', {
    timeout: 120_000,
  }, async () => {
    const file = join(projects.cli, 'ngb.config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.dashboard = { ...config.dashboard, port: 0 };
    config.runtime = { ...config.runtime, driver: 'local' };
    config.allowLocalRuntime = true; // the tool here runs on the host anyway; no Docker engine needed
    config.channels = {
      telegram: { enabled: true, apiRoot: telegram.apiRoot, pollTimeoutSeconds: 5 },
      // Without Baileys installed: this channel fails with the install command; the gateway still serves.
      whatsapp: { enabled: true, mode: 'web' },
    };
    config.plugins = [{ package: 'ngb-plugin-hello', config: { greeting: 'Howdy', signature: 'the bot' } }];
    writeFileSync(file, JSON.stringify(config, null, 2));
    // The installed bin itself (not through npx, which would not pass the stop signal on to it).
    const serve = start(join('node_modules', '.bin', 'ngb'), ['serve', '--grace', '1'], projects.cli, {
      OPENAI_BASE_URL: `${llm.url}/v1`,
      TELEGRAM_BOT_TOKEN: telegram.token,
    });
    const said = () => telegram.sent.filter((sent) => sent.method === 'sendMessage').map((sent) => sent.text ?? '');
    try {
      await waitFor(
        () => serve.output.stderr.includes('Ctrl-C stops the gateway'),
        () => `serve to be ready (${serve.describe()})`,
        60_000,
      );
      const code = await waitFor(
        () => /send \/claim ([0-9A-Z]{10})/.exec(serve.output.stdout)?.[1],
        () => serve.describe(),
      );
      await telegram.injectMessage({ chatId: 77, text: `/claim ${code}` });
      await waitFor(
        () => said().find((text) => /owner/.test(text)),
        () => `the claim answer (${serve.describe()})`,
      );
      await telegram.injectMessage({ chatId: 77, text: 'greet Ann' });
      await waitFor(
        () => said().find((text) => text.startsWith('greeted')),
        () => `the reply (${serve.describe()})`,
      );
      expect(said().at(-1)).toBe('greeted\n\n— the bot');
      const [first, second] = llm.requests();
      expect(first?.tools.map((tool) => tool.name)).toContain('hello');
      expect(JSON.stringify(second?.messages)).toContain('Howdy, Ann!');
      expect(serve.output.stdout + serve.output.stderr).toContain('npm install baileys@6.17.16');
      const pins = JSON.parse(readFileSync(join(projects.cli, '.ngb', 'plugin-pins.json'), 'utf8'));
      expect(pins.pins['ngb-plugin-hello']).toMatchObject({ version: '1.0.0' });
    } finally {
      await serve.stop();
    }
    expect(await serve.exited).toBe(0);
  });
});

afterAll(() => {
  console.log(
    `npm install, side by side: ${Object.entries(installSeconds)
      .map(([key, seconds]) => `${key} ${seconds.toFixed(1)} s`)
      .join(', ')}`,
  );
});
