import { describe, expect, it } from 'vitest';
import { sandboxEnvProblem } from './sandbox-env-policy';

// Secret-looking values are assembled at run time so that no scanner mistakes this file for a leak.
const join = (...parts: string[]) => parts.join('');
const base62 = 'q7Rk2LmX9vTb4NcZ8wYp3HdJ6sFg1AeU5';

describe('sandboxEnvProblem: names', () => {
  it.each([
    'API_TOKEN',
    'GITHUB_TOKEN',
    'githubToken',
    'GITHUBTOKEN',
    'CLIENT_SECRET',
    'DB_PASSWORD',
    'DBPASSWORD',
    'MYSQL_PASSWD',
    'SMTP_PASS',
    'PASS',
    'GPG_PASSPHRASE',
    'API_KEY',
    'apiKey',
    'OPENAI_API_KEY',
    'AWS_SECRET_ACCESS_KEY',
    'PRIVATE_KEY',
    'KEY',
    'KEY2',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'AWS_CREDENTIAL',
    'DOCKER_CREDS',
    'AUTH',
    'AUTH_MODE',
    'SSH_AUTH_SOCK',
    'OAuth2Token',
    'TLS_PEM',
    'SESSION_COOKIE',
    'DATABASE_URL',
    'DATABASE_URI',
    'DB_URL',
    'SQL_CONNECTION_STRING',
    'SENTRY_DSN',
    'ID_JWT',
  ])('refuses %s', (name) => {
    expect(sandboxEnvProblem(name, '1')).toMatch(/looks like the name of a secret/);
  });

  it.each([
    'DEBUG',
    'LANG',
    'MONKEY',
    'AUTHOR',
    'GIT_AUTHOR_NAME',
    'KEYBOARD_LAYOUT',
    'HOTKEY',
    'TOKENIZERS_PARALLELISM',
    'BYPASS_CACHE',
    'COMPASS_DIR',
    'PASSTHROUGH',
    'PWD',
    'DATABASE_NAME',
    'PUBLIC_URL',
    'NODE_ENV',
    'PATH_SUFFIX',
    '_PRIVATE_FLAG',
  ])('accepts %s', (name) => {
    expect(sandboxEnvProblem(name, '1')).toBeUndefined();
  });

  it.each(['1ABC', 'HAS-DASH', 'A B', ''])('refuses the invalid name "%s"', (name) => {
    expect(sandboxEnvProblem(name, '1')).toMatch(/not a valid variable name/);
  });
});

