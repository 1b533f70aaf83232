/** The part of `Headers` read here. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * How long the server asked to wait: `retry-after-ms` (milliseconds), else `retry-after` (seconds or
 * an HTTP date). Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: HeaderReader | undefined, now: number = Date.now()): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers?.get('retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number.parseFloat(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
