import { lookup as dnsLookup } from 'node:dns/promises';
import { ActionError } from '../action.js';
import { isAllowed, normalizeHost, parseAllowlist, type AllowRule } from './allowlist.js';
import { blockedReason } from './ip-ranges.js';

/**
 * The egress guard (SSRF protection) every outbound connection goes through: it resolves the
 * host once, refuses loopback, private, link-local, metadata and other internal addresses unless
 * an allowlist names them, and returns the checked address for the caller to connect to (pinned:
 * no second lookup, so DNS rebinding cannot swap the address after the check).
 */

/** One resolved address of a host. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host to all its addresses (node:dns `lookup` by default; tests may substitute it). */
export type HostResolver = (host: string) => Promise<ResolvedAddress[]>;

/** Server-wide egress options (from `VIGIL_EGRESS_ALLOWLIST`), passed in by whoever builds the connectors. */
export interface EgressOptions {
  /** `VIGIL_EGRESS_ALLOWLIST`: comma-separated entries, or a list (see allowlist.ts for the syntax). */
  allowlist?: string | readonly string[];
  resolve?: HostResolver;
}

/** What one outbound call may reach: the server's and the connection's allowlists together. */
export interface EgressPolicy {
  rules: readonly AllowRule[];
  resolve: HostResolver;
}

/** The refusal of a destination; its message names the host, the address, the reason and the fix. */
export class EgressRefusedError extends ActionError {
  constructor(message: string, details: Record<string, unknown>) {
    super(message, false, { code: 'egress_refused', ...details });
    this.name = 'EgressRefusedError';
  }
}

/** Host names that lead to the machine itself or to cloud metadata services, whatever they resolve to. */
const BLOCKED_NAMES = ['localhost', 'metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data'];
const BLOCKED_SUFFIXES = ['.localhost', '.metadata.google.internal', '.ec2.internal'];

const defaultResolve: HostResolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/** Builds the policy for one call from the server's options and the connection's `allowlist` setting. */
export function egressPolicy(server: EgressOptions, connectionAllowlist: readonly string[] = []): EgressPolicy {
  return {
    rules: [...parseAllowlist(server.allowlist), ...parseAllowlist(connectionAllowlist)],
    resolve: server.resolve ?? defaultResolve,
  };
}

function blockedName(host: string): string | undefined {
  if (BLOCKED_NAMES.includes(host) || BLOCKED_SUFFIXES.some((s) => host.endsWith(s))) return 'local or cloud metadata host name';
  return undefined;
}

function refusal(host: string, address: string, port: number, reason: string): EgressRefusedError {
  const shownHost = host === address ? host : `${host} (address ${address})`;
  return new EgressRefusedError(
    `Refused to connect to ${shownHost}, port ${port}: ${reason}. Connectors may not reach loopback, private, ` +
      `link-local or cloud metadata addresses. If this destination is intended, add ${host === address ? `"${host}"` : `"${host}" or "${address}"`} ` +
      `to the connection's allowlist setting (or to VIGIL_EGRESS_ALLOWLIST for the whole server).`,
    { host, address, port, reason },
  );
}

async function resolveAll(policy: EgressPolicy, host: string): Promise<ResolvedAddress[]> {
  try {
    const addresses = await policy.resolve(host);
    if (addresses.length > 0) return addresses;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'lookup failed';
    throw new ActionError(`Could not resolve the host ${host} (${code}).`, code === 'EAI_AGAIN', { host, code });
  }
  throw new ActionError(`Could not resolve the host ${host} (no addresses).`, false, { host });
}

/**
 * Resolves `host` and returns an address the policy lets this server reach on `port`: a public
 * one, or one the allowlist names (by host or address). Throws EgressRefusedError otherwise.
 */
export async function checkEgress(policy: EgressPolicy, rawHost: string, port: number): Promise<ResolvedAddress> {
  const host = normalizeHost(rawHost);
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolveAll(policy, host);
  } catch (error) {
    // A local or metadata host name is refused as such, whether or not this machine resolves it.
    const named = blockedName(host);
    if (named && !isAllowed(policy.rules, { host, address: host, port })) throw refusal(host, host, port, named);
    throw error;
  }
  let refused: EgressRefusedError | undefined;
  for (const candidate of addresses) {
    if (isAllowed(policy.rules, { host, address: candidate.address, port })) return candidate;
    const reason = blockedReason(candidate.address) ?? blockedName(host);
    if (!reason) return candidate;
    refused ??= refusal(host, candidate.address, port, reason);
  }
  throw refused!;
}
