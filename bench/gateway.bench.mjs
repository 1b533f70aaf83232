// Gateway numbers (DESIGN §9): overhead from receive to the first model request, ingest rate, and a soak.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createGateway } from '@ngb/core';
import { createOpenAIProvider } from '@ngb/llm-openai';
import { createRecordingChannel } from '@ngb/plugin-sdk/testing';
import { createSqliteStore } from '@ngb/store';
import { createFakeLlmServer } from '@ngb/testing';
import { machine, ms, summarize, writeSection } from './report.mjs';

const noSandbox = {
  specificationVersion: 1,
  name: 'none',
  isolated: true,
  tools: [],
  acquire: async () => {
    throw new Error('no sandbox in this benchmark');
  },
  list: async () => [],
  reap: async () => 0,
  close: async () => {},
};

async function setup({ maxConcurrentTurns = 5 } = {}) {
  const directory = mkdtempSync(join(tmpdir(), 'ngb-bench-'));
  const store = await createSqliteStore({ path: join(directory, 'ngb.db') });
  const llm = await createFakeLlmServer({ acceptAnyModel: true });
  const inner = createOpenAIProvider({ baseURL: `${llm.url}/v1`, apiKey: 'k', model: 'fake-model', maxRetries: 0 });
  const requestTimes = [];
  const provider = {
    ...inner,
    doStream: (request) => {
      requestTimes.push(performance.now());
      return inner.doStream(request);
    },
  };
  const channel = createRecordingChannel({ name: 'fake' });
  const gateway = createGateway({
    store,
    runtime: noSandbox,
    providers: { default: provider },
    channels: [channel],
    agentsDirectory: directory,
    maxConcurrentTurns,
  });
  await gateway.start();
  const agent = await store.agents.create({ folder: 'andy', name: 'andy', isMain: true, assistantName: 'Andy' });
  const wire = async (chatId, extra = {}) => {
    const chat = await store.chats.upsert({
      channel: 'fake',
      platformChatId: chatId,
      name: chatId,
      isGroup: extra.isGroup ?? false,
      status: 'active',
      unknownSenderPolicy: 'public',
    });
    await store.wirings.add({
      chatId: chat.id,
      agentId: agent.id,
      engage: extra.engage ?? 'always',
      sessionMode: 'shared',
      accumulate: extra.accumulate ?? false,
    });
  };
  const close = async () => {
    await gateway.stop({ graceMs: 1000 });
    await llm.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  };
  return { gateway, store, channel, wire, requestTimes, close };
}

let sequence = 0;
const message = (chatId, text, extra = {}) => ({
  channel: 'fake',
  chat: { id: chatId, isGroup: extra.isGroup ?? false },
  platformMessageId: `b-${++sequence}`,
  sender: { id: extra.sender ?? 'user', name: 'User' },
  text,
  mentionsBot: false,
  timestamp: Date.now(),
});

async function overhead() {
  const bench = await setup();
  await bench.wire('dm');
  const samples = [];
  for (let index = 0; index < 400; index += 1) {
    const before = bench.requestTimes.length;
    const started = performance.now();
    await bench.gateway.receive(message('dm', `question ${index}`));
    await bench.channel.waitForSends(index + 1);
    if (index >= 50) samples.push((bench.requestTimes[before] ?? Number.NaN) - started);
  }
  await bench.close();
  return summarize(samples);
}

// `inFlight` receives at once, as an adapter handing over a batch of updates (getUpdates returns up to 100).
async function ingest(inFlight) {
  const bench = await setup();
  await bench.wire('group', { isGroup: true, engage: 'mention', accumulate: true });
  const count = 10_000;
  for (let index = 0; index < 500; index += 1) await bench.gateway.receive(message('group', `warm ${index}`, { isGroup: true }));
  const started = performance.now();
  for (let index = 0; index < count; index += inFlight) {
    await Promise.all(
      Array.from({ length: Math.min(inFlight, count - index) }, (_, offset) =>
        bench.gateway.receive(
          message('group', `chatter ${index + offset}`, { isGroup: true, sender: `u${(index + offset) % 50}` }),
        ),
      ),
    );
  }
  const elapsed = performance.now() - started;
  const chat = await bench.store.chats.getByPlatformId('fake', 'group');
  const stored = (await bench.store.messages.listForChat(chat.id, { limit: 20_000 })).length;
  await bench.close();
  if (stored !== count + 500) throw new Error(`stored ${stored} of ${count + 500} messages`);
  return { count, elapsed, rate: (count / elapsed) * 1000 };
}

async function soak() {
  const sessions = 200;
  const perSession = 5;
  const bench = await setup({ maxConcurrentTurns: 10 });
  for (let index = 0; index < sessions; index += 1) await bench.wire(`s${index}`);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: sessions }, async (_, index) => {
      for (let turn = 0; turn < perSession; turn += 1) {
        const chatId = `s${index}`;
        const before = bench.channel.sent.filter((sent) => sent.address.chatId === chatId).length;
        await bench.gateway.receive(message(chatId, `m${index}-${turn}`));
        while (bench.channel.sent.filter((sent) => sent.address.chatId === chatId).length === before) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  await bench.gateway.idle();
  clearInterval(sampler);
  const texts = bench.channel.sent.map((sent) => sent.message.text);
  const expected = new Set();
  for (let index = 0; index < sessions; index += 1)
    for (let turn = 0; turn < perSession; turn += 1) expected.add(`echo: m${index}-${turn}`);
  const answeredOnce =
    texts.length === expected.size && new Set(texts).size === texts.length && texts.every((text) => expected.has(text));
  await bench.close();
  return { messages: sessions * perSession, replies: texts.length, answeredOnce, elapsed, peakRssMb: peakRss / 2 ** 20 };
}

const batched = await ingest(32);
const sequential = await ingest(1);
const over = await overhead();
const result = await soak();
const body = `
Machine: ${machine()}. Fake model server on loopback (instant replies), SQLite file store (WAL), recording channel.

| What | Result | Target |
|---|---|---|
| Overhead: \`receive\` → first model request (${over.count} sequential messages) | p50 ${ms(over.p50)}, p90 ${ms(over.p90)}, p99 ${ms(over.p99)} (min ${ms(over.min)}, max ${ms(over.max)}) | p50 ≤ 5 ms, p99 ≤ 25 ms |
| Ingest: messages stored + routed (to an inbox as context), one \`receive\` at a time | ${Math.round(sequential.rate).toLocaleString('en-US')} /s (${sequential.count.toLocaleString('en-US')} in ${ms(sequential.elapsed)}) | ≥ 5,000 /s |
| Ingest: the same with 32 \`receive\` in flight (a batch of platform updates) | ${Math.round(batched.rate).toLocaleString('en-US')} /s (${batched.count.toLocaleString('en-US')} in ${ms(batched.elapsed)}) | ≥ 5,000 /s |
| Soak: 200 sessions × 5 messages, cap 10 concurrent turns | ${result.replies} replies for ${result.messages} messages, each answered exactly once: ${result.answeredOnce ? 'yes' : 'NO'}; ${ms(result.elapsed)} total; peak RSS ${result.peakRssMb.toFixed(0)} MB | every message answered once, none lost |

Ingest stores each message and routes it in one transaction. One \`receive\` at a time pays a whole SQLite commit per
message; messages in flight together share commits (the store commits writes in groups), which is how platforms
deliver them (a \`getUpdates\` batch, concurrent webhook calls). Full-text indexing is done in bulk, not per message.
`;
console.log(body);
writeSection('Gateway', body);
if (!result.answeredOnce) process.exit(1);
