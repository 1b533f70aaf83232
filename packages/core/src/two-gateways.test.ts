import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

const script = fileURLToPath(new URL('./__tests__/leasing-gateway.mjs', import.meta.url));
const built = ['core', 'store', 'llm-openai', 'plugin-sdk'].every((name) =>
  existsSync(fileURLToPath(new URL(`../../${name}/dist/index.js`, import.meta.url))),
);

if (!built) {
  // The gateways run as separate processes from the built packages (`pnpm build` first).
  if (process.env.CI === 'true') throw new Error('two-gateway tests need the built packages: run `pnpm build` first');
  console.warn('two-gateway tests skipped: the packages are not built (run `pnpm build`)');
}

// Short leases keep the takeover quick; nothing below depends on how quick.
const leaseMs = 600;
const generousMs = 20_000;

type Line = Record<string, unknown>;

/** One gateway process on the shared database, as `ngb serve` and a second gateway would run. */
interface GatewayProcess {
  child: ChildProcessByStdio<Writable, Readable, null>;
  lines: Line[];
  /** Resolves with the first line (already printed or still to come) that matches. */
  waitFor(match: (line: Line) => boolean): Promise<Line>;
  receive(chatId: string, id: string, text: string): void;
  sent(): Array<{ chatId: string; text: string }>;
  exited: Promise<unknown>;
}

let directory: string;
let llm: FakeLlmServer;
let processes: GatewayProcess[] = [];
let harness: Harness | undefined;

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'ngb-two-gateways-'));
  mkdirSync(join(directory, 'agents', 'andy'), { recursive: true });
  llm = await createFakeLlmServer({ acceptAnyModel: true });
});
afterEach(async () => {
  for (const gateway of processes) {
    gateway.child.kill('SIGKILL');
    await gateway.exited;
  }
  processes = [];
  await harness?.close();
  harness = undefined;
  await llm.close();
  rmSync(directory, { recursive: true, force: true });
});

async function startGateway(): Promise<GatewayProcess> {
  const child = spawn(
    process.execPath,
    [script, join(directory, 'ngb.db'), join(directory, 'agents'), `${llm.url}/v1`, String(leaseMs)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const lines: Line[] = [];
  const waiters: Array<{ match: (line: Line) => boolean; resolve: (line: Line) => void }> = [];
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as Line;
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (!waiter.match(line)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const waitFor = (match: (line: Line) => boolean) => {
    const seen = lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<Line>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('a gateway process never printed the expected line')), generousMs);
      waiters.push({
        match,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  };
  await waitFor((line) => line.ready === true);
  const gateway: GatewayProcess = {
    child,
    lines,
    waitFor,
    receive: (chatId, id, text) => child.stdin.write(`${JSON.stringify({ chatId, id, text })}\n`),
    sent: () => lines.flatMap((line) => (line.sent ? [line.sent as { chatId: string; text: string }] : [])),
    exited,
  };
  processes.push(gateway);
  return gateway;
}

const sentTo = (chatId: string) => (line: Line) => (line.sent as { chatId?: string } | undefined)?.chatId === chatId;
const lastUserText = (index: number) => {
  const last = llm.requests()[index]?.messages.at(-1);
  return last?.role === 'user' ? last.content : '';
};

async function prepare(): Promise<void> {
  const setup = await createHarness({ storePath: join(directory, 'ngb.db') });
  const agent = await setup.store.agents.create({ folder: 'andy', name: 'andy', isMain: false });
  await setup.addChat('c1', { agent });
  await setup.addChat('c2', { agent });
  await setup.close();
}

describe.skipIf(!built)('two gateway processes on one database', () => {
  it('each runs only its own sessions; a killed holder’s session is taken over after its lease expired and answered once', async () => {
    await prepare();
    llm.script([
      { type: 'reply', text: 'never arrives', firstByteDelayMs: 60_000 },
      { type: 'reply', text: 'answer two' },
      { type: 'reply', text: 'answer one' },
    ]);
    const first = await startGateway();
    first.receive('c1', 'q1', 'first question');
    await first.waitFor((line) => line.type === 'turn.start');

    // The second gateway starts while the first is mid-turn: it leaves that session alone.
    const second = await startGateway();
    second.receive('c2', 'q2', 'second question');
    await second.waitFor(sentTo('c2'));
    // The fake model records a request once it answers: the first gateway's is still waiting.
    expect(llm.requests()).toHaveLength(1);
    expect(lastUserText(0)).toContain('second question');
    // Several lease lengths on, the first still renews its lease: nobody else started its turn.
    await new Promise((resolve) => setTimeout(resolve, 4 * leaseMs));
    expect(llm.requests()).toHaveLength(1);
    expect(second.lines.some((line) => line.type === 'turn.start' && line.attempt === 2)).toBe(false);

    first.child.kill('SIGKILL');
    await first.exited;
    await second.waitFor(sentTo('c1'));
    await second.waitFor((line) => line.type === 'delivery.sent' && line.chatId === 'c1');
    expect(llm.requests()).toHaveLength(2);
    expect(lastUserText(1)).toContain('first question');
    second.child.kill('SIGTERM');
    await second.exited;

    expect(first.sent()).toEqual([]);
    expect(second.sent()).toEqual([
      { chatId: 'c2', text: 'answer two' },
      { chatId: 'c1', text: 'answer one' },
    ]);
    // Nothing is left for a later gateway: no pending work, no reply to send again, no lease held.
    harness = await createHarness({ storePath: join(directory, 'ngb.db') });
    await harness.gateway.idle();
    expect(harness.texts()).toEqual([]);
    expect(await harness.store.turns.listUnfinished()).toEqual([]);
    expect(await harness.store.outbox.listPending()).toEqual([]);
    for (const session of await harness.store.sessions.list()) expect(await harness.store.leases.get(session.id)).toBeUndefined();
    expect(harness.llm.requests()).toEqual([]);
  });
});
