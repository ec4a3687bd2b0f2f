import { json, startFakeServer, type FakeReply, type FakeServer, type RecordedRequest } from './fake-server.js';

/**
 * A fake Microsoft identity platform + Microsoft Graph, serving both the login URL and the Graph
 * base URL:
 * - `POST /{tenant}/oauth2/v2.0/token`: client credentials (form: client_id, client_secret, scope
 *   ending in `/.default`) → `{ token_type, expires_in, access_token }`, AADSTS errors otherwise;
 * - `GET /v1.0/users/{id|upn}`; `PATCH /v1.0/users/{id}` (`accountEnabled`, `passwordProfile`) → 204;
 * - `POST /v1.0/users/{id}/revokeSignInSessions` → `{ value: true }`;
 * - `POST /v1.0/identityProtection/riskyUsers/confirmCompromised` `{ userIds }` → 204.
 * Graph calls need `Authorization: Bearer` with a token it issued.
 */

/** A directory user and what the tests may check about it. */
export interface FakeGraphUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
  passwordProfile?: { password: string; forceChangePasswordNextSignIn: boolean };
  sessionsRevoked: number;
  compromised: boolean;
}

/** The running fake and its knobs. */
export interface GraphFake extends FakeServer {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Users by id. */
  users: Map<string, FakeGraphUser>;
  /** Access tokens issued so far. */
  tokensIssued: () => number;
  /** Invalidates every token issued so far (as if they expired): Graph answers 401 until a new one is fetched. */
  revokeTokens(): void;
  /** Answers Graph calls whose path starts with `pathPrefix` (default: all of /v1.0) with this status; undefined stops. */
  failWith(status: number | undefined, pathPrefix?: string): void;
}

/** Options: the app registration it accepts, its users, and the token lifetime in seconds. */
export interface GraphFakeOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  users?: Pick<FakeGraphUser, 'id' | 'userPrincipalName' | 'displayName'>[];
  tokenLifetime?: number;
}

const DEFAULT_USERS = [
  { id: '6e7b768e-07e2-4810-8459-485f84f8f204', userPrincipalName: 'alice@contoso.com', displayName: 'Alice' },
  { id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd', userPrincipalName: 'bob@contoso.com', displayName: 'Bob' },
];

function graphError(status: number, code: string, message: string): FakeReply {
  const innerError = { date: '2024-06-01T00:00:00', 'request-id': 'fake-request', 'client-request-id': 'fake-client' };
  return json(status, { error: { code, message, innerError } });
}

function aadError(status: number, error: string, description: string): FakeReply {
  return json(status, { error, error_description: description, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1])] });
}

const complexEnough = (password: string) =>
  password.length >= 8 && [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length >= 3;

/** Starts the fake on 127.0.0.1 and a random port. */
export async function startGraphFake(options: GraphFakeOptions = {}): Promise<GraphFake> {
  const tenantId = options.tenantId ?? 'contoso-tenant';
  const clientId = options.clientId ?? 'app-client-id';
  const clientSecret = options.clientSecret ?? 'app-client-secret-value';
  const users = new Map<string, FakeGraphUser>();
  for (const u of options.users ?? DEFAULT_USERS)
    users.set(u.id, { ...u, accountEnabled: true, sessionsRevoked: 0, compromised: false });
  const tokens = new Set<string>();
  let issued = 0;
  let failure: { status: number; prefix: string } | undefined;

  const findUser = (idOrUpn: string) => {
    const key = decodeURIComponent(idOrUpn).toLowerCase();
    return [...users.values()].find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key);
  };
  const notFound = (id: string) =>
    graphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );

  const token = (request: RecordedRequest, tenant: string): FakeReply => {
    const form = new URLSearchParams(request.body);
    if (tenant !== tenantId) return aadError(400, 'invalid_request', `AADSTS90002: Tenant '${tenant}' not found.`);
    if (form.get('grant_type') !== 'client_credentials')
      return aadError(400, 'unsupported_grant_type', 'AADSTS70003: unsupported grant');
    if (form.get('client_id') !== clientId)
      return aadError(
        400,
        'unauthorized_client',
        `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found.`,
      );
    if (form.get('client_secret') !== clientSecret)
      return aadError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    if (!form.get('scope')?.endsWith('/.default'))
      return aadError(400, 'invalid_scope', 'AADSTS1002012: The provided value for scope is not valid.');
    const accessToken = `fake-graph-token-${++issued}`;
    tokens.add(accessToken);
    const lifetime = options.tokenLifetime ?? 3599;
    return json(200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken });
  };

  const confirmCompromised = (request: RecordedRequest): FakeReply => {
    const ids = (request.json as { userIds?: unknown })?.userIds;
    if (!Array.isArray(ids) || ids.length === 0) return graphError(400, 'invalidRequest', 'userIds is required.');
    const found = ids.map((id) => users.get(String(id)));
    const missing = ids.find((_id, i) => !found[i]);
    if (missing !== undefined) return notFound(String(missing));
    for (const user of found) user!.compromised = true;
    return { status: 204 };
  };

  const patchUser = (user: FakeGraphUser, request: RecordedRequest): FakeReply => {
    const body = (request.json ?? {}) as Partial<FakeGraphUser>;
    if (body.passwordProfile && !complexEnough(body.passwordProfile.password))
      return graphError(
        400,
        'Request_BadRequest',
        'The specified password does not comply with password complexity requirements.',
      );
    if (typeof body.accountEnabled === 'boolean') user.accountEnabled = body.accountEnabled;
    if (body.passwordProfile) user.passwordProfile = body.passwordProfile;
    return { status: 204 };
  };

  const graph = (request: RecordedRequest): FakeReply => {
    const auth = request.headers.authorization;
    if (!auth) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    if (!tokens.has(auth.replace(/^Bearer /, '')))
      return graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    if (failure && request.path.startsWith(failure.prefix))
      return graphError(
        failure.status,
        failure.status >= 500 ? 'generalException' : 'accessDenied',
        'The fake was told to fail.',
      );
    if (request.method === 'POST' && request.path === '/v1.0/identityProtection/riskyUsers/confirmCompromised')
      return confirmCompromised(request);
    const match = /^\/v1\.0\/users\/([^/]+)(\/revokeSignInSessions)?$/.exec(request.path);
    const user = match && findUser(match[1]!);
    if (!match) return graphError(400, 'BadRequest', `Resource not found for the segment '${request.path}'.`);
    if (!user) return notFound(decodeURIComponent(match[1]!));
    if (match[2] && request.method === 'POST') {
      user.sessionsRevoked += 1;
      return json(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean', value: true });
    }
    if (request.method === 'PATCH' && !match[2]) return patchUser(user, request);
    if (request.method === 'GET' && !match[2]) {
      const { id, userPrincipalName, displayName, accountEnabled } = user;
      return json(200, {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
        id,
        userPrincipalName,
        displayName,
        accountEnabled,
      });
    }
    return graphError(405, 'Request_BadRequest', `${request.method} is not supported here.`);
  };

  const server = await startFakeServer((request) => {
    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(request.path);
    if (tokenPath && request.method === 'POST') return token(request, tokenPath[1]!);
    if (request.path.startsWith('/v1.0/')) return graph(request);
    return graphError(404, 'UnknownError', `No route for ${request.path}`);
  });
  return {
    ...server,
    tenantId,
    clientId,
    clientSecret,
    users,
    tokensIssued: () => issued,
    revokeTokens: () => tokens.clear(),
    failWith: (status, prefix = '/v1.0/') => void (failure = status === undefined ? undefined : { status, prefix }),
  };
}
