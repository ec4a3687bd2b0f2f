import { cidrContains, parseCidr, parseIp, type Cidr } from './ip-ranges.js';

/**
 * Egress allowlists: destinations an administrator lets connectors reach although they are
 * loopback, private, link-local or metadata addresses. Entries: a host name (`intranet.example`),
 * a wildcard suffix (`*.corp.example`), an IP (`10.1.2.3`, `[fd00::1]`), a network (`10.0.0.0/8`),
 * each optionally followed by `:port` (`127.0.0.1:8080`, `[::1]:8080`, `10.0.0.0/8:443`).
 */

/** One parsed allowlist entry. */
export type AllowRule =
  | { kind: 'host'; host: string; port?: number; entry: string }
  | { kind: 'suffix'; suffix: string; port?: number; entry: string }
  | { kind: 'network'; network: Cidr; port?: number; entry: string };

/** A destination to check: the host as written in the URL, the address it resolved to, the port. */
export interface Destination {
  host: string;
  address: string;
  port: number;
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Lower-cases a host name and drops brackets and a trailing dot, so `Example.COM.` matches `example.com`. */
export function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

function splitPort(entry: string): { target: string; port?: number } | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  if (bracketed) return { target: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : undefined };
  // A bare IPv6 address or network has several colons and no port.
  if ((entry.match(/:/g) ?? []).length > 1) return { target: entry };
  const withPort = /^(.+):(\d{1,5})$/.exec(entry);
  if (withPort) return { target: withPort[1]!, port: Number(withPort[2]) };
  return entry.includes(':') ? undefined : { target: entry };
}

function parseEntry(raw: string): AllowRule | string {
  const entry = raw.trim();
  const split = splitPort(entry);
  if (!split) return `"${entry}" is not a host, IP address or network (with an optional :port)`;
  const { target, port } = split;
  if (port !== undefined && (port < 1 || port > 65535)) return `"${entry}" has a port outside 1-65535`;
  const ip = parseIp(target);
  if (ip) return { kind: 'network', network: { ...ip, prefix: ip.bytes.length * 8 }, port, entry };
  if (target.includes('/')) {
    const network = parseCidr(target);
    return network ? { kind: 'network', network, port, entry } : `"${entry}" is not a valid network (e.g. 10.0.0.0/8)`;
  }
  const host = normalizeHost(target);
  if (host.startsWith('*.') && HOST_NAME.test(host.slice(2))) return { kind: 'suffix', suffix: host.slice(1), port, entry };
  // Numeric "host names" such as 2130706433 are IPv4 addresses in disguise: ask for the real form.
  if (HOST_NAME.test(host) && !/^[0-9.]+$/.test(host) && !/^0x/.test(host)) return { kind: 'host', host, port, entry };
  return `"${entry}" is not a host, IP address or network (with an optional :port)`;
}

/** Splits a comma-separated list (as in `VIGIL_EGRESS_ALLOWLIST`) or takes a list; empty entries are dropped. */
function entriesOf(entries: string | readonly string[] | undefined): string[] {
  const list = typeof entries === 'string' ? entries.split(',') : [...(entries ?? [])];
  return list.map((e) => e.trim()).filter((e) => e !== '');
}

/** What is wrong with each invalid entry of an allowlist (empty when all are valid). */
export function allowlistProblems(entries: string | readonly string[] | undefined): string[] {
  return entriesOf(entries)
    .map(parseEntry)
    .filter((r): r is string => typeof r === 'string');
}

/** Parses an allowlist; throws an Error naming every invalid entry. */
export function parseAllowlist(entries: string | readonly string[] | undefined): AllowRule[] {
  const parsed = entriesOf(entries).map(parseEntry);
  const problems = parsed.filter((r): r is string => typeof r === 'string');
  if (problems.length > 0) throw new Error(`Invalid egress allowlist: ${problems.join('; ')}`);
  return parsed as AllowRule[];
}

function ruleMatches(rule: AllowRule, host: string, destination: Destination): boolean {
  if (rule.port !== undefined && rule.port !== destination.port) return false;
  if (rule.kind === 'host') return rule.host === host;
  if (rule.kind === 'suffix') return host.endsWith(rule.suffix);
  const ip = parseIp(destination.address);
  return !!ip && cidrContains(rule.network, ip);
}

/** Whether an allowlist names the destination, by host name or by the address it resolved to. */
export function isAllowed(rules: readonly AllowRule[], destination: Destination): boolean {
  const host = normalizeHost(destination.host);
  return rules.some((rule) => ruleMatches(rule, host, destination));
}
