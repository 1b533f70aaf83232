import { describe, expect, it } from 'vitest';
import { redactFields, redactText } from './logger';

const keptKeys = [
  'inputTokens',
  'outputTokens',
  'cacheTokens',
  'maxTokens',
  'max_tokens',
  'tokenCount',
  'tokens',
  'tokenizer',
  'key',
  'sessionKey',
  'outboxKey',
  'monkey',
  'author',
  'passage',
  'secretary',
  'keyboard',
];

const hiddenKeys = [
  'apiKey',
  'api_key',
  'APIKEY',
  'OPENAI_API_KEY',
  'x-api-key',
  'authorization',
  'Authorization',
  'proxyAuthorization',
  'botToken',
  'appToken',
  'signingSecret',
  'clientSecret',
  'secret',
  'password',
  'dbPassword',
  'passwd',
  'passphrase',
  'accessToken',
  'refresh_token',
  'idToken',
  'token',
  'cookie',
  'set-cookie',
  'credentials',
  'privateKey',
  'private_key_pem',
  'secretKey',
  'AWS_SECRET_ACCESS_KEY',
];

describe('redactFields: keys', () => {
  it.each(keptKeys)('keeps %s', (key) => {
    expect(redactFields({ [key]: 1234 })).toEqual({ [key]: 1234 });
    expect(redactFields({ nested: [{ [key]: 'plain value' }] })).toEqual({ nested: [{ [key]: 'plain value' }] });
  });

  it.each(hiddenKeys)('hides %s, also nested', (key) => {
    expect(redactFields({ [key]: 'hunter2' })).toEqual({ [key]: '[redacted]' });
    expect(redactFields({ request: { headers: [{ [key]: { any: 'shape' } }] } })).toEqual({
      request: { headers: [{ [key]: '[redacted]' }] },
    });
  });

  it('keeps the usage of a turn whole', () => {
    const usage = { inputTokens: 1200, outputTokens: 345, cacheTokens: 0, costUsd: 0.01 };
    expect(redactFields({ event: 'turn.end', usage })).toEqual({ event: 'turn.end', usage });
  });
});

const secretValues: Array<[label: string, text: string, expected: string]> = [
  ['OpenAI key', 'key is sk-proj-Abc123def456ghi789jkl0', 'key is sk-[redacted]'],
  ['Anthropic key', 'sk-ant-api03-Abcdefghijklmnop_qrstuv-wxyz', 'sk-ant-[redacted]'],
  ['Slack bot token', 'xoxb-1234567890-0987654321-AbCdEfGhIjKl', 'xoxb-[redacted]'],
  ['Slack app token', 'token=xapp-1-A0123456789-1234567890-abcdef', 'token=xapp-[redacted]'],
  ['GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_[redacted]'],
  ['GitHub fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop', 'github_pat_[redacted]'],
  ['AWS key id', 'id AKIAIOSFODNN7EXAMPLE used', 'id AKIA[redacted] used'],
  ['Google key', 'AIzaSyA-abcdefghijklmnopqrstuvwxyz012345', 'AIza[redacted]'],
  [
    'JWT',
    'jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end',
    'jwt [redacted] end',
  ],
  ['Bearer header', 'Authorization: Bearer abcDEF123456.ghi-jkl', 'Authorization: Bearer [redacted]'],
  ['URL with a password', 'postgres://ngb:s3cr3t!@db.internal:5432/ngb', 'postgres://ngb:[redacted]@db.internal:5432/ngb'],
  ['URL with only a password', 'redis://:hunter2@cache:6379', 'redis://:[redacted]@cache:6379'],
  ['Telegram bot token', 'bot 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0 up', 'bot 123456789:[redacted] up'],
  ['private key', 'x -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- y', 'x [redacted] private key y'],
];

const plainValues = [
  'write the log',
  'task-0123456789abcdef0123',
  'disk-usage-report-0123456789',
  '0f8c2d4e-1b3a-4c5d-9e8f-0a1b2c3d4e5f',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'https://example.com/path?query=1#part',
  'https://user@example.com/',
  'http://localhost:8080/v1',
  'the bearer of news',
  '12:30:45 and 2026-01-15T09:00:00Z',
  'inputTokens=1200 maxTokens=4096',
];

describe('redactText and redactFields: values', () => {
  it.each(secretValues)('hides a %s in any field', (_label, text, expected) => {
    expect(redactText(text)).toBe(expected);
    expect(redactFields({ output: text, nested: { list: [text] } })).toEqual({ output: expected, nested: { list: [expected] } });
  });

  it.each(plainValues)('keeps %j', (text) => {
    expect(redactText(text)).toBe(text);
  });

  it('hides a credential in a URL query and keeps the rest of the URL', () => {
    expect(redactFields({ url: 'ws://127.0.0.1:6700/?access_token=qq-secret-value&x=1' })).toEqual({
      url: 'ws://127.0.0.1:6700/?access_token=[redacted]&x=1',
    });
    expect(redactFields({ hook: 'https://qyapi.example/cgi-bin/webhook/send?key=693a91f6-7xxx' })).toEqual({
      hook: 'https://qyapi.example/cgi-bin/webhook/send?key=[redacted]',
    });
    expect(redactFields({ page: 'https://example.com/?page=2&sort=asc' })).toEqual({
      page: 'https://example.com/?page=2&sort=asc',
    });
  });

  it('hides secrets in error messages and past the depth limit', () => {
    const error = new Error('request failed with key sk-test-this-must-never-be-printed');
    expect(redactFields({ error })).toEqual({ error: { name: 'Error', message: 'request failed with key sk-[redacted]' } });
    let deep: Record<string, unknown> = { apiKey: 'x' };
    for (let level = 0; level < 12; level += 1) deep = { level: deep };
    expect(JSON.stringify(redactFields(deep))).not.toContain('"x"');
  });
});
