const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Name segments (split at `_` and at camel-case humps) that mark a secret. Whole segments only:
// `KEY` refuses `API_KEY` and `apiKey` but not `MONKEY` or `KEYBOARD_LAYOUT`; `AUTH` refuses
// `AUTH_MODE` but not `AUTHOR`. `PWD` is left out: it is the working directory.
const secretNameSegments = new Set([
  'TOKEN',
  'TOKENS',
  'SECRET',
  'SECRETS',
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PASS',
  'PASSPHRASE',
  'KEY',
  'KEYS',
  'APIKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'AUTH',
  'OAUTH',
  'PEM',
  'COOKIE',
  'COOKIES',
  'JWT',
  'BEARER',
  'DSN',
]);
// Words that end a secret's name even when glued to another word (`GITHUBTOKEN`, `DBPASSWORD`).
const secretNameEndings = ['TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'PASSPHRASE', 'APIKEY', 'COOKIE'];
// Two segments in a row that name a connection string, which carries its password.
const secretNamePairs: ReadonlyArray<readonly [ReadonlySet<string>, ReadonlySet<string>]> = [
  [new Set(['DATABASE', 'DB']), new Set(['URL', 'URI'])],
  [new Set(['CONNECTION']), new Set(['STRING'])],
];

// Known credential formats, each found anywhere in a value after a non-alphanumeric boundary.
const secretValuePatterns: ReadonlyArray<readonly [kind: string, pattern: RegExp]> = [
  ['a private key', /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/],
  ['an Anthropic API key', /(?:^|[^A-Za-z0-9])sk-ant-[A-Za-z0-9_-]{8,}/],
  ['an API key (sk-...)', /(?:^|[^A-Za-z0-9])sk-[A-Za-z0-9_-]{8,}/],
  ['a Slack token', /(?:^|[^A-Za-z0-9])(?:xox[abposr]|xapp)-[A-Za-z0-9-]{8,}/],
  ['a GitHub token', /(?:^|[^A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,})/],
  ['a GitLab token', /(?:^|[^A-Za-z0-9])glpat-[A-Za-z0-9_-]{16,}/],
  ['an AWS access key id', /(?:^|[^A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/],
  ['a Google API key', /(?:^|[^A-Za-z0-9])AIza[A-Za-z0-9_-]{35}/],
  ['a JSON Web Token', /(?:^|[^A-Za-z0-9])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/],
  // The scheme starts only where a run of scheme characters starts: trying every position inside a
  // long run would cost time quadratic in the value's length.
  ['a URL with a password', /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#@]+@/],
  ['an authorization header value', /(?:^|[^A-Za-z0-9])(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/i],
];

// A run of base64 / base64url / base62 characters long enough to be a key.
const randomCandidate = /[A-Za-z0-9+/_-]{32,}={0,2}/g;

/**
 * Why a setting may not be passed into a sandbox, or undefined when it may. Refused: names that
 * are not variable names, names that name a secret, and values that look like one. The reason
 * names the variable and the kind of secret, never the value.
 */
export function sandboxEnvProblem(name: string, value: string): string | undefined {
  if (secretValueKind(name) !== undefined) return 'a variable name looks like a secret, and no secret may enter a sandbox';
  if (!envNamePattern.test(name)) return `"${name}" is not a valid variable name`;
  if (isSecretName(name)) return `"${name}" looks like the name of a secret, and no secret may enter a sandbox`;
  const kind = secretValueKind(value);
  if (kind !== undefined) return `the value of "${name}" looks like ${kind}, and no secret may enter a sandbox`;
  return undefined;
}

/**
 * Why a value that is not a variable (an argument of an MCP server) may not be passed into a
 * sandbox, or undefined when it may: the value rule of {@link sandboxEnvProblem}. The reason names
 * `what` and the kind of secret, never the value.
 */
export function sandboxValueProblem(what: string, value: string): string | undefined {
  const kind = secretValueKind(value);
  return kind === undefined ? undefined : `${what} looks like ${kind}, and no secret may enter a sandbox`;
}

function isSecretName(name: string): boolean {
  const segments = name
    .split('_')
    .flatMap((part) => part.split(/(?<=[a-z0-9])(?=[A-Z])/))
    .map((segment) => segment.toUpperCase().replace(/\d+$/, ''))
    .filter((segment) => segment !== '');
  if (segments.some((segment) => secretNameSegments.has(segment))) return true;
  if (segments.some((segment) => secretNameEndings.some((ending) => segment.endsWith(ending)))) return true;
  return segments.some((segment, index) =>
    secretNamePairs.some(([first, second]) => first.has(segment) && second.has(segments[index + 1] ?? '')),
  );
}

function secretValueKind(value: string): string | undefined {
  for (const [kind, pattern] of secretValuePatterns) if (pattern.test(value)) return kind;
  for (const candidate of value.match(randomCandidate) ?? []) {
    // A path is judged one folder name at a time: `/Volumes/Disk2/IMG_2024` is not a key.
    const parts = candidate.startsWith('/') ? candidate.split('/') : [candidate];
    if (parts.some(looksRandom)) return 'a random key (a long string of mixed letters and digits)';
  }
  return undefined;
}

/**
 * True for a string of 32 or more characters that mixes lower case, upper case and digits the
 * way generated keys do (base62, base64, base64url). Passed on purpose: hex strings (git commit
 * ids, checksums) and UUIDs, which lack one of the three; names in one case (`ABC_DEF_2`); and
 * camel-case identifiers, whose words show as vowels and runs of lower-case letters. Over 20,000
 * random keys of each kind this flags about 98% of 32-character keys and more of longer ones;
 * the known formats above catch the rest by their prefixes.
 */
function looksRandom(text: string): boolean {
  if (text.length < 32) return false;
  const upper = text.replace(/[^A-Z]/g, '').length;
  const lower = text.replace(/[^a-z]/g, '').length;
  const digits = text.replace(/[^0-9]/g, '').length;
  if (upper === 0 || lower === 0 || digits === 0) return false;
  const upperShare = upper / (upper + lower);
  if (upperShare < 0.2 || upperShare > 0.8) return false;
  const vowelShare = text.replace(/[^aeiouAEIOU]/g, '').length / (upper + lower);
  const longestLowerRun = Math.max(0, ...(text.match(/[a-z]+/g) ?? []).map((run) => run.length));
  if (vowelShare >= 0.33 && longestLowerRun >= 4) return false;
  return shannonEntropy(text) >= 3.5;
}

function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const character of text) counts.set(character, (counts.get(character) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const share = count / text.length;
    entropy -= share * Math.log2(share);
  }
  return entropy;
}
