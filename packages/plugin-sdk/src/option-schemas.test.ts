import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { systemClock } from './clock';
import { ConfigError } from './errors';
import { silentLogger } from './logger';
import {
  clockOption,
  fetchOption,
  loggerOption,
  millisecondsOption,
  parseOptions,
  positiveIntegerOption,
} from './option-schemas';

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

describe('parseOptions', () => {
  const schema = v.strictObject({
    token: v.pipe(v.string('must be a string'), v.minLength(8, 'must be at least 8 characters')),
    retry: v.optional(v.strictObject({ maxAttempts: v.optional(positiveIntegerOption, 3) }), {}),
  });
  const thrown = (run: () => unknown): ConfigError => {
    try {
      run();
    } catch (error) {
      if (ConfigError.isInstance(error)) return error;
      throw error;
    }
    throw new Error('nothing was thrown');
  };

  it('returns the parsed options, defaults filled in', () => {
    expect(parseOptions(schema, { token: 'a-long-token' }, '[@ngb/x]')).toEqual({
      token: 'a-long-token',
      retry: { maxAttempts: 3 },
    });
  });

  it('names the option at fault by its path, as the message and as the key, never its value', () => {
    const error = thrown(() => parseOptions(schema, { token: 'secret', retry: { maxAttempts: 0 } }, '[@ngb/x]'));
    expect(error.message).toBe('[@ngb/x] option "token" is invalid: must be at least 8 characters');
    expect(error.key).toBe('token');
    expect(error.message).not.toContain('secret');
    const nested = thrown(() => parseOptions(schema, { token: 'a-long-token', retry: { maxAttempts: 1.5 } }, '[@ngb/x]'));
    expect(nested.message).toBe('[@ngb/x] option "retry.maxAttempts" is invalid: must be a whole number');
    expect(nested.key).toBe('retry.maxAttempts');
  });

  it("cuts what valibot's own messages say they received", () => {
    const loose = v.object({ mode: v.picklist(['polling', 'webhook']) });
    const error = thrown(() => parseOptions(loose, { mode: 'tok-3141592653' }, '[@ngb/x]'));
    expect(error.message).toBe('[@ngb/x] option "mode" is invalid: Invalid type: Expected ("polling" | "webhook")');
    expect(error.message).not.toContain('3141592653');
    const url = v.object({ baseURL: v.pipe(v.string(), v.url()) });
    const withCredentials = thrown(() => parseOptions(url, { baseURL: 'https//user:hunter2@host' }, '[@ngb/x]'));
    expect(withCredentials.message).toBe('[@ngb/x] option "baseURL" is invalid: Invalid URL');
  });

  it('puts the config key the options sit under before the path', () => {
    const error = thrown(() =>
      parseOptions(schema, { token: 'a-long-token', extra: 1 }, '[@ngb/x] rate limit', { keyPrefix: 'rateLimit' }),
    );
    expect(error.message).toMatch(/^\[@ngb\/x\] rate limit option "extra" is invalid: /);
    expect(error.key).toBe('rateLimit.extra');
  });

  it('speaks of the options as a whole when they are not an object', () => {
    const error = thrown(() => parseOptions(schema, 'token', '[@ngb/x]'));
    expect(error.message).toBe('[@ngb/x] options are invalid: Invalid type: Expected Object');
    expect(error.key).toBeUndefined();
    expect(thrown(() => parseOptions(schema, undefined, '[@ngb/x]', { keyPrefix: 'rateLimit' })).key).toBe('rateLimit');
  });
});
