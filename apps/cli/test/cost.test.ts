import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createProject, runCli } from './cli-harness';

let server: FakeLlmServer;
const projects: Array<{ dir: string; remove: () => void }> = [];

beforeAll(async () => {
  assertBuilt();
  server = await createFakeLlmServer({ acceptAnyModel: true });
});
afterAll(async () => {
  await server?.close();
  for (const project of projects) project.remove();
});

// 10,000 prompt tokens of which 4,000 read from the cache, and 1,000 generated.
const usage = { inputTokens: 10_000, outputTokens: 1_000, cacheReadTokens: 4_000 };

async function runOnce(model: string, pricing?: Record<string, unknown>) {
  const project = await createProject('cost', (config) => {
    if (pricing !== undefined) config.pricing = pricing;
  });
  projects.push(project);
  server.script([{ type: 'reply', text: 'priced', usage }]);
  const env = { OPENAI_BASE_URL: `${server.url}/v1` };
  const run = await runCli(['run', '-p', 'what does this cost?', '--model', model, '--json'], { cwd: project.dir, env });
  if (run.code !== 0) throw new Error(`ngb run failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as { sessionId: string; usage: { costUsd: number | null } };
  const show = await runCli(['session', 'show', result.sessionId], { cwd: project.dir, env });
  expect(show.code).toBe(0);
  return { costUsd: result.usage.costUsd, show: show.stdout };
}

describe('cost of a turn', { timeout: 90_000 }, () => {
  it('is priced from the provider table by the model that answered, cache reads at their own rate', async () => {
    const { costUsd, show } = await runOnce('gpt-6.1-terra-2026-10-26');
    // gpt-6.1-terra: $1 input, $0.05 cache read, $5 output per million tokens.
    expect(costUsd).toBeCloseTo((6_000 * 1 + 4_000 * 0.05 + 1_000 * 5) / 1_000_000, 10);
    expect(show).toMatch(/succeeded .* · 10000 in \/ 1000 out tokens · \$0\.0112 · gpt-6\.1-terra-2026-10-26/);
    expect(show).toContain('total 10000 in / 1000 out tokens · $0.0112');
  });

  it('follows a `pricing` entry in ngb.config.json over the table', async () => {
    const { costUsd, show } = await runOnce('gpt-6.1-terra', { 'gpt-6.1-terra': { input: 10, output: 50 } });
    expect(costUsd).toBeCloseTo((10_000 * 10 + 1_000 * 50) / 1_000_000, 10);
    expect(show).toContain('total 10000 in / 1000 out tokens · $0.1500');
  });

  it('says the cost is unknown, not $0, for a model no price covers', async () => {
    const { costUsd, show } = await runOnce('llama3.1');
    expect(costUsd).toBeNull();
    expect(show).toContain('10000 in / 1000 out tokens · cost unknown · llama3.1');
    expect(show).toMatch(
      /total 10000 in \/ 1000 out tokens · cost unknown \(no price for the model of 1 turn: add it under `pricing`/,
    );
    expect(show).not.toContain('$0');
  });
});
