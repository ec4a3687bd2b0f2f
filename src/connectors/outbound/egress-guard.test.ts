import { describe, expect, it } from 'vitest';
import { ActionError } from '../action.js';
import { allowlistProblems, isAllowed, parseAllowlist } from './allowlist.js';
import { checkEgress, EgressRefusedError, egressPolicy, type HostResolver } from './egress-guard.js';
import { blockedReason, cidrContains, parseCidr, parseIp } from './ip-ranges.js';

const resolver =
  (table: Record<string, string[]>): HostResolver =>
  async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('blocked addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback address'],
    ['127.255.0.9', 'loopback address'],
    ['10.0.0.1', 'private address'],
    ['172.16.5.4', 'private address'],
    ['172.31.255.255', 'private address'],
    ['192.168.1.1', 'private address'],
    ['169.254.169.254', 'cloud metadata address'],
    ['169.254.10.10', 'link-local address'],
    ['100.64.0.1', 'carrier-grade NAT (shared) address'],
    ['0.0.0.0', 'unspecified ("this network") address'],
    ['255.255.255.255', 'reserved or broadcast address'],
    ['224.0.0.1', 'multicast address'],
    ['::1', 'loopback address'],
    ['::', 'unspecified address'],
    ['fc00::1', 'private (unique local) address'],
    ['fd12:3456::1', 'private (unique local) address'],
    ['fd00:ec2::254', 'cloud metadata address'],
    ['fe80::1', 'link-local address'],
    ['fe80::1%eth0', 'link-local address'],
    ['::ffff:127.0.0.1', 'IPv6 form of a loopback address (127.0.0.1)'],
    ['::ffff:7f00:1', 'IPv6 form of a loopback address (127.0.0.1)'],
    ['::ffff:a9fe:a9fe', 'IPv6 form of a cloud metadata address (169.254.169.254)'],
    ['::127.0.0.1', 'IPv6 form of a loopback address (127.0.0.1)'],
    ['64:ff9b::a00:1', 'IPv6 form of a private address (10.0.0.1)'],
    ['2002:c0a8:101::1', 'IPv6 form of a private address (192.168.1.1)'],
  ])('%s is refused: %s', (address, reason) => {
    expect(blockedReason(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '169.255.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(blockedReason(address)).toBeUndefined();
    },
  );

  it('parses networks and matches IPv4 networks against IPv4-mapped addresses', () => {
    expect(cidrContains(parseCidr('10.0.0.0/8')!, parseIp('10.200.3.4')!)).toBe(true);
    expect(cidrContains(parseCidr('10.0.0.0/8')!, parseIp('11.0.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('172.16.0.0/12')!, parseIp('172.32.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('127.0.0.0/8')!, parseIp('::ffff:127.0.0.2')!)).toBe(true);
    expect(cidrContains(parseCidr('fd00::/8')!, parseIp('[fd00::5]')!)).toBe(true);
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseIp('2130706433')).toBeUndefined();
  });
});

describe('allowlists', () => {
  it('accepts hosts, wildcards, IPs, networks, each with an optional port', () => {
    const rules = parseAllowlist(
      ' 127.0.0.1:8080, intranet.example ,*.corp.example,10.0.0.0/8:443,[::1]:9000,fd00::/8,[fe80::1]',
    );
    expect(rules.map((r) => r.kind)).toEqual(['network', 'host', 'suffix', 'network', 'network', 'network', 'network']);
    const allowed = (host: string, address: string, port: number) => isAllowed(rules, { host, address, port });
    expect(allowed('127.0.0.1', '127.0.0.1', 8080)).toBe(true);
    expect(allowed('127.0.0.1', '127.0.0.1', 8081)).toBe(false);
    expect(allowed('Intranet.Example.', '10.9.9.9', 80)).toBe(true);
    expect(allowed('api.corp.example', '192.168.0.1', 80)).toBe(true);
    expect(allowed('corp.example', '192.168.0.1', 80)).toBe(false);
    expect(allowed('x', '10.1.1.1', 443)).toBe(true);
    expect(allowed('x', '10.1.1.1', 80)).toBe(false);
    expect(allowed('[::1]', '::1', 9000)).toBe(true);
    expect(allowed('x', 'fd00::7', 1)).toBe(true);
  });

  it('names every invalid entry', () => {
    expect(allowlistProblems(['ok.example', 'http://x', '10.0.0.0/40', 'a:b:c/x', 'host:99999', '2130706433'])).toEqual([
      '"http://x" is not a host, IP address or network (with an optional :port)',
      '"10.0.0.0/40" is not a valid network (e.g. 10.0.0.0/8)',
      '"a:b:c/x" is not a valid network (e.g. 10.0.0.0/8)',
      '"host:99999" has a port outside 1-65535',
      '"2130706433" is not a host, IP address or network (with an optional :port)',
    ]);
    expect(() => parseAllowlist('fine.example, bad entry')).toThrow(/Invalid egress allowlist: "bad entry"/);
  });
});

