import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fakeActionContext,
  fakeConnection,
  startEchoServer,
  startGraphFake,
  type EchoServer,
  type GraphFake,
} from '../../../test/support/fakes/index.js';
import { ActionError, type ResolvedConnection } from '../action.js';
import { createTokenCache } from '../outbound/oauth2.js';
import { createHttpConnector } from './http-connector.js';

let echo: EchoServer;
let graph: GraphFake;
beforeAll(async () => {
  [echo, graph] = await Promise.all([startEchoServer(), startGraphFake()]);
});
afterAll(async () => {
  await Promise.all([echo.close(), graph.close()]);
});

const connector = createHttpConnector({ egress: {}, tokens: createTokenCache() });
const action = connector.actions[0]!;
const local = (settings: Record<string, unknown> = {}, secrets: Record<string, string> = {}) =>
  fakeConnection('http', { allowlist: ['127.0.0.1'], ...settings }, secrets);
const run = async (input: Record<string, unknown>, connection?: ResolvedConnection) =>
  action.output.parse(await action.run(fakeActionContext({ connection }), action.input.parse(input)));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as ActionError,
  );

describe('http.request', () => {
  it('refuses 127.0.0.1 without an allowlist (no connection, or a connection without one)', async () => {
    const before = echo.requests.length;
    await expect(run({ url: `${echo.url}/x` })).rejects.toThrow(/Refused to connect to 127\.0\.0\.1, port \d+: loopback address/);
    await expect(run({ url: `${echo.url}/x` }, fakeConnection('http', {}))).rejects.toThrow(/loopback address/);
    await expect(run({ url: 'http://169.254.169.254/latest/meta-data/' }, local())).rejects.toThrow(/cloud metadata address/);
    expect(echo.requests.length).toBe(before);
  });

  it('sends a JSON body and query to a URL relative to the base URL, and parses the JSON answer', async () => {
    const out = await run(
      { method: 'POST', url: '/api/items', query: { tag: ['a', 'b'], n: 2 }, headers: { 'X-Trace': '1' }, body: { name: 'x' } },
      local({ baseUrl: `${echo.url}/base/` }),
    );
    expect(out).toMatchObject({ status: 200, ok: true, url: `${echo.url}/base/api/items?tag=a&tag=b&n=2` });
    expect(out.body).toMatchObject({ method: 'POST', path: '/base/api/items', query: { tag: 'b', n: '2' }, json: { name: 'x' } });
    expect((out.body as { headers: Record<string, string> }).headers).toMatchObject({
      'content-type': 'application/json',
      'x-trace': '1',
    });
  });

  it('returns text bodies as text, sends string bodies as text, and handles 204', async () => {
    expect((await run({ url: `${echo.url}/text` }, local())).body).toBe('plain text answer');
    expect((await run({ url: `${echo.url}/html` }, local())).body).toBe('<p>hello</p>');
    expect(await run({ url: `${echo.url}/empty`, method: 'DELETE' }, local())).toMatchObject({ status: 204, body: '' });
    const sent = await run({ method: 'PUT', url: `${echo.url}/t`, body: 'raw text' }, local());
    expect(sent.body).toMatchObject({ body: 'raw text', headers: { 'content-type': 'text/plain; charset=utf-8' } });
  });

  it('refuses absolute URLs outside the base URL, and relative URLs without one', async () => {
    await expect(run({ url: 'https://evil.example/steal' }, local({ baseUrl: echo.url }))).rejects.toThrow(
      /outside the connection's baseUrl/,
    );
    await expect(run({ url: '/relative' })).rejects.toThrow(/is relative, but the step has no connection with a baseUrl/);
  });

  it('fails the step on 4xx/5xx with the status and an excerpt; 429 and 5xx are retryable', async () => {
    const notFound = await failure(run({ url: `${echo.url}/status/404` }, local()));
    expect(notFound).toBeInstanceOf(ActionError);
    expect(notFound!.message).toBe(
      `127.0.0.1:${echo.port} answered HTTP 404 to GET ${echo.url}/status/404: {"error":{"code":"Status404","message":"the fake answered 404"}}`,
    );
    expect(notFound!.retryable).toBe(false);
    const throttled = await failure(run({ url: `${echo.url}/status/429?retryAfter=7` }, local()));
    expect(throttled).toMatchObject({ retryable: true, details: { status: 429, retryAfter: '7' } });
    expect((await failure(run({ url: `${echo.url}/status/503` }, local())))!.retryable).toBe(true);
    expect(await run({ url: `${echo.url}/status/500`, failOnStatus: false }, local())).toMatchObject({ status: 500, ok: false });
  });

  it('enforces the response size limit, naming it', async () => {
    await expect(run({ url: `${echo.url}/bytes/5000`, maxResponseBytes: 4096 }, local())).rejects.toThrow(
      'is larger than the 4096 bytes limit (maxResponseBytes)',
    );
  });

  it('sends the idempotency key when asked', async () => {
    const out = await run({ method: 'POST', url: `${echo.url}/pay`, idempotencyHeader: 'Idempotency-Key' }, local());
    expect((out.body as { headers: Record<string, string> }).headers['idempotency-key']).toBe('run_test1:step1');
  });
});

