import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createFakeLlmServer, createFakeTelegramServer, type FakeLlmServer, type FakeTelegramServer } from '@ngb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  assertBuilt,
  cliEnv,
  createProject,
  localRuntime,
  runCli,
  type ServeProcess,
  startServe,
  waitFor,
} from '../../apps/cli/test/cli-harness';
import {
  assertExactlyOnce,
  driveLane,
  newVisitorCookie,
  type SoakLane,
  telegramLane,
  telegramReplies,
  webLane,
} from './soak-lanes';

/**
 * The memory soak of DESIGN §9: 10,000 turns through the built `ngb serve` (local runtime, fake
 * model), half from a Telegram chat on the fake Bot API and half from the dashboard's web chat,
 * with five `/api/events` clients and the web chat's own stream attached. Resident memory after a
 * full collection must stay within 10 MB of the figure after each conversation's first 100 turns,
 * both at the end and shortly before it, while the turns still run (once they stop, V8 may shrink
 * its young generation by some 30 MB, which would hide native growth of that size). Resident memory
 * is counted without the pages of V8's heap that hold no live object: V8 grows and shrinks that
 * free space with the load (±5 MB between readings here), and it is not what a leak keeps.
 * `NGB_SOAK_TURNS` shortens the run while diagnosing; `NGB_SOAK_SNAPSHOT_DIR` keeps a heap snapshot
 * at both points (compare them with `node scripts/heap-diff.mjs`).
 */
const totalTurns = Number(process.env.NGB_SOAK_TURNS ?? 10_000);
/** Turns of each conversation before the baseline: every kind of turn (tools, `/clear`) has run by then. */
const baselineAfter = 100;
const allowedGrowthKb = 10 * 1024;
/** The reading taken while the turns still run. */
const lateReadingAt = totalTurns - Math.max(1, Math.floor(totalTurns / 20));
/** Every this many turns of a lane, the turn runs a tool in the sandbox; every `clearEvery`, `/clear` first. */
const toolEvery = 10;
const clearEvery = 50;
/** How long one reply may take (`NGB_SOAK_REPLY_TIMEOUT_MS`: raise it while writing heap snapshots on a slow machine). */
const replyTimeoutMs = Number(process.env.NGB_SOAK_REPLY_TIMEOUT_MS ?? 30_000);
/** The lanes that run side by side (`NGB_SOAK_TELEGRAM_CHATS`, `NGB_SOAK_WEB_CHATS`): the dashboard's chat is one of the web chats. */
const telegramChats = Number(process.env.NGB_SOAK_TELEGRAM_CHATS ?? 4);
const webChats = Number(process.env.NGB_SOAK_WEB_CHATS ?? 4);
/** `NGB_SOAK_SAMPLE_EVERY`: a reading (resident memory, JS heap, external) every this many turns, printed; 0 for none. */
const sampleEvery = Number(process.env.NGB_SOAK_SAMPLE_EVERY ?? 0);
const preload = fileURLToPath(new URL('./gc-preload.cjs', import.meta.url));
const sseClients = fileURLToPath(new URL('../../bench/sse-clients.mjs', import.meta.url));

const parts = {} as { model: FakeLlmServer; telegram: FakeTelegramServer; project: { dir: string; remove: () => void } };
beforeAll(async () => {
  assertBuilt();
  parts.model = await createFakeLlmServer({ acceptAnyModel: true });
  parts.telegram = await createFakeTelegramServer();
  parts.project = await createProject('soak', (config) => {
    localRuntime(config);
    // The local runtime (10,000 turns in Docker would take too long): chosen explicitly, as serve demands.
    config.allowLocalRuntime = true;
    config.channels = {
      telegram: { enabled: true, apiRoot: parts.telegram.apiRoot, pollTimeoutSeconds: 5 },
      web: { enabled: true, rateLimit: { messages: 1_000_000, perSeconds: 1 } },
    };
    // A sandbox and a turn for every lane at once: the lanes wait on each other only for the CPU.
    config.runtime = { ...(config.runtime as object), maxSandboxes: telegramChats + webChats };
    config.gateway = { ...(config.gateway as object | undefined), maxConcurrentTurns: telegramChats + webChats };
  });
});
afterAll(async () => {
  await parts.telegram?.close();
  await parts.model?.close();
  parts.project?.remove();
});

