import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeActionContext, fakeConnection, startGraphFake, type GraphFake } from '../../../test/support/fakes/index.js';
import type { ActionError, ResolvedConnection } from '../action.js';
import type { ConnectorAction } from '../connector-kit.js';
import { createTokenCache } from '../outbound/oauth2.js';
import { createIdentityConnector } from './identity-connector.js';
import { temporaryPassword } from './temporary-password.js';

let graph: GraphFake;
beforeAll(async () => {
  graph = await startGraphFake();
});
afterAll(() => graph.close());
beforeEach(() => graph.failWith(undefined));

const ALICE = '6e7b768e-07e2-4810-8459-485f84f8f204';
const BOB = '87d349ed-44d7-43e1-9a83-5f2406dee5bd';
const connector = createIdentityConnector({ egress: {}, tokens: createTokenCache() });
const connection = (secret = graph.clientSecret, allowlist = ['127.0.0.1']) =>
  fakeConnection(
    'identity',
    { tenantId: graph.tenantId, clientId: graph.clientId, baseUrl: graph.url, loginUrl: graph.url, allowlist },
    { clientSecret: secret },
  );
const action = (id: string) => connector.actions.find((a) => a.id === `identity.${id}`)! as ConnectorAction;
const run = async (id: string, input: Record<string, unknown>, conn: ResolvedConnection = connection()) =>
  action(id).output.parse(await action(id).run(fakeActionContext({ connection: conn }), action(id).input.parse(input)));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as ActionError,
  );

describe('identity actions', () => {
  it('confirms users compromised, resolving user principal names to ids', async () => {
    const out = await run('confirmUserCompromised', { users: ['Bob@Contoso.com', ALICE] });
    expect(out).toEqual({ userIds: [BOB, ALICE] });
    expect(graph.users.get(BOB)!.compromised).toBe(true);
    expect(graph.users.get(ALICE)!.compromised).toBe(true);
    const post = graph.requests.at(-1)!;
    expect(post).toMatchObject({
      method: 'POST',
      path: '/v1.0/identityProtection/riskyUsers/confirmCompromised',
      json: { userIds: [BOB, ALICE] },
    });
    expect(post.headers.authorization).toMatch(/^Bearer fake-graph-token-\d+$/);
    expect(graph.requests.some((r) => r.method === 'GET' && r.path === '/v1.0/users/Bob%40Contoso.com')).toBe(true);
  });

  it('fails with Graph’s status and error when the service fails (500: retryable), changing nothing', async () => {
    graph.users.get(ALICE)!.compromised = false;
    graph.failWith(500, '/v1.0/identityProtection');
    const error = await failure(run('confirmUserCompromised', { users: [ALICE] }));
    expect(error!.message).toBe(
      'Microsoft Graph answered HTTP 500 to POST /v1.0/identityProtection/riskyUsers/confirmCompromised: generalException: The fake was told to fail.',
    );
    expect(error!.retryable).toBe(true);
    expect(graph.users.get(ALICE)!.compromised).toBe(false);
    graph.failWith(403);
    expect(await failure(run('disableUser', { user: ALICE }))).toMatchObject({
      retryable: false,
      details: { status: 403, code: 'accessDenied' },
    });
  });

  it('names a user the directory does not know', async () => {
    await expect(run('revokeSignInSessions', { user: 'mallory@contoso.com' })).rejects.toThrow(
      'No user "mallory@contoso.com" in the directory (Microsoft Graph answered 404).',
    );
  });

  it('revokes sign-in sessions and disables users', async () => {
    expect(await run('revokeSignInSessions', { user: 'alice@contoso.com' })).toEqual({ userId: ALICE, revoked: true });
    expect(graph.users.get(ALICE)!.sessionsRevoked).toBe(1);
    expect(await run('disableUser', { user: BOB })).toEqual({ userId: BOB, accountEnabled: false });
    expect(graph.users.get(BOB)!.accountEnabled).toBe(false);
    expect(graph.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `/v1.0/users/${BOB}`, json: { accountEnabled: false } });
  });

  it('resets a password to a generated one, returned only when asked and marked as secret output', async () => {
    const hidden = await run('resetPassword', { user: ALICE });
    expect(hidden).toEqual({ userId: ALICE, forceChangePasswordNextSignIn: true });
    const first = graph.users.get(ALICE)!.passwordProfile!;
    expect(first.forceChangePasswordNextSignIn).toBe(true);
    expect(first.password).toHaveLength(20);
    const shown = await run('resetPassword', { user: ALICE, returnPassword: true, forceChangePasswordNextSignIn: false });
    const second = graph.users.get(ALICE)!.passwordProfile!;
    expect(shown).toEqual({ userId: ALICE, forceChangePasswordNextSignIn: false, password: second.password });
    expect(second.password).not.toBe(first.password);
    expect(action('resetPassword').secretOutputs).toEqual(['password']);
    await expect(run('resetPassword', { user: ALICE, password: 'weakweak' })).rejects.toThrow(/password complexity/);
  });

  it('caches the token, and fetches a new one once when Graph rejects it', async () => {
    const tokens = graph.tokensIssued();
    await run('disableUser', { user: ALICE });
    await run('disableUser', { user: ALICE });
    expect(graph.tokensIssued()).toBe(tokens);
    graph.revokeTokens();
    expect(await run('disableUser', { user: ALICE })).toEqual({ userId: ALICE, accountEnabled: false });
    expect(graph.tokensIssued()).toBe(tokens + 1);
  });

  it('refuses the fake without an allowlist', async () => {
    await expect(run('disableUser', { user: ALICE }, connection(graph.clientSecret, []))).rejects.toThrow(
      /Refused to connect to 127\.0\.0\.1.*loopback/,
    );
  });
});

describe('identity connection', () => {
  it('tests a connection by fetching a token; a wrong secret fails without showing it', async () => {
    const signal = new AbortController().signal;
    const before = graph.tokensIssued();
    await connector.test!(connection(), signal);
    expect(graph.tokensIssued()).toBe(before + 1);
    const error = await failure(connector.test!(connection('not-the-secret-42'), signal));
    expect(error!.message).toMatch(
      /^The OAuth2 token endpoint answered HTTP 401 .*AADSTS7000215: Invalid client secret provided/,
    );
    expect(error!.message).not.toContain('not-the-secret-42');
    const request = graph.requests.at(-1)!;
    expect(request.path).toBe(`/${graph.tenantId}/oauth2/v2.0/token`);
    expect(new URLSearchParams(request.body).get('scope')).toBe('https://graph.microsoft.com/.default');
  });
});

describe('temporaryPassword', () => {
  it('mixes upper, lower, digits and symbols, and differs every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = temporaryPassword();
      expect(password).toHaveLength(20);
      for (const pattern of [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/]) expect(password).toMatch(pattern);
      expect(password).not.toMatch(/[0O1lI]/);
      seen.add(password);
    }
    expect(seen.size).toBe(200);
    expect(() => temporaryPassword(8)).toThrow(/at least 12/);
  });
});
