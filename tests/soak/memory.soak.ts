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
  type ServeProcess,
  startServe,
  waitFor,
} from '../../apps/cli/test/cli-harness';

/**
 * The memory soak of DESIGN §9: 10,000 turns through the built `ngb serve` (local runtime, fake
 * model), half from a Telegram chat on the fake Bot API and half from the dashboard's web chat,
 * with five `/api/events` clients and the web chat's own stream attached. Resident memory after a
 * full collection, at the end, must stay within 10 MB of the figure after the first 100 turns.
 * `NGB_SOAK_TURNS` shortens the run while diagnosing; `NGB_SOAK_SNAPSHOT_DIR` keeps a heap snapshot
 * at both points (compare them with `node scripts/heap-diff.mjs`).
 */
const totalTurns = Number(process.env.NGB_SOAK_TURNS ?? 10_000);
const baselineAfter = 100;
const allowedGrowthKb = 10 * 1024;
/** Every this many turns of a lane, the turn runs a tool in the sandbox; every `clearEvery`, `/clear` first. */
const toolEvery = 10;
const clearEvery = 50;
/** How long one reply may take (`NGB_SOAK_REPLY_TIMEOUT_MS`: raise it while writing heap snapshots on a slow machine). */
const replyTimeoutMs = Number(process.env.NGB_SOAK_REPLY_TIMEOUT_MS ?? 30_000);
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
async function settledRssKb(serve: ServeProcess): Promise<{ rssKb: number; heapUsedKb: number }> {
  const pid = serve.child.pid ?? 0;
  const samples: number[] = [];
  let heapUsedKb = 0;
  for (let round = 0; round < 4; round += 1) {
    const before = serve.stderr().split('soak-gc-done').length;
    serve.child.kill('SIGUSR2');
    await waitFor(() => serve.stderr().split('soak-gc-done').length > before, 'the forced collection', 120_000);
    heapUsedKb = Number(/soak-gc-done \d+ .*heapUsed=(\d+)/.exec(serve.stderr().split('\n').findLast((line) => line.startsWith('soak-gc-done')) ?? '')?.[1]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    samples.push(status(pid).rssKb);
  }
  return { rssKb: Math.min(...samples), heapUsedKb };
}

/** Polls fast (the soak waits on ten thousand replies). */
async function until<T>(check: () => T | undefined, what: string, serve: ServeProcess): Promise<T> {
  const deadline = Date.now() + replyTimeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nstderr: ${serve.stderr().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The dashboard chat's event stream, read as the page reads it: resolves the agent's messages as they come. */
function followWebChat(url: string) {
  const controller = new AbortController();
  const texts: string[] = [];
  const ready = (async () => {
    const response = await fetch(`${url}/api/chat/events`, { signal: controller.signal });
    if (response.status !== 200 || !response.body) throw new Error(`web chat stream: HTTP ${response.status}`);
    return response.body;
  })();
  const done = ready.then(async (body) => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: message$/m.test(block)) {
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (data) texts.push((JSON.parse(data) as { text: string }).text);
          }
          end = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  });
  return { ready, texts, close: () => controller.abort(), done };
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

it(`keeps resident memory flat over ${totalTurns.toLocaleString('en-US')} turns (≤ +10 MB after the first ${baselineAfter})`, async () => {
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
  const web = followWebChat(url);
  try {
    await events.connected;
    await web.ready;
    const { telegram, model } = parts;
    const replies = () => telegram.sent.filter((sent) => sent.method === 'sendMessage');
    const code = /send \/claim ([0-9A-Z]{10})/.exec(serve.stdout())?.[1];
    await waitFor(() => telegram.calls.find((call) => call.method === 'getUpdates'), 'the first poll', 10_000);
    await telegram.injectMessage({ chatId: 1001, from: { id: 77, first_name: 'Ann' }, text: `/claim ${code}` });
    await waitFor(() => replies().find((sent) => /owner/.test(sent.text ?? '')), 'the claim answer', 20_000);

    let turns = 0;
    let baseline = { rssKb: 0, heapUsedKb: 0 };
    let baselineAt = 0;
    let telegramSeen = replies().length;
    let webSeen = 0;
    const nextTelegramReply = async (what: string, match: (text: string) => boolean) =>
      until(
        () => {
          const sent = replies();
          for (; telegramSeen < sent.length; telegramSeen += 1) {
            const text = sent[telegramSeen]?.text ?? '';
            if (match(text)) {
              telegramSeen += 1;
              return text;
            }
          }
          return undefined;
        },
        what,
        serve,
      );
    const nextWebReply = async (what: string, match: (text: string) => boolean) =>
      until(
        () => {
          for (; webSeen < web.texts.length; webSeen += 1) {
            const text = web.texts[webSeen] ?? '';
            if (match(text)) {
              webSeen += 1;
              return text;
            }
          }
          return undefined;
        },
        what,
        serve,
      );
    const postWeb = async (text: string) => {
      const response = await fetch(`${url}/api/chat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: url },
        body: JSON.stringify({ text }),
      });
      if (response.status >= 300) throw new Error(`web chat POST: HTTP ${response.status} ${await response.text()}`);
    };
    const lanes = [
      {
        name: 'telegram',
        send: (text: string) => telegram.injectMessage({ chatId: 1001, from: { id: 77, first_name: 'Ann' }, text }),
        reply: nextTelegramReply,
      },
      { name: 'web', send: postWeb, reply: nextWebReply },
    ];
    const turnsPerLane = Math.ceil(totalTurns / lanes.length);
    const runLane = async (lane: (typeof lanes)[number]) => {
      for (let index = 1; index <= turnsPerLane && turns < totalTurns; index += 1) {
        if (index % clearEvery === 0) {
          await lane.send('/clear');
          await lane.reply(`${lane.name} /clear`, (text) => /cleared \d+ transcript entries/.test(text));
        }
        const marker = `${lane.name}-${index}`;
        if (index % toolEvery === 0) {
          await lane.send(`run: echo tool-${marker}`);
          await lane.reply(`${marker} (tool)`, (text) => text.includes(`tool-${marker}`) && text.includes('printed'));
        } else {
          await lane.send(`soak ${marker}`);
          await lane.reply(marker, (text) => text === `echo: soak ${marker}`);
        }
        turns += 1;
        // The model server keeps every request it answered: forget them, or the test process grows.
        if (turns % 500 === 0) model.script([]);
        if (turns === baselineAfter) {
          baselineAt = Date.now();
          baseline = await settledRssKb(serve);
        }
      }
    };
    await Promise.all(lanes.map(runLane));
    const end = await settledRssKb(serve);
    const { peakKb } = status(serve.child.pid ?? 0);
    const report = {
      turns,
      durationS: Math.round((Date.now() - started) / 1000),
      turnsPerSecond: Math.round((turns - baselineAfter) / ((Date.now() - baselineAt) / 1000)),
      afterFirstMb: +(baseline.rssKb / 1024).toFixed(1),
      endMb: +(end.rssKb / 1024).toFixed(1),
      heapAfterFirstMb: +(baseline.heapUsedKb / 1024).toFixed(1),
      heapEndMb: +(end.heapUsedKb / 1024).toFixed(1),
      peakMb: +(peakKb / 1024).toFixed(1),
      growthMb: +((end.rssKb - baseline.rssKb) / 1024).toFixed(1),
    };
    process.stdout.write(`memory soak: ${JSON.stringify(report)}\n`);
    expect(serve.child.exitCode).toBeNull();
    expect(end.rssKb - baseline.rssKb, JSON.stringify(report)).toBeLessThanOrEqual(allowedGrowthKb);
  } finally {
    web.close();
    events.child.kill('SIGTERM');
    await serve.stop();
  }
});
