import type { EgressPolicy } from './contracts/egress';

/** A checked `network` setting, or where and why it is wrong. */
export type CheckedEgressNetwork =
  | { ok: true; network: 'none' | EgressPolicy }
  | {
      ok: false;
      /** Where under the setting the fault is: `''`, `allow`, `allow[2]`, `maxBytesPerTurn`. */
      path: string;
      problem: string;
    };

/** A domain name in its one comparable form, or why it cannot be one. */
export type NormalizedDomain = { ok: true; domain: string } | { ok: false; problem: string };

const forbiddenCharacters = /[\s/\\:@?#[\]%*]/;
const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const maxAllowEntries = 256;

/**
 * Brings a host name to the form the egress allowlist compares: lower-case ASCII, names in other
 * scripts as punycode (IDNA, as URLs do), no trailing dot. Refuses IP addresses in any spelling
 * (`127.1`, `0x7f.0.0.1` and `[::1]` included), single-label names (`localhost`, `intranet`) and
 * anything that is not a host name. With `wildcard`, a leading `*.` is kept (`*.example.com`).
 */
export function normalizeEgressDomain(text: string, options: { wildcard?: boolean } = {}): NormalizedDomain {
  if (typeof text !== 'string' || text.length === 0) return { ok: false, problem: 'must be a non-empty domain name' };
  const wildcard = options.wildcard === true && text.startsWith('*.');
  const name = wildcard ? text.slice(2) : text;
  if (forbiddenCharacters.test(name)) {
    return {
      ok: false,
      problem: options.wildcard
        ? 'must be a domain name such as "api.example.com" or "*.example.com" (no scheme, port, path or other "*")'
        : 'must be a domain name such as "api.example.com" (no scheme, port or path)',
    };
  }
  let ascii: string;
  try {
    // The WHATWG URL parser applies IDNA (UTS #46) and reads every IPv4 spelling as an address.
    ascii = new URL(`http://${name}/`).hostname;
  } catch {
    return { ok: false, problem: 'is not a valid domain name' };
  }
  ascii = ascii.replace(/\.$/, '');
  if (/^[0-9.]+$/.test(ascii) || ascii.startsWith('[')) {
    return { ok: false, problem: 'is an IP address; list domain names only' };
  }
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, problem: 'is a single-label name; list a full domain name such as "example.com"' };
  if (ascii.length > 253 || !labels.every((part) => label.test(part))) {
    return { ok: false, problem: 'is not a valid domain name (letters, digits and "-" in labels of 1-63 characters)' };
  }
  return { ok: true, domain: wildcard ? `*.${ascii}` : ascii };
}

/**
 * Checks an agent's or a sandbox's `network` setting and brings it to its normalized form:
 * `'none'`, or `{ allow, maxBytesPerTurn? }` with each domain normalized (see
 * {@link normalizeEgressDomain}) and duplicates removed. An empty `allow` list is `'none'`.
 */
export function checkEgressNetwork(value: unknown): CheckedEgressNetwork {
  if (value === undefined || value === 'none') return { ok: true, network: 'none' };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      path: '',
      problem: `must be "none" or { "allow": ["example.com", "*.example.org"], "maxBytesPerTurn"?: n }, got ${describe(value)}`,
    };
  }
  const record = value as Record<string, unknown>;
  const unknownKey = Object.keys(record).find((key) => key !== 'allow' && key !== 'maxBytesPerTurn');
  if (unknownKey !== undefined) {
    return { ok: false, path: unknownKey, problem: 'is not a setting of the network; use "allow" and "maxBytesPerTurn"' };
  }
  if (!Array.isArray(record.allow)) return { ok: false, path: 'allow', problem: 'must be a list of domain names' };
  if (record.allow.length > maxAllowEntries) {
    return { ok: false, path: 'allow', problem: `must list at most ${maxAllowEntries} domains` };
  }
  const allow: string[] = [];
  for (const [index, entry] of record.allow.entries()) {
    const normalized = normalizeEgressDomain(entry as string, { wildcard: true });
    if (!normalized.ok) {
      return { ok: false, path: `allow[${index}]`, problem: `${describe(entry)} ${normalized.problem}` };
    }
    if (!allow.includes(normalized.domain)) allow.push(normalized.domain);
  }
  const cap = record.maxBytesPerTurn;
  if (cap !== undefined && !(typeof cap === 'number' && Number.isSafeInteger(cap) && cap >= 1)) {
    return { ok: false, path: 'maxBytesPerTurn', problem: `must be a whole number of bytes, at least 1, got ${describe(cap)}` };
  }
  if (allow.length === 0) return { ok: true, network: 'none' };
  return { ok: true, network: cap === undefined ? { allow } : { allow, maxBytesPerTurn: cap } };
}

/**
 * Whether a normalized host name is on a normalized allowlist: equal to an exact entry, or under a
 * wildcard entry's domain (`*.example.com` covers `a.example.com` and `a.b.example.com`).
 */
export function isEgressDomainAllowed(host: string, allow: readonly string[]): boolean {
  return allow.some((entry) => (entry.startsWith('*.') ? host.endsWith(entry.slice(1)) : host === entry));
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? 'a list' : String(value);
}
