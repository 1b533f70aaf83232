// Channels (issue numbers of DESIGN §9): an inbound message through each platform adapter → the first
// model request, against the core's own overhead (the same message handed to `receive` by the recording
// channel) measured in the same run; and `ngb serve` idle resident memory with the three channels
// connected to their fake platforms, against `ngb serve` with only the web chat, in the same run.
// Options: --runs N (default 5), --quick, --no-write, --results <dir> (see report.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { manifest as discordManifest } from '@ngb/channel-discord';
import { manifest as slackManifest } from '@ngb/channel-slack';
import { manifest as telegramManifest } from '@ngb/channel-telegram';
import { createFakeDiscordServer, createFakeLlmServer, createFakeSlackServer, createFakeTelegramServer } from '@ngb/testing';
import * as v from 'valibot';
import { message, setup } from './gateway-setup.mjs';
import { distributionPoints } from './plot.mjs';
import { benchOptions, figure, finish, machine, percentile, repeatRuns } from './report.mjs';

const options = benchOptions();
const counts = options.quick ? { messages: 30, warm: 5, settleMs: 1000 } : { messages: 200, warm: 20, settleMs: 3000 };
const bin = fileURLToPath(new URL('../apps/cli/dist/bin.js', import.meta.url));

async function waitUntil(check, what, timeoutMs = 15_000) {
  const started = performance.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not seen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** How each platform is faked, its adapter built, and a person's message sent to it. */
const platforms = {
  telegram: {
    fake: () => createFakeTelegramServer(),
    adapter: (fake) => build(telegramManifest, { botToken: fake.token, apiRoot: fake.apiRoot }),
    chatId: '1001',
    send: (fake, text) => fake.injectMessage({ chatId: 1001, from: { id: 77, first_name: 'Ann' }, text }),
  },
  slack: {
    fake: () => createFakeSlackServer({ users: [{ id: 'U0ANN', name: 'ann', displayName: 'Ann' }] }),
    adapter: (fake) => build(slackManifest, { botToken: fake.botToken, appToken: fake.appToken, apiUrl: fake.apiUrl }),
    chatId: 'D0ANN',
    send: (fake, text) => fake.postMessage({ channel: 'D0ANN', user: 'U0ANN', text }),
  },
  discord: {
    fake: () => createFakeDiscordServer(),
    adapter: (fake) => build(discordManifest, { botToken: fake.token, apiUrl: fake.apiUrl }),
    chatId: '1001',
    send: (fake, text) => fake.injectMessage({ channelId: '1001', author: { id: '77', username: 'ann' }, content: text }),
  },
};

function build(manifest, values) {
  return manifest.create(v.parse(manifest.optionsSchema, values));
}

/** Samples of receive → first model request for the recording channel: the core's own overhead. */
async function coreOverhead() {
  const bench = await setup();
  await bench.wire('dm');
  const samples = [];
  for (let index = 0; index < counts.warm + counts.messages; index += 1) {
    const before = bench.requestTimes.length;
    const started = performance.now();
    await bench.gateway.receive(message('dm', `question ${index}`));
    await bench.gateway.idle();
    if (index >= counts.warm) samples.push((bench.requestTimes[before] ?? Number.NaN) - started);
  }
  await bench.close();
  return samples;
}

/** Samples of "the fake platform hands over a message" → first model request, through one adapter. */
async function throughAdapter(name) {
  const platform = platforms[name];
  const fake = await platform.fake();
  const adapter = await platform.adapter(fake);
  const bench = await setup({ channels: [adapter] });
  await bench.wire(platform.chatId, { channel: adapter.name });
  await waitUntil(() => bench.gateway.channelStatus()[adapter.name] === 'connected', `${name} connected`);
  const samples = [];
  for (let index = 0; index < counts.warm + counts.messages; index += 1) {
    const before = bench.requestTimes.length;
    const started = performance.now();
    await platform.send(fake, `question ${index}`);
    await waitUntil(() => bench.requestTimes.length > before, `${name}: the model request of message ${index}`);
    await bench.gateway.idle();
    if (index >= counts.warm) samples.push(bench.requestTimes[before] - started);
  }
  await bench.close();
  await fake.close();
  return samples;
}

function residentMb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

/** `ngb serve` in a fresh project with the given channels; resident memory once ready, connected and idle. */
async function serveIdle(withChannels) {
  const directory = mkdtempSync(join(tmpdir(), 'ngb-bench-channels-'));
  const llm = await createFakeLlmServer({ acceptAnyModel: true });
  const fakes = withChannels
    ? { telegram: await platforms.telegram.fake(), slack: await platforms.slack.fake(), discord: await platforms.discord.fake() }
    : {};
  const env = { ...process.env, NO_COLOR: '1', OPENAI_BASE_URL: `${llm.url}/v1` };
  try {
    spawnSync(process.execPath, [bin, 'init'], { cwd: directory, env, stdio: 'ignore' });
    const configPath = join(directory, 'ngb.config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    config.dashboard = { ...config.dashboard, port: 0 };
    if (withChannels) {
      config.channels = {
        telegram: { enabled: true, apiRoot: fakes.telegram.apiRoot },
        slack: { enabled: true, apiUrl: fakes.slack.apiUrl },
        discord: { enabled: true, apiUrl: fakes.discord.apiUrl },
      };
      Object.assign(env, {
        TELEGRAM_BOT_TOKEN: fakes.telegram.token,
        SLACK_BOT_TOKEN: fakes.slack.botToken,
        SLACK_APP_TOKEN: fakes.slack.appToken,
        DISCORD_BOT_TOKEN: fakes.discord.token,
      });
    }
    writeFileSync(configPath, JSON.stringify(config));
    const child = spawn(process.execPath, [bin, 'serve'], { cwd: directory, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    await waitUntil(() => output.includes('gateway ready') || child.exitCode !== null, 'ngb serve ready', 30_000);
    if (child.exitCode !== null) throw new Error(`ngb serve did not start: ${output}`);
    if (withChannels) {
      // The gateway log records each channel's state changes.
      const log = join(directory, '.ngb', 'logs', 'gateway.jsonl');
      const connected = () => {
        const states = new Map();
        for (const line of readFileSync(log, 'utf8').split('\n')) {
          if (!line.includes('"channel.status"')) continue;
          const record = JSON.parse(line);
          states.set(record.channel, record.status?.state);
        }
        return ['telegram', 'slack', 'discord'].every((name) => states.get(name) === 'connected');
      };
      await waitUntil(connected, `the three channels connected (${output})`, 30_000);
    }
    await new Promise((resolve) => setTimeout(resolve, counts.settleMs));
    const rss = residentMb(child.pid);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    return rss;
  } finally {
    for (const fake of Object.values(fakes)) await fake.close();
    await llm.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

const runs = await repeatRuns(options, async () => {
  const samples = {
    core: await coreOverhead(),
    telegram: await throughAdapter('telegram'),
    slack: await throughAdapter('slack'),
    discord: await throughAdapter('discord'),
  };
  return {
    ...Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, percentile(values, 50)])),
    samples,
    serveWeb: await serveIdle(false),
    serveChannels: await serveIdle(true),
  };
});
// Every run's samples of one path together: the plot shows the whole distribution, the table the run medians.
const pooled = (name) => runs.samples.flatMap((samples) => samples[name]);
const latencyNames = { core: 'the core alone', telegram: 'Telegram', slack: 'Slack', discord: 'Discord' };

const latency = (name, title) =>
  figure({
    what: `${title}: the fake platform hands over a message → first model request, p50 of a run`,
    unit: 'ms',
    values: runs[name],
    load: runs.load,
    floor: { what: 'the core alone (`receive` by the recording channel → first model request, p50)', values: runs.core },
    compare: 'over',
    target: '≤ +2 ms over the core',
  });

// What the channels add, run by run (each run measures both projects).
const added = runs.serveChannels.map((value, index) => value - runs.serveWeb[index]);
const memoryAdded = `${Math.min(...added).toFixed(1)}\u2013${Math.max(...added).toFixed(1)} MB`;

finish(options, {
  bench: 'channels',
  title: 'Channels',
  script: 'bench/channels.bench.mjs',
  machine: machine(),
  setup:
    `Each platform's adapter through its real SDK (telegraf, @slack/socket-mode and @slack/web-api, @discordjs/ws and @discordjs/rest) against its fake ` +
    `server from @ngb/testing on loopback (Telegram long polling, Slack Socket Mode, the Discord gateway), a SQLite file store, ` +
    `the fake model (instant replies), no sandbox: ${counts.messages} sequential messages in a DM per run, each after the last ` +
    `turn ended. Memory: \`ngb serve\` from \`ngb init\` (server, dashboard, web chat, docker runtime), read ${counts.settleMs / 1000} s ` +
    'after the three channels reported connected, against the same project with only the web chat, in the same run.',
  notes: [
    "The latency figures include each platform's own path on loopback: Telegram's long poll answered by the fake, Slack's Socket Mode envelope (acknowledged once the core stored the message), Discord's gateway dispatch; the floor is the same turn handed to `receive` directly by the recording channel, in the same run.",
    `Memory: the three SDKs loaded and connected add ${memoryAdded} to \`ngb serve\` in these runs, with their HTTP and WebSocket stacks (telegraf: node-fetch; @slack/web-api and @discordjs/rest: the global fetch; @slack/socket-mode: undici 7; @discordjs/ws: ws). The target (\u2264 90 MB with the three connected) is ${percentile(runs.serveChannels, 50) <= 90 ? 'met' : 'not met'}.`,
  ],
  plots: [
    {
      name: 'latency',
      title: 'A message handed over → first model request, all runs',
      x: {
        label: 'milliseconds',
        maximum: Math.max(...Object.keys(latencyNames).map((name) => percentile(pooled(name), 99))),
      },
      y: { label: 'share of messages at or under', maximum: 1 },
      series: Object.entries(latencyNames).map(([name, label]) => ({ label, points: distributionPoints(pooled(name)) })),
    },
  ],
  figures: [
    latency('telegram', 'Telegram'),
    latency('slack', 'Slack'),
    latency('discord', 'Discord'),
    figure({
      what: '`ngb serve` idle resident memory with Telegram, Slack and Discord connected',
      unit: 'MB',
      values: runs.serveChannels,
      load: runs.load,
      floor: { what: '`ngb serve` with the web chat only', values: runs.serveWeb },
      compare: 'over',
      target: '≤ 90 MB',
    }),
  ],
});
