import type { Logger } from '../logger';

/** The logger a model vendor's SDK takes (the OpenAI and Anthropic SDKs share the shape). */
export interface SdkLogger {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/**
 * A vendor SDK's logging, sent to the gateway's logger instead of the console: what the SDK adds to a
 * message goes in its `details`, and the SDK's `info` (chatter about requests) is logged as debug.
 */
export function sdkLogger(logger: Logger): SdkLogger {
  const line =
    (level: 'debug' | 'warn' | 'error') =>
    (message: string, ...rest: unknown[]) =>
      logger[level](message, rest.length > 0 ? { details: rest } : undefined);
  return { debug: line('debug'), info: line('debug'), warn: line('warn'), error: line('error') };
}
