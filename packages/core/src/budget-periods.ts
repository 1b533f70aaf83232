const formatters = new Map<string, Intl.DateTimeFormat>();

/** The day and month of `instant` in `timeZone`, as budget periods: `day:YYYY-MM-DD`, `month:YYYY-MM`. */
export function budgetPeriodsAt(instant: number, timeZone: string): { day: string; month: string } {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(instant)) parts[part.type] = part.value;
  return { day: `day:${parts.year}-${parts.month}-${parts.day}`, month: `month:${parts.year}-${parts.month}` };
}
