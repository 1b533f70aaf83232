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
    return carries(value, marker);
  }
}

/** True when `value` carries `marker`: set by a class of this package, from any copy of it, and by its subclasses. */
function carries(value: unknown, marker: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}

/**
 * The message of anything thrown: an error's `message`, a string as it is, anything else as
 * `String(value)`.
 */
export function errorMessage(error: unknown): string {
  if (
    error instanceof Error ||
    (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string')
  )
    return (error as { message: string }).message;
  return String(error);
}

/** The class name of anything thrown (`TypeError`, `SandboxError`), `Error` when it has none. */
export function errorName(error: unknown): string {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name : 'Error';
}

/** Invalid or missing configuration; the message names the key and how to set it. */
const configErrorMarker = Symbol.for('@ngb/plugin-sdk.ConfigError');

export class ConfigError extends NgbError {
  readonly [configErrorMarker] = true;
  /** The option or config key at fault, such as `botToken` or `agents[0].folder`. */
  readonly key: string | undefined;
  constructor(message: string, options: NgbErrorOptions & { key?: string } = {}) {
    super('config_invalid', message, options);
    this.key = options.key;
  }
  /** True for this error and its subclasses, from any copy of this package. */
  static override isInstance(value: unknown): value is ConfigError {
    return carries(value, configErrorMarker);
  }
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
const channelApiErrorMarker = Symbol.for('@ngb/plugin-sdk.ChannelApiError');

export class ChannelApiError extends NgbError {
  readonly [channelApiErrorMarker] = true;
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
  /** True for this error and its subclasses, from any copy of this package. */
  static override isInstance(value: unknown): value is ChannelApiError {
    return carries(value, channelApiErrorMarker);
  }
}

/** A model provider's API refused or failed a call, or its stream was malformed. */
const llmApiErrorMarker = Symbol.for('@ngb/plugin-sdk.LlmApiError');

export class LlmApiError extends NgbError {
  readonly [llmApiErrorMarker] = true;
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
  /** True for this error and its subclasses, from any copy of this package. */
  static override isInstance(value: unknown): value is LlmApiError {
    return carries(value, llmApiErrorMarker);
  }
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
const sandboxErrorMarker = Symbol.for('@ngb/plugin-sdk.SandboxError');

export class SandboxError extends NgbError {
  readonly [sandboxErrorMarker] = true;
  readonly reason: SandboxErrorReason;
  constructor(reason: SandboxErrorReason, message: string, options: NgbErrorOptions = {}) {
    super(`sandbox_${reason}`, message, options);
    this.reason = reason;
  }
  /** True for this error and its subclasses, from any copy of this package. */
  static override isInstance(value: unknown): value is SandboxError {
    return carries(value, sandboxErrorMarker);
  }
}

/** A feature that is declared but not built yet, or that a driver does not offer. */
const notSupportedErrorMarker = Symbol.for('@ngb/plugin-sdk.NotSupportedError');

export class NotSupportedError extends NgbError {
  readonly [notSupportedErrorMarker] = true;
  constructor(message: string, options: NgbErrorOptions = {}) {
    super('not_supported', message, options);
  }
  /** True for this error and its subclasses, from any copy of this package. */
  static override isInstance(value: unknown): value is NotSupportedError {
    return carries(value, notSupportedErrorMarker);
  }
}

/** A record that was asked for by id does not exist. */
const notFoundErrorMarker = Symbol.for('@ngb/plugin-sdk.NotFoundError');

export class NotFoundError extends NgbError {
  readonly [notFoundErrorMarker] = true;
  /** What kind of record, such as `agent` or `session`. */
  readonly entity: string;
  readonly id: string;
  constructor(entity: string, id: string, options: NgbErrorOptions = {}) {
    super('not_found', `unknown ${entity} "${id}"`, options);
    this.entity = entity;
    this.id = id;
  }
  /** True for this error and its subclasses, from any copy of this package. */
  static override isInstance(value: unknown): value is NotFoundError {
    return carries(value, notFoundErrorMarker);
  }
}
