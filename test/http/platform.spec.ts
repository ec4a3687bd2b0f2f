import { afterAll, beforeAll, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { describeEachDialect, startTestApp, type TestApp, type TestResponse } from '../support/test-app.js';

/** Every error response: `{ error: { code, message } }`, JSON, and no stack trace anywhere. */
function expectErrorBody(res: TestResponse, status: number, code?: string): void {
  expect(res.status).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/json');
  expect(typeof res.body.error?.code).toBe('string');
  expect(typeof res.body.error?.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
  if (code) expect(res.body.error.code).toBe(code);
  const text = JSON.stringify(res.body);
  expect(text).not.toMatch(/\bstack\b/i);
  expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(text).not.toMatch(/node_modules|\/work\/|src\//);
}

describeEachDialect('platform', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t.close());

  const incidentCount = async () => (await t.get(t.ws('/incidents?limit=500'))).body.items.length as number;

  it('GET /healthz answers without credentials', async () => {
    const res = await t.get('/healthz', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('GET /readyz reports the database', async () => {
    const res = await t.get('/readyz', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', database: dialect });
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await t.get('/api/openapi.json', { token: null });
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(doc.info.title).toBeTruthy();
    const list = doc.paths['/api/v1/workspaces/{workspace}/incidents'];
    expect(list).toBeDefined();
    expect(Object.keys(list)).toEqual(expect.arrayContaining(['get', 'post']));
    const params = list.get.parameters as { name: string; in: string }[];
    expect(params).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'workspace', in: 'path' })]));
    expect(params.some((p) => p.in === 'query' && p.name === 'status')).toBe(true);
    expect(params.some((p) => p.in === 'query' && p.name === 'cursor')).toBe(true);
    const ok = list.get.responses['200'];
    expect(ok.content['application/json'].schema).toBeDefined();
    expect(list.get.responses['401'] ?? list.get.responses['400']).toBeDefined();
    expect(list.post.requestBody.content['application/json'].schema).toBeDefined();
    // Other modules are documented too.
    for (const path of [
      '/api/v1/workspaces/{workspace}/alerts',
      '/api/v1/workspaces/{workspace}/incidents/{incident}',
      '/api/v1/workspaces/{workspace}/incidents/{incident}/comments',
      '/api/v1/workspaces/{workspace}/incidents/{incident}/activity',
      '/api/v1/workspaces/{workspace}/activity',
      '/api/v1/auth/login',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const patch = doc.paths['/api/v1/workspaces/{workspace}/incidents/{incident}'].patch;
    expect(patch.responses['412']).toBeDefined();
    expect(JSON.stringify(doc.components ?? {})).toContain('Incident');
  });

  it('serves browsable docs at /api/docs', async () => {
    const res = await t.get('/api/docs', { token: null });
    const page = res.status >= 300 && res.status < 400 ? await t.get(String(res.headers.location), { token: null }) : res;
    expect(page.status).toBe(200);
    expect(String(page.headers['content-type'])).toContain('text/html');
    expect(String(page.body)).toMatch(/<html/i);
  });

  it('answers an unknown API route with a 404 JSON error; other pages belong to the web UI', async () => {
    const res = await t.get('/api/v1/nowhere');
    expectErrorBody(res, 404, 'not_found');
    expect(res.body.error.message).toContain('/api/v1/nowhere');
    expectErrorBody(await t.post('/definitely/not/here', {}, { token: null }), 404, 'not_found');
    // A GET outside the API is one of the single-page app's own addresses: it gets the app (or, unbuilt, how to build it).
    const page = await t.get('/w/default/incidents/1', { token: null });
    expect([200, 503]).toContain(page.status);
    expect(String(page.headers['content-type'])).toMatch(/text\/html/);
  });

  it('answers malformed JSON with 400 invalid_json and writes nothing', async () => {
    const before = await incidentCount();
    const res = await t.post(t.ws('/incidents'), undefined, { raw: '{"title": "x",' });
    expectErrorBody(res, 400, 'invalid_json');
    const alerts = await t.post(t.ws('/alerts'), undefined, { raw: '{"alerts": [ {"title": "a"} ' });
    expectErrorBody(alerts, 400, 'invalid_json');
    expect(await incidentCount()).toBe(before);
  });

  it('answers a body that is not JSON with 415', async () => {
    const before = await incidentCount();
    const xml = await t.post(t.ws('/incidents'), undefined, {
      raw: '<incident/>',
      headers: { 'content-type': 'application/xml' },
    });
    expectErrorBody(xml, 415, 'unsupported_media_type');
    expect(xml.body.error.message).toMatch(/application\/json/);
    const form = await t.post(t.ws('/incidents'), undefined, {
      raw: 'title=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectErrorBody(form, 415, 'unsupported_media_type');
    expect(await incidentCount()).toBe(before);
  });

  it('answers a text/plain body with 415, even when it holds JSON', async () => {
    const before = await incidentCount();
    const res = await t.post(t.ws('/incidents'), undefined, {
      raw: JSON.stringify({ title: 'sent as text' }),
      headers: { 'content-type': 'text/plain' },
    });
    expectErrorBody(res, 415, 'unsupported_media_type');
    expect(await incidentCount()).toBe(before);
  });

  it('answers validation problems with 400 naming the field, and writes nothing', async () => {
    const before = await incidentCount();
    const res = await t.post(t.ws('/alerts'), alert({ severity: 'Catastrophic' }));
    expectErrorBody(res, 400, 'invalid_input');
    expect(res.body.error.message).toMatch(/severity/);
    expect(Array.isArray(res.body.error.details)).toBe(true);
    const query = await t.get(t.ws('/incidents?limit=abc'));
    expectErrorBody(query, 400, 'invalid_input');
    expect(query.body.error.message).toMatch(/limit/);
    expect(await incidentCount()).toBe(before);
  });

  it('gives every error the same body shape, without stack traces', async () => {
    const cases: [Promise<TestResponse>, number][] = [
      [t.get(t.ws('/incidents'), { token: null }), 401],
      [t.get(t.ws('/incidents'), { token: 'vgl_nonsense' }), 401],
      [t.get(t.ws('/incidents/987654')), 404],
      [t.get(t.ws('/incidents', 'no-such-workspace')), 404],
      [t.patch(t.ws('/incidents/987654'), { severity: 'High' }), 404],
      [t.post(t.ws('/incidents'), { title: 'x', bogus: true }), 400],
      [t.get(t.ws('/incidents?cursor=garbage')), 400],
      [t.post('/api/v1/auth/login', { email: 'nobody@example.test', password: 'wrong wrong wrong' }, { token: null }), 401],
    ];
    for (const [pending, status] of cases) expectErrorBody(await pending, status);
  });

  it('tags every response with a request id and nosniff', async () => {
    const res = await t.get(t.ws('/incidents'), { headers: { 'x-request-id': 'trace-123' } });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('reports unavailable once the app is shutting down', async () => {
    const other = await startTestApp(dialect);
    const closing = other.app.close();
    const res = await other.app.server.inject({ method: 'GET', url: '/readyz' });
    await closing;
    await other.database.drop();
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'unavailable' });
  });
});
