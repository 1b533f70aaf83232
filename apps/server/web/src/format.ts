// Formatters are made once, on first use: every `toLocale*String` with options builds a new one,
// which costs milliseconds (a chart's twenty bars took most of the first render's time), and the
// first one of a kind loads the locale's data (a relative-time formatter: 50–200 ms in a fresh tab),
// which a first screen that shows no relative time should not wait for.
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

const timeFields = { hour: 'numeric', minute: 'numeric', second: 'numeric' } as const;
const relative = once(() => new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }));
const dateTime = once(
  () => new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric', ...timeFields }),
);
const timeOfDay = once(() => new Intl.DateTimeFormat(undefined, timeFields));
const compactNumber = once(() => new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 }));

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
    if (Math.abs(value) < size) return unit === 'second' && Math.abs(value) < 10 ? 'just now' : relative().format(value, unit);
    value = Math.round(value / size);
  }
  return relative().format(value, 'year');
}

/** A date and time in the reader's locale. */
export function when(at: number | undefined): string {
  return at === undefined || at === null ? '—' : dateTime().format(at);
}

/** A time of day with seconds, in the reader's locale. */
export function clock(at: number | string): string {
  return timeOfDay().format(typeof at === 'string' ? new Date(at) : at);
}

/**
 * A time of day to the minute on a 24-hour clock ("08:05"), without a formatter: the overview's
 * charts label every bar with one, and the first screen should not wait for a locale's data.
 */
export function clockMinute(at: number): string {
  const date = new Date(at);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** 1234567 → "1.2M". */
export function compact(value: number): string {
  return compactNumber().format(value);
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
