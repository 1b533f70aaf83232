const marker = Symbol.for('@ngb/plugin-sdk.error');

/** Options shared by every error of the project. */
export interface NgbErrorOptions {
  /** The error that caused this one. */
  cause?: unknown;
}

/**
 * Base of every error the project throws. Checks across duplicate installs use
 * `NgbError.isInstance(value)` (a `Symbol.for` marker), never `instanceof` alone.
 */
export class NgbError extends Error {
  readonly [marker] = true;
  /** A stable, machine-readable code such as `config_invalid` or `sandbox_unavailable`. */
  readonly code: string;

  constructor(code: string, message: string, options: NgbErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }

  /** True for any error of this project, from any copy of this package. */
  static isInstance(value: unknown): value is NgbError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}

function hasName<T extends NgbError>(name: string) {
  return (value: unknown): value is T => NgbError.isInstance(value) && value.name === name;
}

/** Invalid or missing configuration; the message names the key and how to set it. */
export class ConfigError extends NgbError {
  /** The option or config key at fault, such as `botToken` or `agents[0].folder`. */
  readonly key: string | undefined;
  constructor(message: string, options: NgbErrorOptions & { key?: string } = {}) {
    super('config_invalid', message, options);
    this.key = options.key;
  }
  static override isInstance = hasName<ConfigError>('ConfigError');
}

/** Options of the errors that come from a remote API. */
export interface ApiErrorOptions extends NgbErrorOptions {
  /** HTTP status when the API answered, undefined for network failures. */
  status?: number;
  /** Whether trying again later may succeed. Defaults from `status` (408, 409, 429, 5xx, or none). */
  retryable?: boolean;
  /** How long the API asked us to wait before trying again. */
  retryAfterMs?: number;
}

/** True for the statuses that are worth retrying: 408, 409, 429, any 5xx, or no answer at all. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
}

/** A chat platform's API refused or failed a call. */
export class ChannelApiError extends NgbError {
  readonly channel: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(channel: string, message: string, options: ApiErrorOptions = {}) {
    super('channel_api', message, options);
    this.channel = channel;
    this.status = options.status;
    this.retryable = options.retryable ?? isRetryableStatus(options.status);
    this.retryAfterMs = options.retryAfterMs;
  }
  static override isInstance = hasName<ChannelApiError>('ChannelApiError');
}

/** A model provider's API refused or failed a call, or its stream was malformed. */
export class LlmApiError extends NgbError {
  readonly provider: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(provider: string, message: string, options: ApiErrorOptions = {}) {
    super('llm_api', message, options);
    this.provider = provider;
    this.status = options.status;
    this.retryable = options.retryable ?? isRetryableStatus(options.status);
    this.retryAfterMs = options.retryAfterMs;
  }
  static override isInstance = hasName<LlmApiError>('LlmApiError');
}

/** Why a sandbox operation failed. */
export type SandboxErrorReason =
  | 'engine_unavailable'
  | 'image_missing'
  | 'timeout'
  | 'out_of_memory'
  | 'crashed'
  | 'protocol'
  | 'tool_failed'
  | 'invalid_input'
  | 'closed'
  | 'aborted'
  | 'mount_refused'
  | 'disk_limit';

/** A sandbox could not be created, or a call in it failed. */
export class SandboxError extends NgbError {
  readonly reason: SandboxErrorReason;
  constructor(reason: SandboxErrorReason, message: string, options: NgbErrorOptions = {}) {
    super(`sandbox_${reason}`, message, options);
    this.reason = reason;
  }
  static override isInstance = hasName<SandboxError>('SandboxError');
}

/** A feature that is declared but not built yet, or that a driver does not offer. */
export class NotSupportedError extends NgbError {
  constructor(message: string, options: NgbErrorOptions = {}) {
    super('not_supported', message, options);
  }
  static override isInstance = hasName<NotSupportedError>('NotSupportedError');
}

/** A record that was asked for by id does not exist. */
export class NotFoundError extends NgbError {
  /** What kind of record, such as `agent` or `session`. */
  readonly entity: string;
  readonly id: string;
  constructor(entity: string, id: string, options: NgbErrorOptions = {}) {
    super('not_found', `unknown ${entity} "${id}"`, options);
    this.entity = entity;
    this.id = id;
  }
  static override isInstance = hasName<NotFoundError>('NotFoundError');
}
