import { createHash } from 'node:crypto';
import { ActionError } from '../action.js';
import type { EgressPolicy } from './egress-guard.js';
import { sendRequest } from './http-client.js';
import { parseBody, statusError } from './response-body.js';

/**
 * OAuth2 client credentials (RFC 6749 §4.4): access tokens fetched from a token endpoint and
 * cached until shortly before they expire; concurrent callers share one token request.
 */

/** What a token request needs. */
export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** How the client authenticates: form fields (`client_secret_post`, default) or HTTP Basic. */
  clientAuth?: 'body' | 'basic';
}

/** A cache of access tokens, shared by the connectors of one server. */
export interface TokenCache {
  /** A valid access token for the credentials: cached, or fetched through the egress policy. */
  token(policy: EgressPolicy, credentials: ClientCredentials, signal?: AbortSignal): Promise<string>;
  /** Forgets the token of these credentials (after a service rejected it). */
  invalidate(credentials: ClientCredentials): void;
}

interface Entry {
  token: string;
  expiresAt: number;
}

const REFRESH_MARGIN_MS = 60_000;
const DEFAULT_LIFETIME_S = 3600;

/** The cache key: the secret is part of it (a changed secret needs a new token) but only as a hash. */
function keyOf(c: ClientCredentials): string {
  return createHash('sha256')
    .update(JSON.stringify([c.tokenUrl, c.clientId, c.scope ?? '', c.clientAuth ?? 'body', c.clientSecret]))
    .digest('hex');
}

function tokenRequestBody(c: ClientCredentials): { headers: Record<string, string>; body: string } {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (c.clientAuth === 'basic') {
    const pair = `${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    form.set('client_id', c.clientId);
    form.set('client_secret', c.clientSecret);
  }
  if (c.scope) form.set('scope', c.scope);
  return { headers, body: form.toString() };
}

/** Asks the token endpoint for a token; errors carry the endpoint's status and OAuth error. */
export async function fetchToken(
  policy: EgressPolicy,
  credentials: ClientCredentials,
  signal?: AbortSignal,
): Promise<{ accessToken: string; expiresIn: number }> {
  const request = { method: 'POST', url: credentials.tokenUrl, ...tokenRequestBody(credentials), signal, maxRedirects: 0 };
  const response = await sendRequest(policy, request);
  if (response.status !== 200) throw statusError('The OAuth2 token endpoint', request, response, 'client credentials');
  const body = parseBody(response.headers, response.body) as { access_token?: unknown; expires_in?: unknown } | string;
  if (typeof body !== 'object' || body === null || typeof body.access_token !== 'string')
    throw new ActionError(`The OAuth2 token endpoint ${credentials.tokenUrl} answered without an access_token.`);
  const expiresIn = Number(body.expires_in);
  return {
    accessToken: body.access_token,
    expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_LIFETIME_S,
  };
}

/** Creates a token cache; `now` is for tests. At most `maxEntries` tokens are kept (oldest dropped). */
export function createTokenCache(options: { now?: () => number; maxEntries?: number } = {}): TokenCache {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 500;
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<string>>();

  async function refresh(key: string, policy: EgressPolicy, credentials: ClientCredentials, signal?: AbortSignal) {
    const { accessToken, expiresIn } = await fetchToken(policy, credentials, signal);
    // Refresh a minute early, or halfway through a short lifetime.
    const margin = Math.min(REFRESH_MARGIN_MS, (expiresIn * 1000) / 2);
    entries.delete(key);
    entries.set(key, { token: accessToken, expiresAt: now() + expiresIn * 1000 - margin });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    return accessToken;
  }

  return {
    async token(policy, credentials, signal) {
      const key = keyOf(credentials);
      const cached = entries.get(key);
      if (cached && cached.expiresAt > now()) return cached.token;
      const inFlight = pending.get(key);
      if (inFlight) return inFlight;
      const request = refresh(key, policy, credentials, signal).finally(() => pending.delete(key));
      pending.set(key, request);
      return request;
    },
    invalidate(credentials) {
      entries.delete(keyOf(credentials));
    },
  };
}
