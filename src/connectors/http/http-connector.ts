import { ActionError, type ConnectorDefinition, type ResolvedConnection } from '../action.js';
import { policyFor, redactError, redactingTest, withSecretRedaction, type ConnectorDeps } from '../connector-kit.js';
import { sendRequest, type OutboundResponse } from '../outbound/http-client.js';
import { fetchToken } from '../outbound/oauth2.js';
import { statusError } from '../outbound/response-body.js';
import { applyAuth, oauthCredentials } from './http-auth.js';
import { httpConnection, httpRequestAction } from './http-request-action.js';
import { httpSecrets, httpSettings } from './http-schemas.js';

function testProblem(url: URL, response: OutboundResponse): ActionError | undefined {
  if (response.status === 401 || response.status === 403)
    return statusError(url.host, { method: 'GET', url }, response, 'the credentials were rejected');
  if (response.status >= 500) return statusError(url.host, { method: 'GET', url }, response);
  if (response.status >= 400 && response.status !== 404 && response.status !== 405)
    return new ActionError(`${url.host} answered HTTP ${response.status} to the test request.`);
  return undefined;
}

/**
 * Checks an HTTP connection: an OAuth2 connection fetches a fresh token; one with a baseUrl sends
 * an authenticated GET to it (401/403 and 5xx fail; other answers mean the service is reachable).
 */
async function testHttpConnection(deps: ConnectorDeps, connection: ResolvedConnection, signal: AbortSignal) {
  const { settings, secrets } = httpConnection({ connection });
  const policy = policyFor(deps, settings);
  if (settings.auth === 'oauth2') await fetchToken(policy, oauthCredentials(settings, secrets), signal);
  if (!settings.baseUrl) return;
  const url = new URL(settings.baseUrl);
  const headers: Record<string, string> = {};
  const auth = await applyAuth({ url, headers }, { settings, secrets }, { ...deps, policy, signal });
  const response = await sendRequest(policy, { method: 'GET', url, headers, signal, credentialHeaders: auth.credentialHeaders });
  const problem = testProblem(url, response);
  if (problem) throw redactError(problem, auth.derivedSecrets);
}

/** The HTTP connector: one generic action, an optional connection for the base URL, auth and allowlist. */
export function createHttpConnector(deps: ConnectorDeps): ConnectorDefinition {
  return {
    id: 'http',
    title: 'HTTP',
    description: 'Calls any HTTP API. A connection holds its base URL, credentials and the internal hosts it may reach.',
    connection: 'optional',
    settings: httpSettings,
    secrets: httpSecrets,
    test: redactingTest((connection, signal) => testHttpConnection(deps, connection, signal)),
    actions: [withSecretRedaction(httpRequestAction(deps))],
  };
}
