import { redactSecrets } from '../../connections/secret-box.js';
import { ActionError, type ActionContext } from '../action.js';
import { parseConnection, policyFor, redactError, type ConnectorAction, type ConnectorDeps } from '../connector-kit.js';
import { parseRequestUrl, sendRequest } from '../outbound/http-client.js';
import { parseBody, statusError } from '../outbound/response-body.js';
import { applyAuth } from './http-auth.js';
import {
  httpRequestInput,
  httpRequestOutput,
  httpSecrets,
  httpSettings,
  type HttpRequestInput,
  type HttpRequestOutput,
  type HttpSecrets,
  type HttpSettings,
} from './http-schemas.js';

/** `http.request`: any HTTP call, with the connection's auth, through the egress guard. */

const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

/** The connection's settings and secrets, or the defaults when the step has no connection. */
export function httpConnection(context: { connection?: ActionContext['connection'] }): {
  settings: HttpSettings;
  secrets: HttpSecrets;
} {
  const connection = context.connection;
  if (!connection) return { settings: httpSettings.parse({}), secrets: {} };
  return {
    settings: parseConnection(httpSettings, connection.settings, 'settings', connection),
    secrets: parseConnection(httpSecrets, connection.secrets, 'secrets', connection),
  };
}

/** The URL to call: absolute, or joined to the base URL (an absolute one must share the base URL's origin). */
export function targetUrl(url: string, baseUrl: string | undefined): URL {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    const absolute = parseRequestUrl(url);
    if (baseUrl && absolute.origin !== new URL(baseUrl).origin)
      throw new ActionError(
        `The url ${absolute.origin} is outside the connection's baseUrl (${new URL(baseUrl).origin}); ` +
          'use a relative url, or a connection for that service.',
      );
    return absolute;
  }
  if (!baseUrl)
    throw new ActionError(`The url "${url.slice(0, 200)}" is relative, but the step has no connection with a baseUrl.`);
  return parseRequestUrl(`${baseUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`);
}

function requestHeaders(input: HttpRequestInput): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) {
    if (RESERVED_HEADERS.has(name.toLowerCase()))
      throw new ActionError(`The header "${name}" is set by Vigil and cannot be given.`);
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

function encodeBody(input: HttpRequestInput, headers: Record<string, string>): string | undefined {
  if (input.body === undefined) return undefined;
  if (typeof input.body === 'string') {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    return input.body;
  }
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(input.body);
}

function addQuery(url: URL, query: HttpRequestInput['query']): void {
  for (const [name, value] of Object.entries(query))
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
}

/** Creates the `http.request` action. */
export function httpRequestAction(deps: ConnectorDeps): ConnectorAction<HttpRequestInput, HttpRequestOutput> {
  return {
    id: 'http.request',
    title: 'HTTP request',
    description:
      'Sends an HTTP request with the connection’s auth (none, basic, bearer, API key, OAuth2 client credentials) and returns the status, headers and body (parsed when JSON). Internal addresses are refused unless the allowlist names them.',
    input: httpRequestInput,
    output: httpRequestOutput,
    effect: 'write',
    async run(context, input) {
      const connection = httpConnection(context);
      const policy = policyFor(deps, connection.settings);
      const url = targetUrl(input.url, connection.settings.baseUrl);
      addQuery(url, input.query);
      const headers = requestHeaders(input);
      const body = encodeBody(input, headers);
      if (input.idempotencyHeader) headers[input.idempotencyHeader.toLowerCase()] = context.idempotencyKey;
      const auth = await applyAuth({ url, headers }, connection, { ...deps, policy, signal: context.signal });
      const request = { method: input.method, url, headers, body, signal: context.signal };
      const response = await sendRequest(policy, {
        ...request,
        maxBytes: input.maxResponseBytes,
        maxRedirects: input.followRedirects ? undefined : 0,
        credentialHeaders: auth.credentialHeaders,
      });
      if (auth.oauth && response.status === 401) deps.tokens.invalidate(auth.oauth);
      if (input.failOnStatus && response.status >= 400)
        throw redactError(statusError(url.host, request, response), auth.derivedSecrets);
      const output = {
        status: response.status,
        ok: response.status >= 200 && response.status < 300,
        headers: response.headers,
        body: parseBody(response.headers, response.body),
        url: response.url,
      };
      return redactSecrets(output, auth.derivedSecrets) as HttpRequestOutput;
    },
  };
}