function status(pid: number): { rssKb: number; peakKb: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rssKb: field('VmRSS'), peakKb: field('VmHWM') };
}

/** Full collections in the server (through the test-only preload), then the lowest RSS over two seconds. */
async function settledRssKb(
  serve: ServeProcess,
): Promise<{ rssKb: number; heapUsedKb: number; heapTotalKb: number; externalKb: number }> {
  const pid = serve.child.pid ?? 0;
  const samples: number[] = [];
  let usage = '';
  for (let round = 0; round < 4; round += 1) {
    const before = serve.stderr().split('soak-gc-done').length;
    serve.child.kill('SIGUSR2');
    await waitFor(() => serve.stderr().split('soak-gc-done').length > before, 'the forced collection', 120_000);
    usage =
      serve
        .stderr()
        .split('\n')
        .findLast((line) => line.startsWith('soak-gc-done')) ?? '';
    await new Promise((resolve) => setTimeout(resolve, 500));
    samples.push(status(pid).rssKb);
  }
  const field = (name: string) => Number(new RegExp(` ${name}=(\\d+)`).exec(usage)?.[1]);
  return {
    rssKb: Math.min(...samples),
    heapUsedKb: field('heapUsed'),
    heapTotalKb: field('heapTotal'),
    externalKb: field('external'),
  };
}

/** Resident memory less V8's free heap space (committed pages that hold no live object). */
function liveKb(reading: { rssKb: number; heapUsedKb: number; heapTotalKb: number }): number {
  return reading.rssKb - (reading.heapTotalKb - reading.heapUsedKb);
}

function attachEventClients(url: string, count: number): { child: ChildProcess; connected: Promise<void> } {
  const child = spawn(process.execPath, [sseClients, url, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const connected = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('connected\n')) resolve();
    });
    child.once('exit', () => reject(new Error(`the event clients exited: ${output}`)));
  });
  return { child, connected };
}

