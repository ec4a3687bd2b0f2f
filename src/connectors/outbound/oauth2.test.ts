import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphFake, type GraphFake } from '../../../test/support/fakes/index.js';
import { egressPolicy } from './egress-guard.js';
import { createTokenCache, type ClientCredentials } from './oauth2.js';

let graph: GraphFake;
beforeAll(async () => {
  graph = await startGraphFake({ tokenLifetime: 3600 });
});
afterAll(() => graph.close());

const policy = egressPolicy({}, ['127.0.0.1']);
const credentials = (overrides: Partial<ClientCredentials> = {}): ClientCredentials => ({
  tokenUrl: `${graph.url}/${graph.tenantId}/oauth2/v2.0/token`,
  clientId: graph.clientId,
  clientSecret: graph.clientSecret,
  scope: 'https://graph.microsoft.com/.default',
  ...overrides,
});

describe('OAuth2 client credentials token cache', () => {
  it('fetches once, shares concurrent requests, and refreshes a minute before expiry', async () => {
    let now = 1_000_000;
    const cache = createTokenCache({ now: () => now });
    const before = graph.tokensIssued();
    const [a, b] = await Promise.all([cache.token(policy, credentials()), cache.token(policy, credentials())]);
    expect(a).toBe(b);
    expect(graph.tokensIssued()).toBe(before + 1);
    const form = new URLSearchParams(graph.requests.at(-1)!.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      client_id: graph.clientId,
      client_secret: graph.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    });
    now += 3600_000 - 61_000;
    expect(await cache.token(policy, credentials())).toBe(a);
    now += 2_000;
    const renewed = await cache.token(policy, credentials());
    expect(renewed).not.toBe(a);
    expect(graph.tokensIssued()).toBe(before + 2);
  });

  it('keeps tokens apart per credentials, and forgets one on invalidate', async () => {
    const cache = createTokenCache();
    const first = await cache.token(policy, credentials());
    expect(await cache.token(policy, credentials({ scope: 'api://other/.default' }))).not.toBe(first);
    cache.invalidate(credentials());
    expect(await cache.token(policy, credentials())).not.toBe(first);
  });

  it('fails with the endpoint’s answer, and goes through the egress guard', async () => {
    const cache = createTokenCache();
    await expect(cache.token(policy, credentials({ clientId: 'unknown-app' }))).rejects.toThrow(
      /answered HTTP 400 to POST .* \(client credentials\): .*AADSTS700016/,
    );
    await expect(cache.token(egressPolicy({}), credentials())).rejects.toThrow(/Refused to connect to 127\.0\.0\.1/);
    await expect(cache.token(policy, credentials({ clientAuth: 'basic' }))).rejects.toThrow(/unauthorized_client/);
    expect(graph.requests.at(-1)!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${graph.clientId}:${graph.clientSecret}`).toString('base64')}`,
    );
  });
});
