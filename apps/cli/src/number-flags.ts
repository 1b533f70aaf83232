import { fail } from './cli-error';

/** Parses a numeric flag, or ends the command with one line naming the flag and what it wants. */
export function numberFlag(
  name: string,
  value: string | undefined,
  rules: { integer?: boolean; min?: number; max?: number; exclusiveMin?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  const range =
    rules.min !== undefined && rules.max !== undefined
      ? `from ${rules.min} to ${rules.max}`
      : rules.min !== undefined
        ? `of at least ${rules.min}`
        : rules.max !== undefined
          ? `${rules.exclusiveMin !== undefined ? 'and ' : 'of '}at most ${rules.max}`
          : '';
  const wanted = [
    rules.integer ? 'a whole number' : 'a number',
    rules.exclusiveMin !== undefined ? `above ${rules.exclusiveMin}` : '',
    range,
  ]
    .filter(Boolean)
    .join(' ');
  const bad =
    value.trim() === '' ||
    !Number.isFinite(number) ||
    (rules.integer && !Number.isInteger(number)) ||
    (rules.min !== undefined && number < rules.min) ||
    (rules.max !== undefined && number > rules.max) ||
    (rules.exclusiveMin !== undefined && number <= rules.exclusiveMin);
  if (bad) fail(`--${name} must be ${wanted}, not "${value}"`);
  return number;
}
