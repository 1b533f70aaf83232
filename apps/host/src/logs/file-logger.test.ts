import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger } from './file-logger';
import { openLogSink } from './log-sink';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ngb-file-logger-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('createFileLogger', () => {
  it('keeps token counts, hides secret keys and secret-looking text in the message and the fields', () => {
    const path = join(directory, 'gateway.jsonl');
    const sink = openLogSink(path, { level: 'info' });
    const logger = createFileLogger({ sink, base: { pid: 7 } }).child('openai');
    const key = 'sk-test-this-must-never-be-printed';
    logger.info(`request refused for key ${key}`, {
      usage: { inputTokens: 1200, outputTokens: 34 },
      maxTokens: 4096,
      apiKey: key,
      url: 'postgres://ngb:hunter2@db/ngb',
    });
    logger.debug('dropped below the level', { text: 'never written' });
    sink.close();
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(key);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('never written');
    expect(JSON.parse(text)).toEqual({
      time: expect.any(String),
      level: 'info',
      tag: 'openai',
      msg: 'request refused for key sk-[redacted]',
      pid: 7,
      usage: { inputTokens: 1200, outputTokens: 34 },
      maxTokens: 4096,
      apiKey: '[redacted]',
      url: 'postgres://ngb:[redacted]@db/ngb',
    });
  });
});