it(`keeps resident memory flat over ${totalTurns.toLocaleString('en-US')} turns (≤ +10 MB after each conversation's first ${baselineAfter})`, async () => {
  const started = Date.now();
  const env = cliEnv({
    OPENAI_BASE_URL: `${parts.model.url}/v1`,
    TELEGRAM_BOT_TOKEN: parts.telegram.token,
    NODE_OPTIONS: `--expose-gc --require ${preload}`,
  });
  const serve = await startServe(parts.project.dir, env);
  const url = /open\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout() + serve.stderr())?.[1] ?? '';
  expect(url, serve.stdout()).not.toBe('');
  const events = attachEventClients(`${url}/api/events`, 5);
  const webLanes: Array<SoakLane & { close(): void }> = [];
  try {
    await events.connected;
    const { telegram, model } = parts;
    // A chat is known once its first message is stored, which a poller may still be doing: asked again.
    const cli = async (...args: string[]) => {
      for (let attempt = 1; ; attempt += 1) {
        const result = await runCli(args, { cwd: parts.project.dir, env, timeoutMs: 120_000 });
        if (result.code === 0) return;
        if (attempt === 10) throw new Error(`ngb ${args.join(' ')}: ${result.stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    const code = /send \/claim ([0-9A-Z]{10})/.exec(serve.stdout())?.[1];
    await waitFor(() => telegram.calls.find((call) => call.method === 'getUpdates'), 'the first poll', 10_000);
    await telegram.injectMessage({ chatId: 1001, from: { id: 77, first_name: 'Ann' }, text: `/claim ${code}` });
    const sorted = telegramReplies(telegram);
    await waitFor(() => sorted(1001).find((text) => /owner/.test(text)), 'the claim answer', 60_000);

    // More chats, wired as their owner would: groups the owner writes in, then `ngb chat wire`;
    // web chat visitors, wired and opened with `ngb chat wire`, `ngb chat policy` and `ngb user grant`.
    const lanes: SoakLane[] = [telegramLane(telegram, sorted, { chatId: 1001 })];
    for (let group = 1; group < telegramChats; group += 1) {
      const chatId = -2000 - group;
      await telegram.injectMessage({ chatId, chatType: 'group', text: `@${telegram.bot.username} hello` });
      await cli('chat', 'wire', `telegram:${chatId}`, '--engage', 'always');
      lanes.push(telegramLane(telegram, sorted, { chatId, chatType: 'group' }));
    }
    webLanes.push(await webLane('dashboard', url, '/api/chat'));
    for (let visitor = 1; visitor < webChats; visitor += 1) {
      const { cookie, visitorId } = await newVisitorCookie(url);
      const lane = await webLane(`visitor${visitor}`, url, '/chat/api', cookie);
      await lane.send('hello');
      await cli('chat', 'wire', `web:${visitorId}`);
      await cli('chat', 'policy', `web:${visitorId}`, 'public');
      // `/clear` is for admins: each visitor clears its own chat like the other lanes.
      await cli('user', 'grant', `web:${visitorId}`, 'admin');
      webLanes.push(lane);
    }
    lanes.push(...webLanes);
    // What the setup said (the claim, approval requests) stays out of the lanes' counts.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    let turns = 0;
    let baseline = { rssKb: 0, heapUsedKb: 0, heapTotalKb: 0, externalKb: 0 };
    let late: typeof baseline | undefined;
    const baselineAt = lanes.length * baselineAfter;
    let baselineTime = 0;
    const run = {
      replyTimeoutMs,
      toolEvery,
      clearEvery,
      wantsMore: () => turns < totalTurns,
      onTurn: async () => {
        turns += 1;
        // The model server keeps every request it answered: forget them, or the test process grows.
        if (turns % 500 === 0) model.script([]);
        if (sampleEvery > 0 && turns % sampleEvery === 0 && turns !== baselineAt && turns !== lateReadingAt) {
          process.stdout.write(`memory soak reading: ${JSON.stringify({ turns, ...(await settledRssKb(serve)) })}\n`);
        }
        if (turns === baselineAt) {
          baselineTime = Date.now();
          baseline = await settledRssKb(serve);
        }
        if (turns === lateReadingAt) late = await settledRssKb(serve);
      },
    };
    const expected = await Promise.all(lanes.map(async (lane) => ({ lane, expected: await driveLane(lane, run) })));
    const end = await settledRssKb(serve);
    const { peakKb } = status(serve.child.pid ?? 0);
    // Checked after the final reading's seconds: a duplicate that came late is caught too.
    assertExactlyOnce(expected);
    const report = {
      turns,
      lanes: lanes.length,
      durationS: Math.round((Date.now() - started) / 1000),
      turnsPerSecond: +((turns - baselineAt) / ((Date.now() - baselineTime) / 1000)).toFixed(1),
      baselineAtTurn: baselineAt,
      afterFirstMb: +(baseline.rssKb / 1024).toFixed(1),
      lateMb: late && +(late.rssKb / 1024).toFixed(1),
      endMb: +(end.rssKb / 1024).toFixed(1),
      peakMb: +(peakKb / 1024).toFixed(1),
      growthMb: +((end.rssKb - baseline.rssKb) / 1024).toFixed(1),
      liveGrowthMb: +((liveKb(end) - liveKb(baseline)) / 1024).toFixed(1),
      liveGrowthLateMb: late && +((liveKb(late) - liveKb(baseline)) / 1024).toFixed(1),
      heapAfterFirstMb: +(baseline.heapUsedKb / 1024).toFixed(1),
      heapEndMb: +(end.heapUsedKb / 1024).toFixed(1),
      heapTotalAfterFirstMb: +(baseline.heapTotalKb / 1024).toFixed(1),
      heapTotalEndMb: +(end.heapTotalKb / 1024).toFixed(1),
      externalAfterFirstMb: +(baseline.externalKb / 1024).toFixed(1),
      externalEndMb: +(end.externalKb / 1024).toFixed(1),
    };
    process.stdout.write(`memory soak: ${JSON.stringify(report)}\n`);
    expect(serve.child.exitCode).toBeNull();
    expect(baseline.rssKb, 'the baseline reading was taken').toBeGreaterThan(0);
    expect(late, 'the reading while the turns run was taken').toBeDefined();
    expect(liveKb(end) - liveKb(baseline), JSON.stringify(report)).toBeLessThanOrEqual(allowedGrowthKb);
    expect(liveKb(late ?? end) - liveKb(baseline), JSON.stringify(report)).toBeLessThanOrEqual(allowedGrowthKb);
  } finally {
    for (const lane of webLanes) lane.close();
    events.child.kill('SIGTERM');
    await serve.stop();
  }
});
