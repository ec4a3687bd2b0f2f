import { ActionError } from '../action.js';
import type { ConnectorDeps } from '../connector-kit.js';
import type { EgressPolicy } from '../outbound/egress-guard.js';
import type { ClientCredentials } from '../outbound/oauth2.js';
import type { HttpSecrets, HttpSettings } from './http-schemas.js';

/** How the HTTP connector authenticates a request, from the connection's auth kind. */

/**
 * What authenticating did: headers to drop on a cross-origin redirect, derived credentials to
 * redact besides the connection's secrets (an access token, a Basic header), the OAuth2 credentials used.
 */
export interface AppliedAuth {
  credentialHeaders: string[];
  derivedSecrets: string[];
  oauth?: ClientCredentials;
}

function secret(secrets: HttpSecrets, name: keyof HttpSecrets, auth: string): string {
  const value = secrets[name];
  if (!value) throw new ActionError(`The connection uses ${auth} auth but its "${name}" secret is not set.`);
  return value;
}

/** The OAuth2 client credentials of a connection. */
export function oauthCredentials(settings: HttpSettings, secrets: HttpSecrets): ClientCredentials {
  return {
    tokenUrl: settings.tokenUrl!,
    clientId: settings.clientId!,
    clientSecret: secret(secrets, 'clientSecret', 'oauth2'),
    scope: settings.scope,
    clientAuth: settings.clientAuth,
  };
}

/** Adds the connection's credentials to the request's headers or URL. */
export async function applyAuth(
  target: { url: URL; headers: Record<string, string> },
  connection: { settings: HttpSettings; secrets: HttpSecrets },
  deps: ConnectorDeps & { policy: EgressPolicy; signal?: AbortSignal },
): Promise<AppliedAuth> {
  const { settings, secrets } = connection;
  switch (settings.auth) {
    case 'basic': {
      const pair = Buffer.from(`${settings.username}:${secret(secrets, 'password', 'basic')}`).toString('base64');
      target.headers.authorization = `Basic ${pair}`;
      return { credentialHeaders: [], derivedSecrets: [pair] };
    }
    case 'bearer':
      target.headers.authorization = `Bearer ${secret(secrets, 'token', 'bearer')}`;
      return { credentialHeaders: [], derivedSecrets: [] };
    case 'apiKey': {
      const key = secret(secrets, 'apiKey', 'apiKey');
      if (settings.apiKeyIn === 'query') {
        target.url.searchParams.set(settings.apiKeyName!, key);
        return { credentialHeaders: [], derivedSecrets: [] };
      }
      target.headers[settings.apiKeyName!.toLowerCase()] = key;
      return { credentialHeaders: [settings.apiKeyName!], derivedSecrets: [] };
    }
    case 'oauth2': {
      const oauth = oauthCredentials(settings, secrets);
      const token = await deps.tokens.token(deps.policy, oauth, deps.signal);
      target.headers.authorization = `Bearer ${token}`;
      return { credentialHeaders: [], derivedSecrets: [token], oauth };
    }
    default:
      return { credentialHeaders: [], derivedSecrets: [] };
  }
}
