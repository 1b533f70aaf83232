import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const isSummaryRequest = (system: string | undefined) => system?.startsWith('You summarize conversations') ?? false;
const filler = (label: string) => `${label}: ${'lorem ipsum dolor sit amet '.repeat(16)}`;

describe('automatic compaction', () => {
  it('summarises older turns past 70 % of the window, archives them readable and in the store, and counts the call', async () => {
    harness = await createHarness({ script: [{ type: 'reply', text: 'first answer' }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('hello');
    // The window the fake's own count of the first prompt leaves room in for about three more long messages.
    const firstPrompt = harness.llm.requests()[0];
    const [firstTurn] = await harness.store.turns.listForSession((await harness.store.sessions.list())[0]?.id ?? '');
    const base = firstTurn?.inputTokens ?? 0;
    expect(base).toBeGreaterThan(0);
    await harness.store.agents.update(agent.id, { model: { contextWindow: Math.ceil((base + 330) / 0.7) } });
    harness.llm.script([
      { type: 'reply', text: 'second answer' },
      { type: 'reply', text: 'third answer' },
      {
        type: 'reply',
        text: 'The user said hello, then sent two long notes labelled ALPHA and BETA.',
        usage: { inputTokens: 500, outputTokens: 40 },
      },
      { type: 'reply', text: 'fourth answer', usage: { inputTokens: 300, outputTokens: 10 } },
    ]);
    await harness.say(filler('ALPHA'));
    await harness.say(filler('BETA'));
    expect(harness.llm.requests().some((request) => isSummaryRequest(request.system))).toBe(false);
    await harness.say(filler('GAMMA'));

    const requests = harness.llm.requests();
    const summaryRequest = requests.find((request) => isSummaryRequest(request.system));
    expect(summaryRequest?.messages[0]?.content).toContain('ALPHA');
    const last = requests.at(-1);
    expect(isSummaryRequest(last?.system)).toBe(false);
    const seen = JSON.stringify(last?.messages);
    expect(seen).toContain('<conversation_summary>\\nThe user said hello');
    expect(seen).not.toContain('ALPHA: lorem');
    expect(seen).toContain('GAMMA: lorem');
    expect(harness.texts().at(-1)).toBe('fourth answer');
    expect(firstPrompt?.system).toBe(last?.system);

    const [session] = await harness.store.sessions.list();
    const sessionId = session?.id ?? '';
    const archived = await harness.store.transcript.listArchived(sessionId);
    expect(JSON.stringify(archived.map((entry) => entry.content))).toContain('ALPHA: lorem');
    const live = await harness.store.transcript.list(sessionId);
    expect(live[0]?.content).toMatchObject({ role: 'user', content: expect.stringContaining('<conversation_summary>') });

    const compacted = harness.events.filter((event) => event.type === 'session.compacted');
    expect(compacted).toHaveLength(1);
    const event = compacted[0];
    if (event?.type !== 'session.compacted') throw new Error('no compaction event');
    expect(event.tokensAfter).toBeLessThan(event.tokensBefore);
    expect(event.archivePath).toMatch(new RegExp(`^archive/${sessionId}/\\d{4}-\\d{2}-\\d{2}\\.md$`));
    const file = readFileSync(join(harness.directory, 'agents', 'andy', event.archivePath ?? ''), 'utf8');
    expect(file).toContain('ALPHA: lorem');
    expect(file).toContain('The user said hello, then sent two long notes');

    const turns = await harness.store.turns.listForSession(sessionId);
    const lastTurn = turns.at(-1);
    expect(lastTurn).toMatchObject({ status: 'succeeded', inputTokens: 800, outputTokens: 50 });
  });

  it('compacts everything and tries once more when the model still says the prompt is too long', async () => {
    harness = await createHarness({ script: [{ type: 'reply', text: 'first answer' }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('remember the code word PELICAN');
    harness.llm.script([
      {
        type: 'error',
        status: 400,
        message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
      },
      { type: 'reply', text: 'Earlier the user gave the code word PELICAN.' },
      { type: 'reply', text: 'the code word was PELICAN' },
    ]);
    await harness.say('what was the code word?');
    expect(harness.texts()).toEqual(['first answer', 'the code word was PELICAN']);
    const last = harness.llm.requests().at(-1);
    expect(last?.messages.map((message) => message.role)).toEqual(['user', 'user']);
    expect(last?.messages[0]?.content).toBe(
      '<conversation_summary>\nEarlier the user gave the code word PELICAN.\n</conversation_summary>',
    );
    const [session] = await harness.store.sessions.list();
    const turns = await harness.store.turns.listForSession(session?.id ?? '');
    expect(turns.map((turn) => turn.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('never writes the archive through a link planted in the agent folder, and still compacts', async () => {
    harness = await createHarness({ script: [{ type: 'reply', text: 'first answer' }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    const outside = mkdtempSync(join(tmpdir(), 'ngb-outside-'));
    try {
      symlinkSync(outside, join(harness.directory, 'agents', 'andy', 'archive'));
      await harness.say('hello');
      await harness.grant('user-1', 'owner');
      harness.llm.script([{ type: 'reply', text: 'A greeting.' }]);
      await harness.say('/compact');
      expect(harness.texts().at(-1)).toMatch(/^andy: compacted 2 entries into a summary/);
      expect(readdirSync(outside)).toEqual([]);
      expect(harness.logger.lines.some((record) => record.message === 'compaction archive not written')).toBe(true);
      const event = harness.events.find((item) => item.type === 'session.compacted');
      expect(event).toMatchObject({ archived: 2 });
      expect(event && 'archivePath' in event ? event.archivePath : undefined).toBeUndefined();
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('says once in the log that a model has no known context window, and assumes a small one', async () => {
    harness = await createHarness({
      script: [
        { type: 'reply', text: 'one' },
        { type: 'reply', text: 'two' },
        { type: 'reply', text: 'three' },
      ],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('hello');
    await harness.say('again');
    const warnings = harness.logger.lines.filter((record) => record.message.startsWith('context window of model'));
    expect(warnings.map((record) => record.message)).toEqual([
      'context window of model "fake-model" unknown; assuming 32000 tokens (set agents.andy.model.contextWindow)',
    ]);
    await harness.say('and again');
    expect(harness.logger.lines.filter((record) => record.message.startsWith('context window of'))).toHaveLength(1);
    expect(existsSync(join(harness.directory, 'agents', 'andy', 'archive'))).toBe(false);
  });

  it("checks a session's size against its window without reading its whole transcript each turn", async () => {
    // A long-lived chat must not get slower with every turn: the transcript is read whole once, and
    // each later turn (its compaction check included) reads only what was appended since.
    let fullReads = 0;
    harness = await createHarness({
      script: Array.from({ length: 6 }, (_, index) => ({ type: 'reply' as const, text: `answer ${index}` })),
      wrapStore: (store) => ({
        ...store,
        transcript: {
          ...store.transcript,
          list: (sessionId, options) => {
            if (options?.after === undefined) fullReads += 1;
            return store.transcript.list(sessionId, options);
          },
        },
      }),
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    for (let index = 0; index < 6; index += 1) await harness.say(`question ${index}`);
    expect(harness.texts()).toEqual(Array.from({ length: 6 }, (_, index) => `answer ${index}`));
    // The first turn finds it empty (nothing to build on), the second reads it whole, the rest only
    // what was appended since.
    expect(fullReads).toBe(2);
  });
});
