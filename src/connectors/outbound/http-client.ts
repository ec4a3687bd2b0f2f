import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { ActionError } from '../action.js';
import { checkEgress, type EgressPolicy, type ResolvedAddress } from './egress-guard.js';
import { describeUrl, readLimited } from './response-body.js';

/**
 * The HTTP client of every connector: node:http(s) connecting to the address the egress guard
 * checked (pinned through `lookup`, while SNI, certificate checks and Host use the host name),
 * following at most a few redirects — each target checked again — with a response size limit
 * and a timeout.
 */

/** One outbound request. */
export interface OutboundRequest {
  method: string;
  url: string | URL;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Aborts the request (the step's timeout or the run's cancellation). */
  signal?: AbortSignal;
  /** Ceiling of its own, whatever the signal: 60 s by default. */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes: 5 MB by default. */
  maxBytes?: number;
  /** Redirects followed: 5 by default, 0 to return the redirect response itself. */
  maxRedirects?: number;
  /** Headers carrying credentials, dropped when a redirect leaves the origin (Authorization and Cookie always are). */
  credentialHeaders?: string[];
  /** Certificate authorities to trust for https instead of the system's (PEM), e.g. an internal CA. */
  ca?: string;
}

/** The final response. */
export interface OutboundResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
}

/** Default response size limit: 5 MB. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NOT_RETRYABLE_CODES = /CERT|SELF_SIGNED|HOSTNAME|ERR_TLS|ERR_INVALID|ERR_UNESCAPED/;

/** A lookup that answers with the already checked address instead of asking DNS again. */
function pinnedLookup(target: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
}

function responseHeaders(message: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

function checkUrl(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ActionError(
      `Only http and https URLs can be requested, not ${url.protocol.replace(':', '')} (${describeUrl(url)}).`,
    );
  if (url.username || url.password)
    throw new ActionError(`URLs with a user name or password are not accepted (${describeUrl(url)}); use the connection's auth.`);
}

function networkError(error: unknown, hop: Hop, signals: { caller?: AbortSignal; timeout: AbortSignal }, timeoutMs: number) {
  if (error instanceof ActionError) return error;
  const where = `${hop.method} ${describeUrl(hop.url)}`;
  if (signals.caller?.aborted)
    return new ActionError(`${where} was cancelled (the step timed out or the run was cancelled).`, true);
  if (signals.timeout.aborted) return new ActionError(`${where} timed out after ${timeoutMs / 1000} s.`, true);
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  return new ActionError(`${where} failed: ${message}`, !NOT_RETRYABLE_CODES.test(code), { code });
}

async function sendOnce(policy: EgressPolicy, hop: Hop, signal: AbortSignal, limits: { maxBytes: number; ca?: string }) {
  const https_ = hop.url.protocol === 'https:';
  const port = Number(hop.url.port) || (https_ ? 443 : 80);
  const hostname = hop.url.hostname.replace(/^\[(.*)\]$/, '$1');
  const target = await checkEgress(policy, hostname, port);
  const headers = { ...hop.headers };
  if (hop.body !== undefined) headers['content-length'] = String(Buffer.byteLength(hop.body));
  return new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
    const options: https.RequestOptions = {
      method: hop.method,
      hostname,
      port,
      path: `${hop.url.pathname}${hop.url.search}`,
      headers,
      signal,
      agent: false,
      lookup: pinnedLookup(target),
      ...(limits.ca ? { ca: limits.ca } : {}),
    };
    const request = (https_ ? https : http).request(options, (response) => {
      const result = { status: response.statusCode ?? 0, headers: responseHeaders(response) };
      readLimited(response, { maxBytes: limits.maxBytes, url: describeUrl(hop.url) }).then(
        (body) => resolve({ ...result, body }),
        reject,
      );
    });
    request.on('error', reject);
    request.end(hop.body);
  });
}

/** Parses an absolute URL (or one relative to `base`), refusing other schemes and embedded credentials. */
export function parseRequestUrl(text: string | URL, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new ActionError(`"${String(text).slice(0, 200)}" is not a valid URL.`);
  }
  checkUrl(url);
  return url;
}

function nextHop(hop: Hop, status: number, location: string, credentialHeaders: string[]): Hop {
  const url = parseRequestUrl(location, hop.url);
  const headers = { ...hop.headers };
  if (url.origin !== hop.url.origin)
    for (const name of Object.keys(headers)) if (credentialHeaders.includes(name.toLowerCase())) delete headers[name];
  if (status === 303 || ((status === 301 || status === 302) && hop.method === 'POST')) {
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-type') delete headers[name];
    return { url, method: hop.method === 'HEAD' ? 'HEAD' : 'GET', headers };
  }
  return { ...hop, url, headers };
}

/** Sends a request through the egress guard; throws ActionError on refusal, network failure, timeout or an oversized body. */
export async function sendRequest(policy: EgressPolicy, request: OutboundRequest): Promise<OutboundResponse> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = request.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const credentialHeaders = ['authorization', 'cookie', 'proxy-authorization', ...(request.credentialHeaders ?? [])].map((h) =>
    h.toLowerCase(),
  );
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const url = parseRequestUrl(request.url);
  let hop: Hop = { url, method: request.method.toUpperCase(), headers: request.headers ?? {}, body: request.body };
  for (let redirects = 0; ; redirects++) {
    let response: Awaited<ReturnType<typeof sendOnce>>;
    try {
      response = await sendOnce(policy, hop, signal, { maxBytes: request.maxBytes ?? DEFAULT_MAX_BYTES, ca: request.ca });
    } catch (error) {
      throw networkError(error, hop, { caller: request.signal, timeout }, timeoutMs);
    }
    const location = response.headers.location;
    if (!REDIRECTS.has(response.status) || !location || maxRedirects === 0) return { ...response, url: hop.url.toString() };
    if (redirects >= maxRedirects)
      throw new ActionError(`Stopped after ${maxRedirects} redirects, at ${describeUrl(hop.url)}.`, false, {
        status: response.status,
      });
    hop = nextHop(hop, response.status, location, credentialHeaders);
  }
}
