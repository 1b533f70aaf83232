import { errorMessage, type Logger } from '@ngb/plugin-sdk';

/** The pino-shaped logger Baileys calls: `(object, message)` or `(message)`. */
export interface BaileysLogger {
  level: string;
  child(bindings: Record<string, unknown>): BaileysLogger;
  trace(object: unknown, message?: string): void;
  debug(object: unknown, message?: string): void;
  info(object: unknown, message?: string): void;
  warn(object: unknown, message?: string): void;
  error(object: unknown, message?: string): void;
  fatal(object: unknown, message?: string): void;
}

function describe(object: unknown, message: string | undefined): { text: string; fields: Record<string, unknown> } {
  if (typeof object === 'string') return { text: object, fields: {} };
  const error = (object as { err?: unknown; error?: unknown } | undefined)?.err ?? (object as { error?: unknown })?.error;
  return { text: message ?? 'baileys', fields: error === undefined ? {} : { error: errorMessage(error) } };
}

/**
 * A pino-shaped logger for Baileys that forwards its warnings and errors to the channel's logger (the
 * rest is dropped: Baileys logs every frame at debug level). Nothing is printed.
 */
export function baileysLogger(logger: () => Logger): BaileysLogger {
  const ignore = () => undefined;
  const self: BaileysLogger = {
    level: 'warn',
    child: () => self,
    trace: ignore,
    debug: ignore,
    info: ignore,
    warn(object, message) {
      const { text, fields } = describe(object, message);
      logger().warn(`whatsapp web: ${text}`, fields);
    },
    error(object, message) {
      const { text, fields } = describe(object, message);
      logger().error(`whatsapp web: ${text}`, fields);
    },
    fatal(object, message) {
      const { text, fields } = describe(object, message);
      logger().error(`whatsapp web: ${text}`, fields);
    },
  };
  return self;
}
