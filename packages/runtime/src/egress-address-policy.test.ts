import { describe, expect, it } from 'vitest';
import { egressAddressRefusal } from './egress-address-policy';

const none = new Set<string>();

describe('egressAddressRefusal', () => {
  it.each([
    ['127.0.0.1', /loopback/],
    ['127.255.1.2', /loopback/],
    ['10.1.2.3', /private \(10/],
    ['172.16.0.1', /private \(172/],
    ['172.31.255.255', /private \(172/],
    ['192.168.1.1', /private \(192\.168/],
    ['169.254.169.254', /link-local/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.255', /carrier-grade NAT/],
    ['0.0.0.0', /unspecified/],
    ['0.1.2.3', /unspecified/],
    ['224.0.0.1', /multicast/],
    ['239.255.255.250', /multicast/],
    ['240.0.0.1', /reserved/],
    ['255.255.255.255', /reserved/],
    ['198.18.0.1', /benchmarking/],
    ['::', /unspecified/],
    ['::1', /loopback \(::1\)/],
    ['0:0:0:0:0:0:0:1', /loopback \(::1\)/],
    ['::ffff:127.0.0.1', /IPv4-mapped of 127\.0\.0\.1, which is loopback/],
    ['::ffff:7f00:1', /IPv4-mapped of 127\.0\.0\.1/],
    ['::FFFF:10.0.0.1', /IPv4-mapped of 10\.0\.0\.1, which is private/],
    ['::ffff:a9fe:a9fe', /IPv4-mapped of 169\.254\.169\.254, which is link-local/],
    ['::127.0.0.1', /IPv4-compatible of 127\.0\.0\.1/],
    ['::203.0.113.5', /IPv4-compatible/],
    ['64:ff9b::10.0.0.1', /NAT64 of 10\.0\.0\.1/],
    ['2002:7f00:1::', /6to4 of 127\.0\.0\.1/],
    ['2001:0:4136:e378::1', /Teredo/],
    ['fc00::1', /unique-local/],
    ['fd12:3456::1', /unique-local/],
    ['fe80::1', /link-local/],
    ['fe80::1%eth0', /scoped/],
    ['fec0::1', /site-local/],
    ['ff02::1', /multicast/],
    ['not-an-address', /not an IP address/],
  ])('refuses %s', (address, reason) => {
    expect(egressAddressRefusal(address, none)).toMatch(reason);
  });

  it.each(['203.0.113.10', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:203.0.113.7', '64:ff9b::8.8.8.8'])(
    'lets the public address %s through',
    (address) => {
      expect(egressAddressRefusal(address, none)).toBeUndefined();
    },
  );

  it("refuses the host's own public addresses, in IPv4-mapped form too", () => {
    const host = new Set(['203.0.113.1', '2001:db8::1']);
    expect(egressAddressRefusal('203.0.113.1', none, host)).toBe('address 203.0.113.1 belongs to this host');
    expect(egressAddressRefusal('::ffff:203.0.113.1', none, host)).toMatch(/belongs to this host/);
    expect(egressAddressRefusal('2001:DB8::1', none, host)).toMatch(/belongs to this host/);
    expect(egressAddressRefusal('203.0.113.2', none, host)).toBeUndefined();
  });

  it('lets exactly the opted-in addresses through, nothing near them', () => {
    const optIn = new Set(['127.0.0.1']);
    expect(egressAddressRefusal('127.0.0.1', optIn)).toBeUndefined();
    expect(egressAddressRefusal('127.0.0.2', optIn)).toMatch(/loopback/);
    expect(egressAddressRefusal('::ffff:127.0.0.1', optIn)).toMatch(/IPv4-mapped/);
  });
});
