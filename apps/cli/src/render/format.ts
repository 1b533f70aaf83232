import type { TurnUsage } from '@ngb/core';

/** `850 ms`, `1.2 s`, `3 min 4 s`. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)} s`;
  const minutes = Math.floor(milliseconds / 60_000);
  return `${minutes} min ${Math.round((milliseconds - minutes * 60_000) / 1000)} s`;
}

/** `3 s ago`, `5 min ago`, `2 h ago`, or a date for older times. */
export function formatAge(time: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - time) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(time).toISOString().slice(0, 10);
}

/**
 * `2026-12-02 21:44` in the local time zone. Written out by hand: the first `toLocaleString` loads ICU's
 * date formatting (tens of milliseconds), which `ngb serve` would pay right after its ready line.
 */
export function formatLocalTime(time: number): string {
  const date = new Date(time);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** `120 in / 45 out tokens · $0.0012`, or `· cost unknown` when no price covers the model. */
export function formatUsage(usage: Pick<TurnUsage, 'inputTokens' | 'outputTokens' | 'costUsd'>): string {
  return `${usage.inputTokens} in / ${usage.outputTokens} out tokens · ${formatCost(usage.costUsd)}`;
}

/** `$0.0012`, or `cost unknown` (never `$0` for a model with no price). */
export function formatCost(costUsd: number | null): string {
  return costUsd === null ? 'cost unknown' : `$${costUsd.toFixed(4)}`;
}

/** The usage of several turns together; the cost is unknown when any turn's is. */
export function sumUsage(
  turns: ReadonlyArray<Pick<TurnUsage, 'inputTokens' | 'outputTokens' | 'cacheTokens' | 'costUsd'>>,
): Pick<TurnUsage, 'inputTokens' | 'outputTokens' | 'cacheTokens' | 'costUsd'> {
  return turns.reduce<Pick<TurnUsage, 'inputTokens' | 'outputTokens' | 'cacheTokens' | 'costUsd'>>(
    (sum, turn) => ({
      inputTokens: sum.inputTokens + turn.inputTokens,
      outputTokens: sum.outputTokens + turn.outputTokens,
      cacheTokens: sum.cacheTokens + turn.cacheTokens,
      costUsd: sum.costUsd === null || turn.costUsd === null ? null : sum.costUsd + turn.costUsd,
    }),
    { inputTokens: 0, outputTokens: 0, cacheTokens: 0, costUsd: 0 },
  );
}

/** Cuts text to one line of at most `width` characters. */
export function oneLine(text: string, width = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/** The short form of an id for tables. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** Length of text as shown in a terminal (colour codes take no room). */
function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal colour codes
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** Lines of a left-aligned table; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => visibleLength(row[column] ?? ''))));
  const format = (row: readonly string[]) =>
    row
      .map((cell, column) =>
        column === row.length - 1 ? cell : cell + ' '.repeat(Math.max(0, (widths[column] ?? 0) - visibleLength(cell))),
      )
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)];
}