describe('http.request auth', () => {
  const headersSeen = (out: { body: unknown }) => (out.body as { headers: Record<string, string> }).headers;

  it('basic: sends the header, never returns the credentials', async () => {
    const out = await run({ url: `${echo.url}/me` }, local({ auth: 'basic', username: 'svc' }, { password: 'hunter2-pass' }));
    expect(echo.requests.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from('svc:hunter2-pass').toString('base64')}`);
    expect(headersSeen(out).authorization).toBe('Basic [redacted]');
  });

  it('bearer and API keys (header or query) reach the service and are redacted from outputs', async () => {
    const bearer = await run({ url: `${echo.url}/me` }, local({ auth: 'bearer' }, { token: 'tok-abcdef' }));
    expect(echo.requests.at(-1)!.headers.authorization).toBe('Bearer tok-abcdef');
    expect(headersSeen(bearer).authorization).toBe('Bearer [redacted]');
    const header = await run(
      { url: `${echo.url}/me` },
      local({ auth: 'apiKey', apiKeyName: 'X-Api-Key' }, { apiKey: 'key-12345' }),
    );
    expect(echo.requests.at(-1)!.headers['x-api-key']).toBe('key-12345');
    expect(JSON.stringify(header)).not.toContain('key-12345');
    const query = await run(
      { url: `${echo.url}/me` },
      local({ auth: 'apiKey', apiKeyName: 'apikey', apiKeyIn: 'query' }, { apiKey: 'key-67890' }),
    );
    expect(echo.requests.at(-1)!.query.apikey).toBe('key-67890');
    expect(query.url).toBe(`${echo.url}/me?apikey=[redacted]`);
    expect(JSON.stringify(query)).not.toContain('key-67890');
  });

  it('keeps secrets out of error messages', async () => {
    echo.replyOnce({ status: 500, body: 'internal error while checking key-67890', headers: { 'content-type': 'text/plain' } });
    const error = await failure(
      run({ url: `${echo.url}/me` }, local({ auth: 'apiKey', apiKeyName: 'apikey', apiKeyIn: 'query' }, { apiKey: 'key-67890' })),
    );
    expect(error!.message).toBe(
      `127.0.0.1:${echo.port} answered HTTP 500 to GET ${echo.url}/me: internal error while checking [redacted]`,
    );
    await expect(run({ url: `${echo.url}/me` }, local({ auth: 'bearer' }))).rejects.toThrow(
      'uses bearer auth but its "token" secret is not set',
    );
  });

  it('oauth2 client credentials: fetches a token once, caches it, and redacts it', async () => {
    const connection = local(
      {
        auth: 'oauth2',
        tokenUrl: `${graph.url}/${graph.tenantId}/oauth2/v2.0/token`,
        clientId: graph.clientId,
        scope: 'api://x/.default',
      },
      { clientSecret: graph.clientSecret },
    );
    const issued = graph.tokensIssued();
    const first = await run({ url: `${echo.url}/a` }, connection);
    await run({ url: `${echo.url}/b` }, connection);
    expect(graph.tokensIssued()).toBe(issued + 1);
    expect(echo.requests.at(-1)!.headers.authorization).toMatch(/^Bearer fake-graph-token-\d+$/);
    expect(headersSeen(first).authorization).toBe('Bearer [redacted]');
    const bad = { ...connection, secrets: { clientSecret: 'wrong-secret-value' } };
    const error = await failure(run({ url: `${echo.url}/c` }, bad));
    expect(error!.message).toMatch(
      /^The OAuth2 token endpoint answered HTTP 401 to POST .*\/oauth2\/v2\.0\/token \(client credentials\): .*AADSTS7000215/,
    );
    expect(error!.message).not.toContain('wrong-secret-value');
  });
});

describe('http connection', () => {
  it('validates settings on save: auth needs its fields, allowlist entries must parse', () => {
    const result = connector.settings.safeParse({ auth: 'basic', allowlist: ['10.0.0.0/99'], baseUrl: 'ftp://x' });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'username: is required for basic auth',
        'allowlist: "10.0.0.0/99" is not a valid network (e.g. 10.0.0.0/8)',
        'baseUrl: must be an absolute http(s) URL',
      ]),
    );
  });

  it('tests a connection with an authenticated GET to its base URL', async () => {
    const signal = new AbortController().signal;
    await connector.test!(local({ baseUrl: echo.url, auth: 'bearer' }, { token: 'tok-1' }), signal);
    expect(echo.requests.at(-1)!.headers.authorization).toBe('Bearer tok-1');
    await expect(
      connector.test!(local({ baseUrl: `${echo.url}/status/401`, auth: 'bearer' }, { token: 'tok-1' }), signal),
    ).rejects.toThrow(/answered HTTP 401 .*\(the credentials were rejected\)/);
    await expect(connector.test!(fakeConnection('http', { baseUrl: echo.url }), signal)).rejects.toThrow(/loopback address/);
    const oauth = {
      auth: 'oauth2',
      tokenUrl: `${graph.url}/${graph.tenantId}/oauth2/v2.0/token`,
      clientId: graph.clientId,
      scope: 'x/.default',
    };
    const issued = graph.tokensIssued();
    await connector.test!(local(oauth, { clientSecret: graph.clientSecret }), signal);
    expect(graph.tokensIssued()).toBe(issued + 1);
    await expect(connector.test!(local(oauth, { clientSecret: 'bad-secret-77' }), signal)).rejects.toThrow(/AADSTS7000215/);
  });
});