describe('checkEgress', () => {
  const table = {
    'internal.example': ['10.0.0.7'],
    'mixed.example': ['10.0.0.8', '93.184.216.34'],
    'public.example': ['93.184.216.34'],
    'metadata.google.internal': ['169.254.169.254'],
    'sneaky.localhost': ['93.184.216.34'],
    '169.254.169.254': ['169.254.169.254'],
  };
  const policy = (allowlist: string[] = [], server?: string) =>
    egressPolicy({ allowlist: server, resolve: resolver(table) }, allowlist);

  it('refuses internal addresses, naming the host, the address, the reason and the fix', async () => {
    const error = await checkEgress(policy(), 'internal.example', 443).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EgressRefusedError);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).retryable).toBe(false);
    expect((error as Error).message).toBe(
      'Refused to connect to internal.example (address 10.0.0.7), port 443: private address. Connectors may not reach ' +
        'loopback, private, link-local or cloud metadata addresses. If this destination is intended, add "internal.example" ' +
        `or "10.0.0.7" to the connection's allowlist setting (or to VIGIL_EGRESS_ALLOWLIST for the whole server).`,
    );
    expect((error as ActionError).details).toMatchObject({
      code: 'egress_refused',
      host: 'internal.example',
      address: '10.0.0.7',
    });
  });

  it('refuses metadata and local host names even when they resolve to public addresses', async () => {
    await expect(checkEgress(policy(), 'metadata.google.internal', 80)).rejects.toThrow(
      /\(address 169\.254\.169\.254\), port 80: cloud metadata address/,
    );
    await expect(checkEgress(policy(), 'sneaky.localhost', 80)).rejects.toThrow(/local or cloud metadata host name/);
    await expect(checkEgress(policy(), '169.254.169.254', 80)).rejects.toThrow(/port 80: cloud metadata address/);
  });

  it('lets public addresses through and picks a public one of several', async () => {
    expect(await checkEgress(policy(), 'public.example', 443)).toEqual({ address: '93.184.216.34', family: 4 });
    expect(await checkEgress(policy(), 'mixed.example', 443)).toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('lets through what the connection or the server allowlist names', async () => {
    expect((await checkEgress(policy(['internal.example']), 'internal.example', 443)).address).toBe('10.0.0.7');
    expect((await checkEgress(policy(['10.0.0.0/24:443']), 'internal.example', 443)).address).toBe('10.0.0.7');
    await expect(checkEgress(policy(['10.0.0.0/24:443']), 'internal.example', 80)).rejects.toThrow(EgressRefusedError);
    expect((await checkEgress(policy([], 'other.example, internal.example'), 'internal.example', 1)).address).toBe('10.0.0.7');
    expect((await checkEgress(policy(['metadata.google.internal']), 'metadata.google.internal', 80)).address).toBe(
      '169.254.169.254',
    );
  });

  it('reports hosts that do not resolve', async () => {
    await expect(checkEgress(policy(), 'nowhere.example', 443)).rejects.toThrow(
      'Could not resolve the host nowhere.example (ENOTFOUND).',
    );
  });

  it('uses the system resolver by default: localhost and numeric forms of 127.0.0.1 are refused', async () => {
    const real = egressPolicy({});
    await expect(checkEgress(real, 'localhost', 80)).rejects.toThrow(
      /Refused to connect to localhost \(address (127\.0\.0\.1|::1)\)/,
    );
    await expect(checkEgress(real, '2130706433', 80)).rejects.toThrow(/address 127\.0\.0\.1\), port 80: loopback address/);
    await expect(checkEgress(real, '::ffff:127.0.0.1', 80)).rejects.toThrow(/IPv6 form of a loopback address/);
  });
});
