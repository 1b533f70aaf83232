import { isIPv4, isIPv6 } from 'node:net';

// Addresses a sandbox must never reach through the egress proxy: this host, the networks around it
// and everything that is not a public unicast address. IPv6 forms that carry an IPv4 address
// (mapped, compatible, NAT64, 6to4) are judged by the IPv4 address they carry.
const ipv4Ranges: ReadonlyArray<readonly [base: string, prefix: number, what: string]> = [
  ['0.0.0.0', 8, 'unspecified (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'private (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'shared carrier-grade NAT (100.64.0.0/10)'],
  ['127.0.0.0', 8, 'loopback (127.0.0.0/8)'],
  ['169.254.0.0', 16, 'link-local (169.254.0.0/16)'],
  ['172.16.0.0', 12, 'private (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'IETF protocol assignments (192.0.0.0/24)'],
  ['192.168.0.0', 16, 'private (192.168.0.0/16)'],
  ['198.18.0.0', 15, 'benchmarking (198.18.0.0/15)'],
  ['224.0.0.0', 4, 'multicast (224.0.0.0/4)'],
  ['240.0.0.0', 4, 'reserved (240.0.0.0/4)'],
];

function ipv4Number(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

function ipv4Refusal(address: string): string | undefined {
  const value = ipv4Number(address);
  for (const [base, prefix, what] of ipv4Ranges) {
    const size = 2 ** (32 - prefix);
    if (Math.floor(value / size) === Math.floor(ipv4Number(base) / size)) return what;
  }
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail included). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted !== undefined) {
    const value = ipv4Number(dotted);
    text = `${text.slice(0, -dotted.length)}${Math.floor(value / 65536).toString(16)}:${(value % 65536).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  return [...headGroups, ...new Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups].map((group) =>
    Number.parseInt(group, 16),
  );
}

function embeddedIpv4(high: number, low: number): string {
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

function ipv6Refusal(address: string): string | undefined {
  const groups = ipv6Groups(address);
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const firstFiveZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (firstFiveZero && g5 === 0 && g6 === 0 && g7 === 0) return 'unspecified (::)';
  if (firstFiveZero && g5 === 0 && g6 === 0 && g7 === 1) return 'loopback (::1)';
  const carried = (form: string, high: number, low: number) => {
    const inner = embeddedIpv4(high, low);
    const refusal = ipv4Refusal(inner);
    return refusal === undefined ? undefined : `${form} of ${inner}, which is ${refusal}`;
  };
  if (firstFiveZero && g5 === 0xffff) return carried('IPv4-mapped', g6, g7);
  if (firstFiveZero && g5 === 0) return carried('IPv4-compatible', g6, g7) ?? 'IPv4-compatible (::/96, deprecated)';
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return carried('NAT64', g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'local-use NAT64 (64:ff9b:1::/48)';
  if (g0 === 0x2002) return carried('6to4', g1, g2);
  if (g0 === 0x2001 && g1 === 0) return 'Teredo (2001::/32)';
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return 'discard-only (100::/64)';
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local (fc00::/7)';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local (fe80::/10)';
  if ((g0 & 0xffc0) === 0xfec0) return 'site-local (fec0::/10)';
  if ((g0 & 0xff00) === 0xff00) return 'multicast (ff00::/8)';
  return undefined;
}

/**
 * Why the egress proxy must not connect to `address`, or undefined for a public unicast address.
 * @param allowPrivateAddresses exact addresses exempted (the runtime's test-only opt-in)
 * @param hostAddresses the addresses of this host's own interfaces: a public one reaches the host's
 *   own services, so it is refused like loopback (IPv4-mapped forms of them too)
 */
export function egressAddressRefusal(
  address: string,
  allowPrivateAddresses: ReadonlySet<string>,
  hostAddresses: ReadonlySet<string> = new Set(),
): string | undefined {
  if (allowPrivateAddresses.has(address)) return undefined;
  const refusal = rangeRefusal(address);
  if (refusal !== undefined) return refusal;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (hostAddresses.has(address.toLowerCase()) || (mapped !== undefined && hostAddresses.has(mapped))) {
    return `address ${address} belongs to this host`;
  }
  return undefined;
}

function rangeRefusal(address: string): string | undefined {
  if (isIPv4(address)) {
    const refusal = ipv4Refusal(address);
    return refusal === undefined ? undefined : `address ${address} is ${refusal}`;
  }
  if (address.includes('%')) return `address ${address} is scoped to an interface`;
  if (isIPv6(address)) {
    const refusal = ipv6Refusal(address);
    return refusal === undefined ? undefined : `address ${address} is ${refusal}`;
  }
  return `"${address}" is not an IP address`;
}
