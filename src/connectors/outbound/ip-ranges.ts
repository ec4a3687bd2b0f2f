import net from 'node:net';

/** An IP address as bytes (4 for IPv4, 16 for IPv6). */
export interface IpAddress {
  family: 4 | 6;
  bytes: Uint8Array;
}

/** A network in CIDR notation. */
export interface Cidr extends IpAddress {
  prefix: number;
}

function parseIpv4(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

function parseIpv6(text: string): Uint8Array {
  let s = text;
  if (s.includes('.')) {
    // A dotted IPv4 tail (`::ffff:127.0.0.1`) becomes two hex groups.
    const cut = s.lastIndexOf(':');
    const [a, b, c, d] = parseIpv4(s.slice(cut + 1));
    s = `${s.slice(0, cut + 1)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups].map((g) => parseInt(g, 16));
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

/** Parses an IPv4 or IPv6 literal (brackets and an IPv6 zone id allowed); undefined if it is not one. */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = net.isIP(bare);
  if (family === 4) return { family: 4, bytes: parseIpv4(bare) };
  if (family === 6) return { family: 6, bytes: parseIpv6(bare) };
  return undefined;
}

/** Parses `10.0.0.0/8` or `fd00::/8`; undefined if it is not a network. */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const ip = parseIp(match[1]!);
  const prefix = Number(match[2]);
  if (!ip || prefix > ip.bytes.length * 8) return undefined;
  return { ...ip, prefix };
}

/** Whether the network contains the address (IPv4 networks also match IPv4-mapped IPv6 forms). */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  const address = cidr.family === 4 && ip.family === 6 ? embeddedIpv4(ip) : ip;
  if (!address || address.family !== cidr.family) return false;
  for (let bit = 0; bit < cidr.prefix; bit += 8) {
    const bits = Math.min(8, cidr.prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((address.bytes[bit / 8]! & mask) !== (cidr.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

const zeroUpTo = (bytes: Uint8Array, end: number) => bytes.slice(0, end).every((b) => b === 0);

/**
 * The IPv4 address an IPv6 address carries, if it is one of the forms that reach IPv4 hosts:
 * IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::/96`), 6to4 (`2002::/16`).
 */
export function embeddedIpv4(ip: IpAddress): IpAddress | undefined {
  if (ip.family === 4) return ip;
  const b = ip.bytes;
  const mapped = zeroUpTo(b, 10) && b[10] === 0xff && b[11] === 0xff;
  const compatible = zeroUpTo(b, 12) && !zeroUpTo(b, 15);
  const nat64 = b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeroUpTo(b.slice(4), 8);
  if (mapped || compatible || nat64) return { family: 4, bytes: b.slice(12, 16) };
  if (b[0] === 0x20 && b[1] === 0x02) return { family: 4, bytes: b.slice(2, 6) };
  return undefined;
}

const RANGES: [string, string][] = [
  ['169.254.169.254/32', 'cloud metadata address'],
  ['0.0.0.0/8', 'unspecified ("this network") address'],
  ['10.0.0.0/8', 'private address'],
  ['100.64.0.0/10', 'carrier-grade NAT (shared) address'],
  ['127.0.0.0/8', 'loopback address'],
  ['169.254.0.0/16', 'link-local address'],
  ['172.16.0.0/12', 'private address'],
  ['192.0.0.0/24', 'IETF protocol address'],
  ['192.168.0.0/16', 'private address'],
  ['198.18.0.0/15', 'benchmarking address'],
  ['224.0.0.0/4', 'multicast address'],
  ['240.0.0.0/4', 'reserved or broadcast address'],
  ['::/128', 'unspecified address'],
  ['::1/128', 'loopback address'],
  ['fd00:ec2::254/128', 'cloud metadata address'],
  ['fc00::/7', 'private (unique local) address'],
  ['fe80::/10', 'link-local address'],
  ['fec0::/10', 'private (site-local) address'],
  ['ff00::/8', 'multicast address'],
];
const BLOCKED = RANGES.map(([cidr, reason]) => ({ cidr: parseCidr(cidr)!, reason }));

function rangeReason(ip: IpAddress): string | undefined {
  return BLOCKED.find((range) => range.cidr.family === ip.family && cidrContains(range.cidr, ip))?.reason;
}

/**
 * Why an address must not be reached from the server (loopback, private, link-local, metadata,
 * …, including IPv6 forms carrying such an IPv4 address), or undefined when it is public.
 */
export function blockedReason(address: string): string | undefined {
  const ip = parseIp(address);
  if (!ip) return 'not an IP address';
  const direct = rangeReason(ip);
  if (direct) return direct;
  const inner = ip.family === 6 ? embeddedIpv4(ip) : undefined;
  const innerReason = inner && rangeReason(inner);
  return innerReason ? `IPv6 form of a ${innerReason} (${[...inner.bytes].join('.')})` : undefined;
}
