import { ActionError, type ResolvedConnection } from '../action.js';
import { parseConnection, policyFor, type ConnectorDeps } from '../connector-kit.js';
import { sendRequest } from '../outbound/http-client.js';
import { bodyExcerpt, parseBody, statusError } from '../outbound/response-body.js';
import { virusTotalSecrets, virusTotalSettings } from './virustotal-schemas.js';

/** Calls to the VirusTotal API v3 with a connection's key; a 404 is an answer (no report), not a failure. */

/** The object VirusTotal returned, or null when it has none. */
export type VirusTotalAnswer = { data: Record<string, unknown> } | null;

/** The connection's settings and key. */
export function virusTotalConnection(connection: ResolvedConnection) {
  return {
    settings: parseConnection(virusTotalSettings, connection.settings, 'settings', connection),
    secrets: parseConnection(virusTotalSecrets, connection.secrets, 'secrets', connection),
  };
}

function vtErrorCode(body: unknown): string {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return error && typeof error.code === 'string' ? `${error.code}: ${String(error.message ?? '')}` : '';
}

/** GETs `/api/v3/{path}`; null on 404; ActionError naming the problem otherwise. */
export async function virusTotalGet(
  deps: ConnectorDeps,
  connection: ResolvedConnection,
  path: string,
  signal?: AbortSignal,
): Promise<VirusTotalAnswer> {
  const { settings, secrets } = virusTotalConnection(connection);
  const url = new URL(`${settings.baseUrl.replace(/\/+$/, '')}/api/v3/${path}`);
  const request = { method: 'GET', url, headers: { 'x-apikey': secrets.apiKey, accept: 'application/json' }, signal };
  const response = await sendRequest(policyFor(deps, settings), { ...request, credentialHeaders: ['x-apikey'] });
  const body = parseBody(response.headers, response.body);
  if (response.status === 404) return null;
  if (response.status === 401 || response.status === 403)
    throw new ActionError(
      `VirusTotal rejected the API key (HTTP ${response.status} ${vtErrorCode(body) || bodyExcerpt(response.body)}).`,
      false,
      {
        status: response.status,
      },
    );
  if (response.status === 429)
    throw new ActionError(`VirusTotal quota exceeded (HTTP 429): wait, or use a key with a higher quota.`, true, { status: 429 });
  if (response.status !== 200) throw statusError('VirusTotal', request, response);
  if (!body || typeof body !== 'object' || typeof (body as { data?: unknown }).data !== 'object')
    throw new ActionError(`VirusTotal answered ${path} without a data object: ${bodyExcerpt(response.body)}`);
  return body as { data: Record<string, unknown> };
}
