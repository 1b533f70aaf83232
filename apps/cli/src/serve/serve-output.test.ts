import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDuration, formatLocalTime } from '../render/format';
import { createServeOutput } from './serve-output';

afterEach(() => vi.restoreAllMocks());

const ready = {
  readyMs: 120,
  agents: ['main'],
  channels: ['web'],
  runtime: 'docker (ngb-agent:latest)',
  model: 'openai/gpt-test',
  logFile: '.ngb/logs/gateway.jsonl',
  webhooks: [],
};

/** Captures what the output writes to stdout and stderr, in order. */
function captureOutput(): string[] {
  const written: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
  }
  return written;
}

describe('ngb serve: the ready lines', () => {
  it('say the gateway is ready before the claim code is made, and end with the code', async () => {
    const written = captureOutput();
    let makeCode: (claim: { code: string; expiresAt: number }) => void = () => undefined;
    const shown = createServeOutput('text', false, formatDuration).ready(
      ready,
      new Promise((resolve) => {
        makeCode = resolve;
      }),
    );
    await Promise.resolve();
    expect(written.join('')).toContain('gateway ready in 120 ms');
    expect(written.join('')).not.toContain('/claim');
    expect(written.join('')).not.toContain('Ctrl-C stops the gateway');
    makeCode({ code: 'ABCD2345EF', expiresAt: Date.now() + 60_000 });
    await shown;
    const text = written.join('');
    expect(text.indexOf('gateway ready')).toBeLessThan(text.indexOf('/claim ABCD2345EF'));
    expect(text.indexOf('/claim ABCD2345EF')).toBeLessThan(text.indexOf('Ctrl-C stops the gateway'));
  });

  it('as JSON: one ready record that holds the claim code', async () => {
    const written = captureOutput();
    await createServeOutput('json', false, formatDuration).ready(ready, Promise.resolve({ code: 'ABCD2345EF', expiresAt: 1 }));
    expect(written.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ msg: 'ngb serve ready', readyMs: 120, claim: { code: 'ABCD2345EF', expiresAt: 1 } }),
    ]);
  });

  it('give the claim code with its expiry in local time, without loading ICU date formatting', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const localized = vi.spyOn(Date.prototype, 'toLocaleString');
    const formats = vi.spyOn(Intl, 'DateTimeFormat');
    const expiresAt = new Date(2026, 11, 2, 9, 5, 30).getTime();
    await createServeOutput('text', false, formatDuration).ready(ready, Promise.resolve({ code: 'ABCD2345EF', expiresAt }));
    expect(written.join('')).toContain(
      "send /claim ABCD2345EF from any chat, or the dashboard's chat (valid until 2026-12-02 09:05)",
    );
    expect(localized).not.toHaveBeenCalled();
    expect(formats).not.toHaveBeenCalled();
  });
});

describe('formatLocalTime', () => {
  it('is the local date and time to the minute, zero-padded', () => {
    expect(formatLocalTime(new Date(2027, 0, 9, 7, 3, 59).getTime())).toBe('2027-01-09 07:03');
    expect(formatLocalTime(new Date(2026, 10, 30, 23, 59).getTime())).toBe('2026-11-30 23:59');
  });
});
