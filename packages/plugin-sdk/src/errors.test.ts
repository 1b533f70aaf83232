import { describe, expect, it } from 'vitest';
import {
  ChannelApiError,
  ConfigError,
  errorMessage,
  errorName,
  isRetryableStatus,
  LlmApiError,
  NgbError,
  NotFoundError,
  NotSupportedError,
  SandboxError,
} from './errors';

describe('errors', () => {
  it('are recognized across copies through the Symbol.for marker', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('@ngb/plugin-sdk.error')]: true,
      [Symbol.for('@ngb/plugin-sdk.ConfigError')]: true,
      name: 'ConfigError',
    });
    expect(NgbError.isInstance(foreign)).toBe(true);
    expect(ConfigError.isInstance(foreign)).toBe(true);
    expect(SandboxError.isInstance(foreign)).toBe(false);
    expect(NgbError.isInstance(new Error('plain'))).toBe(false);
    expect(NgbError.isInstance(null)).toBe(false);
  });

  it("a subclass passes its parent's check, whatever its name", () => {
    class MissingTokenError extends ConfigError {}
    class EngineGoneError extends SandboxError {}
    const missing = new MissingTokenError('[@ngb/x] pass `botToken`', { key: 'botToken' });
    expect(missing.name).toBe('MissingTokenError');
    expect(ConfigError.isInstance(missing)).toBe(true);
    expect(NgbError.isInstance(missing)).toBe(true);
    expect(SandboxError.isInstance(missing)).toBe(false);
    const gone = new EngineGoneError('engine_unavailable', 'gone');
    expect(SandboxError.isInstance(gone)).toBe(true);
    expect(ConfigError.isInstance(gone)).toBe(false);
  });

  it('turns anything thrown into a message and a name', () => {
    expect(errorMessage(new TypeError('bad'))).toBe('bad');
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage({ message: 'from a copy' })).toBe('from a copy');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(42)).toBe('42');
    expect(errorName(new TypeError('bad'))).toBe('TypeError');
    expect(errorName('text')).toBe('Error');
    expect(errorName(null)).toBe('Error');
  });

  it('subclass checks tell the classes apart', () => {
    const config = new ConfigError('[@ngb/x] pass `botToken`', { key: 'botToken' });
    expect(ConfigError.isInstance(config)).toBe(true);
    expect(SandboxError.isInstance(config)).toBe(false);
    expect(config.key).toBe('botToken');
    expect(config.code).toBe('config_invalid');
    expect(config.name).toBe('ConfigError');
  });

  it.each([
    [408, true],
    [409, true],
    [429, true],
    [500, true],
    [529, true],
    [undefined, true],
    [400, false],
    [401, false],
    [404, false],
  ])('status %s retryable=%s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
    expect(new ChannelApiError('telegram', 'x', { status }).retryable).toBe(retryable);
    expect(new LlmApiError('openai', 'x', { status }).retryable).toBe(retryable);
  });

  it('keeps cause, retryAfterMs, reason and ids', () => {
    const cause = new Error('socket hang up');
    const error = new LlmApiError('anthropic', 'overloaded', { status: 429, retryAfterMs: 1500, cause });
    expect(error.cause).toBe(cause);
    expect(error.retryAfterMs).toBe(1500);
    expect(new SandboxError('timeout', 'slow').code).toBe('sandbox_timeout');
    expect(new NotFoundError('session', 'abc').message).toBe('unknown session "abc"');
    expect(NotSupportedError.isInstance(new NotSupportedError('later'))).toBe(true);
  });
});
