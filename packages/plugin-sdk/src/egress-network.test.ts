import { describe, expect, it } from 'vitest';
import { checkEgressNetwork, isEgressDomainAllowed, normalizeEgressDomain } from './egress-network';

describe('normalizeEgressDomain', () => {
  it.each([
    ['api.example.com', 'api.example.com'],
    ['API.Example.COM', 'api.example.com'],
    ['example.com.', 'example.com'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['ＥＸＡＭＰＬＥ.com', 'example.com'],
  ])('brings %j to %j', (input, expected) => {
    expect(normalizeEgressDomain(input)).toEqual({ ok: true, domain: expected });
  });

  it.each([
    ['127.0.0.1', /IP address/],
    ['127.1', /IP address/],
    ['0x7f.0.0.1', /IP address/],
    ['[::1]', /no scheme/],
    ['::ffff:127.0.0.1', /no scheme/],
    ['localhost', /single-label/],
    ['https://example.com', /no scheme/],
    ['example.com:8080', /no scheme/],
    ['example.com/path', /no scheme/],
    ['user@example.com', /no scheme/],
    ['exa mple.com', /no scheme/],
    ['-bad.example.com', /not a valid domain/],
    ['under_score.example.com', /not a valid domain/],
    ['foo.123', /not a valid domain/],
    ['', /non-empty/],
  ])('refuses %j', (input, problem) => {
    const result = normalizeEgressDomain(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(problem);
  });

  it('keeps a leading wildcard only when asked, and no other "*"', () => {
    expect(normalizeEgressDomain('*.Example.com', { wildcard: true })).toEqual({ ok: true, domain: '*.example.com' });
    expect(normalizeEgressDomain('*.example.com').ok).toBe(false);
    expect(normalizeEgressDomain('a.*.example.com', { wildcard: true }).ok).toBe(false);
    expect(normalizeEgressDomain('*', { wildcard: true }).ok).toBe(false);
    expect(normalizeEgressDomain('*.com', { wildcard: true }).ok).toBe(false);
  });
});

describe('checkEgressNetwork', () => {
  it('reads "none", nothing and an empty list as no network', () => {
    expect(checkEgressNetwork('none')).toEqual({ ok: true, network: 'none' });
    expect(checkEgressNetwork(undefined)).toEqual({ ok: true, network: 'none' });
    expect(checkEgressNetwork({ allow: [] })).toEqual({ ok: true, network: 'none' });
  });

  it('normalizes the domains, drops duplicates and keeps the byte cap', () => {
    expect(checkEgressNetwork({ allow: ['Example.com', 'example.com.', '*.Bücher.de'], maxBytesPerTurn: 1024 })).toEqual({
      ok: true,
      network: { allow: ['example.com', '*.xn--bcher-kva.de'], maxBytesPerTurn: 1024 },
    });
  });

  it.each([
    ['egress', '', /must be "none" or/],
    [{ allow: 'example.com' }, 'allow', /list of domain names/],
    [{ allow: ['example.com', '10.0.0.1'] }, 'allow[1]', /"10.0.0.1" is an IP address/],
    [{ allow: ['example.com'], maxBytesPerTurn: 0 }, 'maxBytesPerTurn', /at least 1/],
    [{ allow: ['example.com'], maxBytesPerTurn: 1.5 }, 'maxBytesPerTurn', /whole number/],
    [{ allow: ['example.com'], allowPrivateAddresses: ['127.0.0.1'] }, 'allowPrivateAddresses', /not a setting/],
  ])('refuses %j at %j', (value, path, problem) => {
    const result = checkEgressNetwork(value);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.path).toBe(path);
      expect(result.problem).toMatch(problem);
    }
  });
});

describe('isEgressDomainAllowed', () => {
  const allow = ['api.example.com', '*.example.org'];
  it.each([
    ['api.example.com', true],
    ['www.example.com', false],
    ['example.com', false],
    ['a.example.org', true],
    ['a.b.example.org', true],
    ['example.org', false],
    ['evilexample.org', false],
    ['api.example.com.evil.net', false],
  ])('%s → %s', (host, allowed) => {
    expect(isEgressDomainAllowed(host, allow)).toBe(allowed);
  });
});
