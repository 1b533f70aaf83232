import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDuration, formatLocalTime } from '../render/format';
import { createServeOutput } from './serve-output';

afterEach(() => vi.restoreAllMocks());

describe('ngb serve: the ready lines', () => {
  it('give the claim code with its expiry in local time, without loading ICU date formatting', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const localized = vi.spyOn(Date.prototype, 'toLocaleString');
    const formats = vi.spyOn(Intl, 'DateTimeFormat');
    const expiresAt = new Date(2026, 11, 2, 9, 5, 30).getTime();
    createServeOutput('text', false, formatDuration).ready({
      readyMs: 120,
      agents: ['main'],
      channels: ['web'],
      runtime: 'docker (ngb-agent:latest)',
      model: 'openai/gpt-test',
      logFile: '.ngb/logs/gateway.jsonl',
      webhooks: [],
      claim: { code: 'ABCD2345EF', expiresAt },
    });
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
