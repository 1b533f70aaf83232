import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

async function project(changeConfig?: (config: Record<string, unknown>) => void) {
  const created = await createProject('cost-budgets', changeConfig);
  projects.push(created);
  return created;
}

const budgets = (config: Record<string, unknown>) => {
  const agents = config.agents as Record<string, Record<string, unknown>>;
  agents.main = { ...agents.main, budget: { day: { usd: 0.18 }, month: { usd: 10 } } };
  config.budgets = { timeZone: 'Europe/Berlin', eachChat: { month: { tokens: 1_000_000 } } };
  // $10 per million prompt tokens and $50 per million generated: 10,000 + 1,000 tokens cost $0.15.
  config.pricing = { 'fake-priced': { input: 10, output: 50 } };
};

const cells = (line: string | undefined) => (line ?? '').trim().split(/\s{2,}/);

describe('ngb cost', { timeout: 90_000 }, () => {
  it('says nothing was spent in a project with no budgets and no spend', async () => {
    const { dir } = await project();
    const cost = await runCli(['cost'], { cwd: dir });
    expect(cost.code).toBe(0);
    expect(cost.stdout).toContain('nothing spent against budgets this day or month');
  });

  it('prints the spend a turn recorded against each budget: spent, limit, share used, and the near-limit marker', async () => {
    const { dir } = await project(budgets);
    server.script([{ type: 'reply', text: 'priced', usage: { inputTokens: 10_000, outputTokens: 1_000 } }]);
    const env = { OPENAI_BASE_URL: `${server.url}/v1` };
    const run = await runCli(['run', '-p', 'what does this cost?', '--model', 'fake-priced'], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);

    const cost = await runCli(['cost'], { cwd: dir });
    expect(cost.code, cost.stderr).toBe(0);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
    const lines = cost.stdout.trimEnd().split('\n');
    expect(cells(lines[0])).toEqual(['PERIOD', 'SCOPE', 'NAME', 'SPENT', 'BUDGET', 'TOKENS', 'TOKEN BUDGET', 'USED']);
    const row = (period: string, scope: string) =>
      cells(lines.find((line) => line.startsWith(period) && line.includes(` ${scope} `)));
    expect(row(`day:${day}`, 'agent')).toEqual([
      `day:${day}`,
      'agent',
      'main',
      '$0.1500',
      '$0.1800',
      '11000',
      '-',
      '83 %',
      'near limit',
    ]);
    expect(row(`month:${day.slice(0, 7)}`, 'agent')).toEqual([
      `month:${day.slice(0, 7)}`,
      'agent',
      'main',
      '$0.1500',
      '$10.0000',
      '11000',
      '-',
      '2 %',
    ]);
    const chatMonth = row(`month:${day.slice(0, 7)}`, 'chat');
    expect(chatMonth.slice(3)).toEqual(['$0.1500', '-', '11000', '1000000', '1 %']);
    expect(lines.at(-1)).toBe(
      'days and months in Europe/Berlin; "near limit" from 80 % of a budget, "SPENT" once turns are refused',
    );

    const json = await runCli(['cost', '--json'], { cwd: dir });
    const rows = JSON.parse(json.stdout) as Array<{ period: string; scope: string; share?: number; state: string }>;
    expect(rows.find((entry) => entry.period === 'day' && entry.scope === 'agent')).toMatchObject({
      share: expect.closeTo(0.15 / 0.18, 6),
      state: 'near',
    });
  });

  it('refuses a bad budget value in the config, naming the key, with a non-zero exit code', async () => {
    const { dir } = await project(budgets);
    const file = join(dir, 'ngb.config.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as { budgets: Record<string, unknown> };
    config.budgets.nearShare = 2;
    writeFileSync(file, JSON.stringify(config));
    const cost = await runCli(['cost'], { cwd: dir });
    expect(cost.code).not.toBe(0);
    expect(cost.stderr).toContain('budgets.nearShare');
    expect(cost.stderr).toContain('must be from 0.01 to 1');
    expect(cost.stdout).toBe('');
  });
});