describe('sandboxEnvProblem: values', () => {
  it.each([
    ['an Anthropic key', join('sk-ant-', 'api03-', base62), /Anthropic API key/],
    ['an OpenAI key', join('sk-', 'proj-', base62), /API key \(sk-/],
    ['a short sk- key', join('sk-', 'abcdefgh12'), /API key/],
    ['a key after a flag', join('--api-key=sk-', 'abcdefgh12'), /API key/],
    ['a Slack bot token', join('xoxb-', '1234567890-abcdefghij'), /Slack token/],
    ['a Slack app token', join('xapp-', '1-A0123456789-abcdef'), /Slack token/],
    ['a GitHub token', join('ghp_', base62), /GitHub token/],
    ['a GitHub fine-grained token', join('github_', 'pat_', '11ABCDEFG0', base62), /GitHub token/],
    ['a GitLab token', join('glpat-', 'abcdefghijklmnopqrst'), /GitLab token/],
    ['an AWS access key id', join('AKIA', 'IOSFODNN7EXAMPLE'), /AWS access key id/],
    ['an AWS session key id', join('ASIA', 'IOSFODNN7EXAMPLE'), /AWS access key id/],
    ['a Google API key', join('AIza', 'SyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tUvW'), /Google API key/],
    [
      'a JWT',
      join('eyJ', 'hbGciOiJIUzI1NiJ9', '.', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', '.', 'dozjgNryP4J3jVmNHl0w5N'),
      /JSON Web Token/,
    ],
    ['a URL with a password', join('postgres://app:', 'hunter2', '@db.internal:5432/app'), /URL with a password/],
    ['a URL with an empty user', join('redis://:', 'hunter2', '@cache:6379'), /URL with a password/],
    ['a URL with a password glued to a word', join('see:xpostgres://app:', 'hunter2', '@db'), /URL with a password/],
    ['a bearer header', join('Bearer ', 'abcdefghijklmnop1234'), /authorization header/],
    ['a private key', join('-----BEGIN ', 'OPENSSH PRIVATE KEY-----\nabc'), /private key/],
    ['a base62 key', base62, /random key/],
    ['a base64 key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', /random key/],
    ['a base64url key inside text', `token is ${'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg_-Q1w'} ok`, /random key/],
  ])('refuses %s', (_name, value, kind) => {
    const problem = sandboxEnvProblem('SETTING', value);
    expect(problem).toMatch(kind);
    expect(problem).toMatch(/"SETTING"/);
    expect(problem).not.toContain(value);
  });

  it.each([
    ['a word', 'production'],
    ['a sentence', 'The quick brown fox jumps over the lazy dog again and again'],
    ['a number', '3000'],
    ['a path', '/home/alice/Projects2024/WebApp/src/index.ts'],
    ['a path with capitals and digits', '/Volumes/MyDisk2/Photos/IMG_2024/RAW/Export'],
    ['a URL without a password', 'https://example.com/path?query=1'],
    ['an ssh git URL', 'ssh://git@github.com/acme/app.git'],
    ['a URL with a user only', 'https://alice@example.com/'],
    ['a git commit id (hex, 40)', 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3'],
    ['a sha256 checksum (hex, 64)', '9f86d081884c7d659a2feaea0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0'],
    ['a UUID', '550e8400-e29b-41d4-a716-446655440000'],
    ['an upper-case UUID', '550E8400-E29B-41D4-A716-446655440000'],
    ['a camel-case identifier', 'ThisIsAVeryLongIdentifierName2024'],
    ['a camel-case identifier of short words', 'MyAppProdEuWest1NodeGroupBlue2024'],
    ['a Kubernetes-style name', 'ServiceAccountTokenVolumeProjection2'],
    ['a dashed identifier', 'my-Service-Name-v2-Production-Cluster01'],
    ['a Java class name', 'org.example.MyApplication2.MainActivity'],
    ['a user agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36'],
    ['an ISO time', '2026-12-01T10:00:00.000Z'],
    ['a word ending in sk-', 'task-manager-v1'],
    ['a base32 run of one case', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGH'],
    ['a long lower-case slug', 'this-is-a-long-lowercase-slug-for-a-blog-post-2024'],
    ['an empty value', ''],
  ])('accepts %s', (_name, value) => {
    expect(sandboxEnvProblem('SETTING', value)).toBeUndefined();
  });

  it('does not echo a name that itself looks like a secret', () => {
    const name = join('AKIA', 'IOSFODNN7EXAMPLE');
    const problem = sandboxEnvProblem(name, '1');
    expect(problem).toMatch(/variable name looks like a secret/);
    expect(problem).not.toContain(name);
  });
});

describe('sandboxEnvProblem: random keys', () => {
  // A fixed-seed generator (xorshift32), so the figure below is the same on every run.
  function generator(seed: number): () => number {
    let state = seed;
    return () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 2 ** 32;
    };
  }
  const alphabets = {
    base62: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
    base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
    base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  };

  it.each(Object.entries(alphabets))('refuses at least 95%% of 1,000 random %s keys of 32 characters', (_kind, alphabet) => {
    const next = generator(0x9e3779b9);
    let refused = 0;
    for (let index = 0; index < 1000; index += 1) {
      let key = '';
      for (let position = 0; position < 32; position += 1) key += alphabet[Math.floor(next() * alphabet.length)];
      if (sandboxEnvProblem('SETTING', key) !== undefined) refused += 1;
    }
    expect(refused).toBeGreaterThanOrEqual(950);
  });
});
