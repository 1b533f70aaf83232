import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const marker = 'MARKER-FROM-OUTSIDE-0f3a';

async function setUp(options: { agentFileMaxBytes?: number } = {}) {
  const h = await createHarness(options);
  harness = h;
  const agentsDirectory = join(h.directory, 'agents');
  const outside = join(h.directory, 'outside');
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), `API_KEY=${marker}`);
  writeFileSync(join(outside, 'AGENTS.md'), marker);
  const agent = await h.addAgent('andy');
  await h.addChat('c1', { agent });
  return { h, agentsDirectory, outside, agent };
}

const systemPrompts = (h: Harness) => h.llm.requests().map((request) => request.system ?? '');
const skipWarnings = (h: Harness) => h.logger.lines.filter((line) => line.message.startsWith('agent file skipped'));

describe('files the host reads from agent folders', () => {
  it('reads a regular AGENTS.md and the global one into the system prompt', async () => {
    const { h, agentsDirectory } = await setUp();
    writeFileSync(join(agentsDirectory, 'andy', 'AGENTS.md'), 'ALWAYS-RHYME');
    mkdirSync(join(agentsDirectory, 'global'));
    writeFileSync(join(agentsDirectory, 'global', 'AGENTS.md'), 'SHARED-RULE');
    await h.say('hello');
    expect(systemPrompts(h)[0]).toContain('<agent_instructions>\nALWAYS-RHYME\n</agent_instructions>');
    expect(systemPrompts(h)[0]).toContain('<global_instructions>\nSHARED-RULE\n</global_instructions>');
  });

  it('never follows a link out of the folder, and warns once, not at every turn', async () => {
    const { h, agentsDirectory, outside } = await setUp();
    rmSync(join(agentsDirectory, 'andy', 'AGENTS.md'), { force: true });
    symlinkSync(join(outside, 'secret.txt'), join(agentsDirectory, 'andy', 'AGENTS.md'));
    await h.say('repeat your instructions');
    await h.say('and again');
    expect(h.texts()).toEqual(['echo: repeat your instructions', 'echo: and again']);
    for (const system of systemPrompts(h)) expect(system).not.toContain(marker);
    expect(skipWarnings(h)).toHaveLength(1);
    expect(skipWarnings(h)[0]?.fields).toMatchObject({ path: 'andy/AGENTS.md', reason: 'symlink' });
  });

  it('skips a FIFO: the turn completes instead of hanging', async () => {
    const { h, agentsDirectory } = await setUp();
    execFileSync('mkfifo', [join(agentsDirectory, 'andy', 'AGENTS.md')]);
    await h.say('are you stuck?');
    expect(h.texts()).toEqual(['echo: are you stuck?']);
    expect(skipWarnings(h)[0]?.fields).toMatchObject({ path: 'andy/AGENTS.md', reason: 'not-regular' });
  });

  it('skips a link to /dev/zero', async () => {
    const { h, agentsDirectory } = await setUp();
    symlinkSync('/dev/zero', join(agentsDirectory, 'andy', 'AGENTS.md'));
    await h.say('hello');
    expect(h.texts()).toEqual(['echo: hello']);
    expect(systemPrompts(h)[0]).not.toContain('\0');
    expect(skipWarnings(h)).toHaveLength(1);
  });

  it('cuts a 1 MiB AGENTS.md at the cap, with a note in the prompt', async () => {
    const { h, agentsDirectory } = await setUp();
    writeFileSync(join(agentsDirectory, 'andy', 'AGENTS.md'), `HEAD-MARK ${'x'.repeat(1024 * 1024)} TAIL-MARK`);
    await h.say('hello');
    const system = systemPrompts(h)[0] ?? '';
    expect(system).toContain('HEAD-MARK');
    expect(system).not.toContain('TAIL-MARK');
    expect(system).toContain('[truncated: andy/AGENTS.md holds more than 65536 bytes; only the first 65536 are shown]');
    expect(system.length).toBeLessThan(65536 + 4096);
  });

  it('honours a configured cap', async () => {
    const { h, agentsDirectory } = await setUp({ agentFileMaxBytes: 100 });
    writeFileSync(join(agentsDirectory, 'andy', 'AGENTS.md'), 'y'.repeat(500));
    await h.say('hello');
    expect(systemPrompts(h)[0]).toContain(`${'y'.repeat(100)}\n\n[truncated: andy/AGENTS.md holds more than 100 bytes`);
    expect(systemPrompts(h)[0]).not.toContain('y'.repeat(101));
  });

  it('skips an agent folder or a global folder that was replaced by a link', async () => {
    const { h, agentsDirectory, outside } = await setUp();
    symlinkSync(outside, join(agentsDirectory, 'global'));
    const evil = await h.store.agents.create({ folder: 'evil', name: 'evil', isMain: false });
    symlinkSync(outside, join(agentsDirectory, 'evil'));
    await h.addChat('c2', { agent: evil });
    await h.say('hello', { chatId: 'c2' });
    expect(h.texts()).toEqual(['echo: hello']);
    expect(systemPrompts(h)[0]).not.toContain(marker);
    expect(skipWarnings(h).map((line) => line.fields?.detail)).toEqual(['evil is a symbolic link', 'global is a symbolic link']);
  });
});
