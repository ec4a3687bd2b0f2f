import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fakeActionContext,
  fakeConnection,
  startVirusTotalFake,
  type VirusTotalFake,
} from '../../../test/support/fakes/index.js';
import type { ActionError, ResolvedConnection } from '../action.js';
import { createTokenCache } from '../outbound/oauth2.js';
import { virusTotalUrlId } from './report-actions.js';
import { createVirusTotalConnector } from './virustotal-connector.js';

let vt: VirusTotalFake;
beforeAll(async () => {
  vt = await startVirusTotalFake();
});
afterAll(() => vt.close());
beforeEach(() => vt.failWith(undefined));

const connector = createVirusTotalConnector({ egress: {}, tokens: createTokenCache() });
const connection = (apiKey = vt.apiKey, settings: Record<string, unknown> = { allowlist: ['127.0.0.1'] }) =>
  fakeConnection('virustotal', { baseUrl: vt.url, ...settings }, { apiKey });
const run = async (id: string, input: Record<string, unknown>, conn: ResolvedConnection = connection()) => {
  const action = connector.actions.find((a) => a.id === `virustotal.${id}`)!;
  return action.output.parse(await action.run(fakeActionContext({ connection: conn }), action.input.parse(input)));
};
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as ActionError,
  );

describe('virustotal reports', () => {
  it('reports on an IP: counts, reputation, link, raw data; sends the key in x-apikey', async () => {
    vt.setReport('ip', '203.0.113.9', { malicious: 4, suspicious: 1, harmless: 50, undetected: 30, reputation: -12 });
    const out = await run('ipReport', { ip: '203.0.113.9' });
    expect(out).toMatchObject({
      found: true,
      id: '203.0.113.9',
      type: 'ip_address',
      malicious: 4,
      suspicious: 1,
      harmless: 50,
      undetected: 30,
      reputation: -12,
      lastAnalysisDate: '2024-05-29T16:26:40.000Z',
      link: `${vt.url}/gui/ip-address/203.0.113.9`,
    });
    expect((out.data as { attributes: { as_owner: string } }).attributes.as_owner).toBe('EXAMPLE-AS');
    const request = vt.requests.at(-1)!;
    expect(request.path).toBe('/api/v3/ip_addresses/203.0.113.9');
    expect(request.headers['x-apikey']).toBe(vt.apiKey);
  });

  it('reports on a domain, a URL (unpadded base64url id) and a file hash', async () => {
    vt.setReport('domain', 'evil.example', { malicious: 7 });
    expect(await run('domainReport', { domain: 'Evil.Example' })).toMatchObject({ found: true, type: 'domain', malicious: 7 });
    const url = 'http://evil.example/login?a=1';
    vt.setReport('url', url, { suspicious: 2 });
    const byUrl = await run('urlReport', { url });
    expect(vt.requests.at(-1)!.path).toBe(`/api/v3/urls/${virusTotalUrlId(url)}`);
    expect(virusTotalUrlId(url)).not.toMatch(/=/);
    expect(byUrl).toMatchObject({ found: true, type: 'url', suspicious: 2 });
    expect(byUrl.link).toBe(`${vt.url}/gui/url/${byUrl.id}`);
    const sha256 = 'a'.repeat(64);
    vt.setReport('file', sha256, { malicious: 55, reputation: -80 });
    expect(await run('fileReport', { hash: sha256.toUpperCase() })).toMatchObject({
      found: true,
      malicious: 55,
      link: `${vt.url}/gui/file/${sha256}`,
    });
  });

  it('answers found: false for what VirusTotal does not know, instead of failing', async () => {
    const out = await run('domainReport', { domain: 'never-seen.example' });
    expect(out).toEqual({
      found: false,
      id: 'never-seen.example',
      type: 'domain',
      malicious: 0,
      suspicious: 0,
      harmless: 0,
      undetected: 0,
      reputation: null,
      lastAnalysisDate: null,
      link: `${vt.url}/gui/domain/never-seen.example`,
      data: null,
    });
    expect((await run('fileReport', { hash: 'b'.repeat(32) })).found).toBe(false);
  });

  it('validates inputs: IPs, domains and hashes', () => {
    const input = (id: string) => connector.actions.find((a) => a.id === `virustotal.${id}`)!.input;
    expect(input('ipReport').safeParse({ ip: '999.1.1.1' }).success).toBe(false);
    expect(input('ipReport').safeParse({ ip: '2001:db8::1' }).success).toBe(true);
    expect(input('domainReport').safeParse({ domain: 'not a domain' }).success).toBe(false);
    const hash = input('fileReport').safeParse({ hash: 'abc123' });
    expect(hash.error?.issues[0]?.message).toBe('must be an MD5, SHA-1 or SHA-256 hash (32, 40 or 64 hex characters)');
    for (const length of [32, 40, 64]) expect(input('fileReport').safeParse({ hash: 'f'.repeat(length) }).success).toBe(true);
  });

  it('explains a wrong key (not retryable) and a quota or server error (retryable), without the key', async () => {
    const wrong = await failure(run('ipReport', { ip: '198.51.100.1' }, connection('wrong-key-abcdef')));
    expect(wrong!.message).toBe('VirusTotal rejected the API key (HTTP 401 WrongCredentialsError: Wrong API key).');
    expect(wrong!.retryable).toBe(false);
    vt.failWith(429);
    const quota = await failure(run('ipReport', { ip: '198.51.100.1' }));
    expect(quota).toMatchObject({
      retryable: true,
      message: 'VirusTotal quota exceeded (HTTP 429): wait, or use a key with a higher quota.',
    });
    vt.failWith(503);
    const down = await failure(run('ipReport', { ip: '198.51.100.1' }));
    expect(down!.message).toMatch(
      /^VirusTotal answered HTTP 503 to GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/ip_addresses\/198\.51\.100\.1: .*TransientError/,
    );
    expect(down!.retryable).toBe(true);
    expect(down!.message).not.toContain(vt.apiKey);
  });

  it('refuses the fake at 127.0.0.1 when the connection has no allowlist', async () => {
    await expect(run('ipReport', { ip: '198.51.100.1' }, connection(vt.apiKey, {}))).rejects.toThrow(
      /Refused to connect to 127\.0\.0\.1.*loopback/,
    );
  });

  it('tests a connection with one authenticated lookup', async () => {
    const signal = new AbortController().signal;
    await connector.test!(connection(), signal);
    expect(vt.requests.at(-1)!.path).toBe('/api/v3/ip_addresses/8.8.8.8');
    await expect(connector.test!(connection('bad-key-000'), signal)).rejects.toThrow(/rejected the API key/);
  });
});
