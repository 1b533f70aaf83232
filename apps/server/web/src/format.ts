const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 min ago", "in 2 h", "yesterday". */
export function ago(at: number | undefined, now = Date.now()): string {
  if (at === undefined || at === null) return '—';
  const seconds = Math.round((at - now) / 1000);
  const steps: Array<[number, Intl.RelativeTimeFormatUnit]> = [
    [60, 'second'],
    [60, 'minute'],
    [24, 'hour'],
    [30, 'day'],
    [12, 'month'],
  ];
  let value = seconds;
  for (const [size, unit] of steps) {
    if (Math.abs(value) < size) return unit === 'second' && Math.abs(value) < 10 ? 'just now' : relative.format(value, unit);
    value = Math.round(value / size);
  }
  return relative.format(value, 'year');
}

/** A date and time in the reader's locale. */
export function when(at: number | undefined): string {
  return at === undefined || at === null ? '—' : new Date(at).toLocaleString();
}

/** 1234567 → "1.2M". */
export function compact(value: number): string {
  return new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** US dollars with cents, or fractions of a cent when small. */
export function dollars(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `$${value < 0.1 && value > 0 ? value.toFixed(4) : value.toFixed(2)}`;
}

/** The first characters of an id, enough to tell ids apart on a page. */
export function shortId(id: string | undefined): string {
  return id === undefined ? '—' : id.length > 10 ? id.slice(0, 8) : id;
}

/** Milliseconds as "240 ms" or "3.2 s". */
export function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Any value as readable text: strings as they are, the rest as indented JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? '';
  } catch {
    return String(value);
  }
}
