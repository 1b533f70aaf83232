/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** Log levels, quietest last. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * What libraries log through. Libraries never print; apps hand them a Logger that writes
 * somewhere (consola, a file). The default everywhere is {@link silentLogger}.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /**
   * A logger whose lines carry `tag` (joined to the parent's tag with `:`).
   * @param tag such as `telegram` or `session:abc`
   */
  child(tag: string): Logger;
}

function noop(): void {}

/** A logger that drops everything; the default of every library. */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};

const redacted = '[redacted]';

// Words that make any key holding them a secret: `password`, `dbPassword`, `signing_secret`, `set-cookie`.
const secretWords = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'secrets',
  'authorization',
  'cookie',
  'cookies',
  'credential',
  'credentials',
  'apikey',
  'privatekey',
]);
// `key` is a secret only after one of these (`apiKey`, `private_key`), never alone (a kv key, a sort key).
const keyQualifiers = new Set(['api', 'private', 'secret', 'access', 'signing', 'encryption', 'master']);

/** A key's words: `OPENAI_API_KEY`, `apiKey`, `x-api-key` → `api`, `key` among them. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

// Whole words, not substrings: `botToken` and `access_token` are secrets, `inputTokens`, `maxTokens` and
// `tokenCount` are counts.
function isSecretKey(key: string): boolean {
  const words = keyWords(key);
  if (words.at(-1) === 'token') return true;
  return words.some((word, index) => secretWords.has(word) || (word === 'key' && keyQualifiers.has(words[index - 1] ?? '')));
}

const secretKeyCache = new Map<string, boolean>();

function isSecretKeyCached(key: string): boolean {
  let secret = secretKeyCache.get(key);
  if (secret === undefined) {
    secret = isSecretKey(key);
    if (secretKeyCache.size < 1000) secretKeyCache.set(key, secret);
  }
  return secret;
}

// Each replaces the secret part and keeps what says which kind of secret it was. Quantifiers that can
// run long are bounded or anchored on a literal, so a hostile 10 MB string costs linear time.
const secretValuePatterns: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----|$)/g,
    `${redacted} private key`,
  ],
  [/\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/?#@]{0,256}:)[^\s/?#@]{1,256}@/gi, `$1${redacted}@`],
  [/\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${redacted}`],
  // A credential in a URL's query (`?access_token=…`, `&key=…`), as OneBot and webhook URLs carry them.
  [/([?&](?:access_token|token|api_?key|key|secret|password|signature|sig|auth)=)[^\s&#"']{1,2048}/gi, `$1${redacted}`],
  [/(?<![A-Za-z0-9_-])(sk-ant-|sk-)[A-Za-z0-9_-]{16,}/g, `$1${redacted}`],
  [/(?<![A-Za-z0-9_-])(xox[abposr]-|xapp-)[A-Za-z0-9-]{8,}/g, `$1${redacted}`],
  [/(?<![A-Za-z0-9_])(gh[pousr]_|github_pat_)[A-Za-z0-9_]{16,}/g, `$1${redacted}`],
  [/(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g, `$1${redacted}`],
  [/(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{30,}/g, `AIza${redacted}`],
  [/(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, redacted],
  [/(?<![A-Za-z0-9:])(\d{6,12}:)[A-Za-z0-9_-]{30,}/g, `$1${redacted}`],
];

/**
 * Replaces the secret part of secret-looking text: API keys (`sk-…`, `sk-ant-…`, `xoxb-…`, `xapp-…`,
 * `ghp_…`, `github_pat_…`, `AKIA…`, `AIza…`, Telegram bot tokens), JWTs, `Bearer …` credentials,
 * passwords in URLs and private keys.
 */
export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of secretValuePatterns) result = result.replace(pattern, replacement);
  return result;
}

/**
 * Returns a copy of `fields` with the values of secret keys (`apiKey`, `authorization`, `botToken`,
 * `password`, `cookie`, ... matched as whole words, so `inputTokens` stays) replaced by `[redacted]`,
 * and secret-looking text in every other string replaced (see {@link redactText}), recursing into plain
 * objects, arrays and errors. Apps apply it before writing a line anywhere.
 */
export function redactFields(fields: LogFields): LogFields {
  return redactValue(fields, 0) as LogFields;
}

const maxDepth = 8;

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > maxDepth) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKeyCached(key) && item !== undefined && item !== null ? redacted : redactValue(item, depth + 1);
  }
  return out;
}
