import { createHash } from 'node:crypto';
import { ActionError, type ResolvedConnection } from '../action.js';
import { parseConnection, policyFor, type ConnectorDeps } from '../connector-kit.js';
import { sendRequest } from '../outbound/http-client.js';
import { isRetryableStatus, parseBody } from '../outbound/response-body.js';
import { fetchToken, type ClientCredentials } from '../outbound/oauth2.js';
import { identitySecrets, identitySettings } from './identity-schemas.js';

/** Microsoft Graph calls with an app-only token (client credentials), and user id resolution. */

/** A Graph client bound to one connection. */
export interface GraphClient {
  /** Calls `{baseUrl}/v1.0{path}`; returns the parsed body; ActionError on a non-2xx answer. */
  call(method: string, path: string, body?: unknown): Promise<unknown>;
  /** The object id of a user given by id or user principal name. */
  userId(user: string): Promise<string>;
  /** Fetches a fresh token (bypassing the cache): the connection test. */
  checkToken(): Promise<void>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function graphError(method: string, path: string, response: { status: number; headers: Record<string, string>; body: Buffer }) {
  const body = parseBody(response.headers, response.body) as { error?: { code?: unknown; message?: unknown } } | string | null;
  const error = typeof body === 'object' && body !== null ? body.error : undefined;
  const what = error ? `${String(error.code)}: ${String(error.message)}` : String(body ?? '').slice(0, 300);
  const retryAfter = response.headers['retry-after'];
  return new ActionError(
    `Microsoft Graph answered HTTP ${response.status} to ${method} /v1.0${path}: ${what}`,
    isRetryableStatus(response.status),
    {
      status: response.status,
      ...(error ? { code: String(error.code) } : {}),
      ...(retryAfter ? { retryAfter } : {}),
    },
  );
}

/** A GUID derived from a step's idempotency key: Graph's `client-request-id`, the same on every attempt of the step. */
export function clientRequestId(idempotencyKey: string): string {
  const hex = createHash('sha256').update(idempotencyKey).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Creates a Graph client from a connection; with an idempotency key, requests carry it as `client-request-id`. */
export function graphClient(
  deps: ConnectorDeps,
  connection: ResolvedConnection,
  signal?: AbortSignal,
  idempotencyKey?: string,
): GraphClient {
  const settings = parseConnection(identitySettings, connection.settings, 'settings', connection);
  const secrets = parseConnection(identitySecrets, connection.secrets, 'secrets', connection);
  const policy = policyFor(deps, settings);
  const credentials: ClientCredentials = {
    tokenUrl: `${settings.loginUrl.replace(/\/+$/, '')}/${encodeURIComponent(settings.tenantId)}/oauth2/v2.0/token`,
    clientId: settings.clientId,
    clientSecret: secrets.clientSecret,
    scope: settings.scope,
  };

  async function send(method: string, path: string, body?: unknown) {
    const token = await deps.tokens.token(policy, credentials, signal);
    return sendRequest(policy, {
      method,
      url: `${settings.baseUrl.replace(/\/+$/, '')}/v1.0${path}`,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(idempotencyKey === undefined ? {} : { 'client-request-id': clientRequestId(idempotencyKey) }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  }

  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    let response = await send(method, path, body);
    if (response.status === 401) {
      // An expired or revoked token: fetch a new one once.
      deps.tokens.invalidate(credentials);
      response = await send(method, path, body);
    }
    if (response.status >= 300) throw graphError(method, path, response);
    return parseBody(response.headers, response.body);
  }

  async function userId(user: string): Promise<string> {
    if (GUID.test(user)) return user.toLowerCase();
    try {
      const found = (await call('GET', `/users/${encodeURIComponent(user)}?$select=id,userPrincipalName`)) as { id?: unknown };
      if (typeof found?.id === 'string') return found.id;
    } catch (error) {
      if ((error as ActionError).details?.status === 404)
        throw new ActionError(`No user "${user}" in the directory (Microsoft Graph answered 404).`);
      throw error;
    }
    throw new ActionError(`Microsoft Graph returned no id for the user "${user}".`);
  }

  return { call, userId, checkToken: async () => void (await fetchToken(policy, credentials, signal)) };
}
