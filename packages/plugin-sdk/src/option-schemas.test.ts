import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { systemClock } from './clock';
import { silentLogger } from './logger';
import { clockOption, fetchOption, loggerOption, millisecondsOption, positiveIntegerOption } from './option-schemas';

const problem = (schema: v.GenericSchema, value: unknown) => {
  const result = v.safeParse(schema, value);
  return result.success ? undefined : result.issues[0].message;
};

describe('shared option schemas', () => {
  it('take what a host injects and name what they wanted otherwise', () => {
    expect(problem(clockOption, systemClock)).toBeUndefined();
    expect(problem(clockOption, { now: () => 0 })).toBe('must be a Clock');
    expect(problem(fetchOption, globalThis.fetch)).toBeUndefined();
    expect(problem(fetchOption, 'fetch')).toBe('must be a fetch function');
    expect(problem(loggerOption, silentLogger)).toBeUndefined();
    expect(problem(loggerOption, null)).toBe('must be a Logger');
  });

  it('bound whole numbers and durations a timer can hold', () => {
    expect(problem(positiveIntegerOption, 1)).toBeUndefined();
    expect(problem(positiveIntegerOption, 0)).toBe('must be at least 1');
    expect(problem(positiveIntegerOption, 1.5)).toBe('must be a whole number');
    expect(problem(positiveIntegerOption, '3')).toBe('must be a number');
    expect(problem(millisecondsOption, 2 ** 31 - 1)).toBeUndefined();
    expect(problem(millisecondsOption, 2 ** 31)).toBe('must be at most 2147483647 (ms)');
  });
});
