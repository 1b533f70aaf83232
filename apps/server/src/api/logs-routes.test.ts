import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLogSink } from '@ngb/host';
import type { LogLevel } from '@ngb/plugin-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';
import { createLogFileReader } from './log-file-reader';

const folder = mkdtempSync(join(tmpdir(), 'ngb-logs-api-'));
const logFile = join(folder, 'gateway.jsonl');
const at = (second: number) => new Date(Date.UTC(2026, 5, 1, 12, 0, second)).toISOString();
let harness: ServerHarness;

beforeAll(async () => {
  writeFileSync(`${logFile}.1`, `${JSON.stringify({ time: at(0), level: 'info', msg: 'from the rotated file' })}\n`);
  const sink = openLogSink(logFile, { level: 'debug' });
  const lines: Array<[number, LogLevel, string]> = [
    [1, 'debug', 'debug one'],
    [2, 'info', 'info two'],
    [3, 'warn', 'warn three'],
    [4, 'error', 'error four'],
    [4, 'info', 'info four, same millisecond'],
    [5, 'info', 'info five'],
  ];
  for (const [second, level, msg] of lines) sink.write({ time: at(second), level, msg, tag: 'test' });
  sink.close();
  appendFileSync(logFile, 'not json at all\n{"time": 5}\n');
  harness = await createServerHarness({ server: { logFile } });
});
afterAll(async () => {
  await harness.close();
  rmSync(folder, { recursive: true, force: true });
});

const messages = (body: { items: Array<{ msg: string }> }) => body.items.map((record) => record.msg);

describe('GET /api/logs', () => {
  it('answers the newest records first, from the configured file and its rotated one, skipping broken lines', async () => {
    const answer = await call(harness, 'GET', '/api/logs');
    expect(answer.status).toBe(200);
    expect(messages(answer.body)).toEqual([
      'info five',
      'info four, same millisecond',
      'error four',
      'warn three',
      'info two',
      'debug one',
      'from the rotated file',
    ]);
    expect(answer.body.items[0]).toMatchObject({ level: 'info', tag: 'test', time: at(5) });
  });

  it('filters by the lowest level and pages with `before`, never splitting one millisecond', async () => {
    expect(messages((await call(harness, 'GET', '/api/logs?level=warn')).body)).toEqual(['error four', 'warn three']);
    const first = await call(harness, 'GET', '/api/logs?limit=2');
    expect(messages(first.body)).toEqual(['info five', 'info four, same millisecond', 'error four']);
    expect(first.body.next).toBe(at(4));
    const second = await call(harness, 'GET', `/api/logs?limit=2&before=${encodeURIComponent(first.body.next)}`);
    expect(messages(second.body)).toEqual(['warn three', 'info two']);
  });

  it('refuses an unknown level or time', async () => {
    expect((await call(harness, 'GET', '/api/logs?level=loud')).status).toBe(400);
    expect((await call(harness, 'GET', '/api/logs?before=soon')).status).toBe(400);
  });

  it('reads at most its byte budget from the end of the file', async () => {
    const reader = createLogFileReader(logFile, { maxBytes: 200 });
    const { records } = await reader.read({ limit: 50 });
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThan(4);
    expect(records[0]?.msg).toBe('info five');
  });

  it('answers 501 when the server has no log file', async () => {
    const bare = await createServerHarness();
    try {
      expect((await call(bare, 'GET', '/api/logs')).status).toBe(501);
    } finally {
      await bare.close();
    }
  });
});
