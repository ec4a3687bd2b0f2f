import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasOpenssl, startEchoServer, startTlsEchoServer, type EchoServer } from '../../../test/support/fakes/index.js';
import { ActionError } from '../action.js';
import { EgressRefusedError, egressPolicy, type HostResolver } from './egress-guard.js';
import { sendRequest } from './http-client.js';

let echo: EchoServer;
let other: EchoServer;
beforeAll(async () => {
  [echo, other] = await Promise.all([startEchoServer(), startEchoServer()]);
});
afterAll(async () => {
  await Promise.all([echo.close(), other.close()]);
});

const allowLocal = egressPolicy({}, ['127.0.0.1']);
const json = (body: Buffer) => JSON.parse(body.toString('utf8')) as Record<string, any>;
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('SSRF protection', () => {
  it.each([
    ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/`],
    ['localhost', (port: number) => `http://localhost:${port}/`],
    ['[::1]', (port: number) => `http://[::1]:${port}/`],
    ['IPv4-mapped ::ffff:127.0.0.1', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`],
    ['decimal 2130706433', (port: number) => `http://2130706433:${port}/`],
    ['octal 0177.0.0.1', (port: number) => `http://0177.0.0.1:${port}/`],
    ['169.254.169.254 (metadata)', () => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
    ['10.0.0.1', () => 'http://10.0.0.1/admin'],
  ])('refuses %s without an allowlist, before sending anything', async (_label, url) => {
    const before = echo.requests.length;
    const error = await refusal(sendRequest(egressPolicy({}), { method: 'GET', url: url(echo.port) }));
    expect(error).toBeInstanceOf(EgressRefusedError);
    expect((error as Error).message).toMatch(/^Refused to connect to .*(loopback|cloud metadata|private) address.*allowlist/);
    expect(echo.requests.length).toBe(before);
  });

  it('refuses a redirect from an allowed host to 127.0.0.1', async () => {
    const resolve: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const policy = egressPolicy({ resolve }, ['allowed.test']);
    const before = echo.requests.length;
    const target = `http://127.0.0.1:${echo.port}/secret`;
    const error = await refusal(
      sendRequest(policy, { method: 'GET', url: `http://allowed.test:${echo.port}/redirect?to=${encodeURIComponent(target)}` }),
    );
    expect(error).toBeInstanceOf(EgressRefusedError);
    expect((error as Error).message).toContain('Refused to connect to 127.0.0.1, port');
    expect(echo.requests.slice(before).map((r) => r.path)).toEqual(['/redirect']);
  });

  it('connects to the checked address only: no second DNS lookup (no rebinding), Host kept', async () => {
    let lookups = 0;
    const resolve: HostResolver = async () =>
      lookups++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.6.6.6', family: 4 }];
    const policy = egressPolicy({ resolve }, ['rebind.test']);
    const response = await sendRequest(policy, { method: 'GET', url: `http://rebind.test:${echo.port}/who` });
    expect(response.status).toBe(200);
    expect(json(response.body).headers.host).toBe(`rebind.test:${echo.port}`);
    expect(lookups).toBe(1);
  });

  it.skipIf(!hasOpenssl())(
    'over https, connects to the pinned address but verifies the certificate and sends SNI for the host name',
    async () => {
      const tls = await startTlsEchoServer('pinned.test');
      try {
        const resolve: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
        const policy = egressPolicy({ resolve }, ['pinned.test', '127.0.0.1']);
        const response = await sendRequest(policy, { method: 'GET', url: `https://pinned.test:${tls.port}/tls`, ca: tls.ca });
        expect(json(response.body)).toEqual({ path: '/tls', host: `pinned.test:${tls.port}`, sni: 'pinned.test' });
        const byAddress = await refusal(sendRequest(policy, { method: 'GET', url: `${tls.url}/tls`, ca: tls.ca }));
        expect((byAddress as Error).message).toMatch(/failed: .*(altnames|IP: 127\.0\.0\.1)/);
        expect((byAddress as ActionError).retryable).toBe(false);
        const untrusted = await refusal(sendRequest(policy, { method: 'GET', url: `https://pinned.test:${tls.port}/tls` }));
        expect((untrusted as Error).message).toMatch(/self-signed certificate/);
      } finally {
        await tls.close();
      }
    },
  );

  it('refuses other schemes, also as redirect targets, and URLs with credentials', async () => {
    await expect(sendRequest(allowLocal, { method: 'GET', url: 'file:///etc/passwd' })).rejects.toThrow(
      'Only http and https URLs can be requested, not file',
    );
    const toFile = `${echo.url}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`;
    await expect(sendRequest(allowLocal, { method: 'GET', url: toFile })).rejects.toThrow(/not file/);
    const toGopher = `${echo.url}/redirect?to=${encodeURIComponent('gopher://127.0.0.1:70/')}`;
    await expect(sendRequest(allowLocal, { method: 'GET', url: toGopher })).rejects.toThrow(/not gopher/);
    await expect(sendRequest(allowLocal, { method: 'GET', url: `http://u:pw@127.0.0.1:${echo.port}/` })).rejects.toThrow(
      /user name or password are not accepted/,
    );
  });
});

describe('requests and redirects', () => {
  it('sends method, headers and body, and returns status, lower-case headers and body', async () => {
    const response = await sendRequest(allowLocal, {
      method: 'put',
      url: `${echo.url}/things/1?x=1`,
      headers: { 'X-Test': 'yes', 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(json(response.body)).toMatchObject({ method: 'PUT', path: '/things/1', query: { x: '1' }, body: '{"a":1}' });
    expect(json(response.body).headers['x-test']).toBe('yes');
  });

  it('follows redirects (303 turns POST into GET) and reports the final URL', async () => {
    const response = await sendRequest(allowLocal, {
      method: 'POST',
      url: `${echo.url}/redirect?status=303&to=/landing`,
      headers: { 'content-type': 'text/plain' },
      body: 'data',
    });
    expect(json(response.body)).toMatchObject({ method: 'GET', path: '/landing', body: '' });
    expect(response.url).toBe(`${echo.url}/landing`);
    const kept = await sendRequest(allowLocal, { method: 'POST', url: `${echo.url}/redirect?status=307&to=/kept`, body: 'data' });
    expect(json(kept.body)).toMatchObject({ method: 'POST', path: '/kept', body: 'data' });
  });

  it('drops credentials when a redirect leaves the origin', async () => {
    const headers = { authorization: 'Bearer top-secret', 'x-api-key': 'k-123', 'x-other': 'kept' };
    const sameOrigin = await sendRequest(allowLocal, {
      method: 'GET',
      url: `${echo.url}/redirect?to=/same`,
      headers,
      credentialHeaders: ['X-Api-Key'],
    });
    expect(json(sameOrigin.body).headers).toMatchObject({ authorization: 'Bearer top-secret', 'x-api-key': 'k-123' });
    const to = encodeURIComponent(`${other.url}/elsewhere`);
    const crossOrigin = await sendRequest(allowLocal, {
      method: 'GET',
      url: `${echo.url}/redirect?to=${to}`,
      headers,
      credentialHeaders: ['X-Api-Key'],
    });
    const seen = json(crossOrigin.body).headers;
    expect(seen.authorization).toBeUndefined();
    expect(seen['x-api-key']).toBeUndefined();
    expect(seen['x-other']).toBe('kept');
  });

  it('stops after 5 redirects, or returns the redirect when told not to follow', async () => {
    let url = `${echo.url}/end`;
    for (let i = 0; i < 6; i++) url = `${echo.url}/redirect?to=${encodeURIComponent(url)}`;
    await expect(sendRequest(allowLocal, { method: 'GET', url })).rejects.toThrow(/^Stopped after 5 redirects/);
    const five = url.slice(url.indexOf('to=') + 3);
    expect((await sendRequest(allowLocal, { method: 'GET', url: decodeURIComponent(five) })).status).toBe(200);
    const raw = await sendRequest(allowLocal, { method: 'GET', url, maxRedirects: 0 });
    expect(raw.status).toBe(302);
  });
});

describe('limits', () => {
  it.each([
    ['with Content-Length', '/bytes/2000'],
    ['chunked', '/bytes/2000?chunked=1'],
    ['gzip that expands past the limit', '/gzip/5000'],
  ])('refuses a response over the size limit (%s), naming the limit', async (_label, path) => {
    const error = await refusal(sendRequest(allowLocal, { method: 'GET', url: `${echo.url}${path}`, maxBytes: 1000 }));
    expect(error).toBeInstanceOf(ActionError);
    expect((error as Error).message).toBe(
      `The response from ${echo.url}${path.replace(/\?.*/, '')} is larger than the 1000 bytes limit (maxResponseBytes).`,
    );
  });

  it('accepts a body at the limit and decodes gzip', async () => {
    expect((await sendRequest(allowLocal, { method: 'GET', url: `${echo.url}/bytes/1000`, maxBytes: 1000 })).body.length).toBe(
      1000,
    );
    const gz = await sendRequest(allowLocal, { method: 'GET', url: `${echo.url}/gzip/800`, maxBytes: 1000 });
    expect(gz.body.toString()).toBe('y'.repeat(800));
  });

  it('times out (retryable), and stops when the caller aborts', async () => {
    const slow = `${echo.url}/delay/3000`;
    const timedOut = await refusal(sendRequest(allowLocal, { method: 'GET', url: slow, timeoutMs: 100 }));
    expect((timedOut as Error).message).toBe(`GET ${echo.url}/delay/3000 timed out after 0.1 s.`);
    expect((timedOut as ActionError).retryable).toBe(true);
    const cancelled = await refusal(sendRequest(allowLocal, { method: 'GET', url: slow, signal: AbortSignal.timeout(100) }));
    expect((cancelled as Error).message).toMatch(/was cancelled/);
  });

  it('reports connection failures as retryable, without the query string', async () => {
    const closed = await startEchoServer();
    await closed.close();
    const error = await refusal(sendRequest(allowLocal, { method: 'GET', url: `${closed.url}/x?apikey=hidden` }));
    expect((error as Error).message).toMatch(new RegExp(`^GET ${closed.url}/x failed: .*ECONNREFUSED`));
    expect((error as Error).message).not.toContain('hidden');
    expect((error as ActionError).retryable).toBe(true);
  });
});
