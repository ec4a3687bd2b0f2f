import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphFake, startVirusTotalFake, type GraphFake, type VirusTotalFake } from '../support/fakes/index.js';
import { findUserById } from '../../src/users/user-repository.js';
import { userWithToken } from '../support/people.js';
import { ADMIN_EMAIL, describeEachDialect, startTestApp, type TestApp, type TestResponse } from '../support/test-app.js';

/** Secret values are unique per run, so finding one anywhere means it leaked. */
const secret = (what: string) => `${what}-${randomUUID()}`;
const VT_KEY = secret('vt-key');
const GRAPH_SECRET = secret('graph-secret');

describeEachDialect('connections: settings, write-only encrypted secrets, tests and usage', (dialect) => {
  let t: TestApp;
  let vt: VirusTotalFake;
  let graph: GraphFake;
  const written: string[] = [VT_KEY, GRAPH_SECRET];
  const url = (ref = '') => t.ws(`/connections${ref && `/${encodeURIComponent(ref)}`}`);
  const names = async () => ((await t.get(url())).body.items as { name: string }[]).map((c) => c.name);

  /** Fails when any secret written so far appears in the response (status, headers or body). */
  const noSecrets = (res: TestResponse) => {
    const text = JSON.stringify([res.headers, res.body]);
    for (const value of written) expect(text).not.toContain(value);
    return res;
  };
  const create = async (body: Record<string, unknown>) => {
    Object.values((body.secrets as Record<string, string>) ?? {}).forEach((v) => written.push(v));
    const res = noSecrets(await t.post(url(), body));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const test = async (ref: string) => noSecrets(await t.post(`${url(ref)}/test`)).body;

  beforeAll(async () => {
    vt = await startVirusTotalFake({ apiKey: VT_KEY });
    graph = await startGraphFake({ clientSecret: GRAPH_SECRET });
    t = await startTestApp(dialect, { env: { VIGIL_EGRESS_ALLOWLIST: '127.0.0.1' } });
  });
  afterAll(async () => {
    await t?.close();
    await vt?.close();
    await graph?.close();
  });

  describe('create, read and store', () => {
    it('creates one connection per connector type; responses list which secrets are set, never their values', async () => {
      const bodies: Record<string, { settings: Record<string, unknown>; secrets: Record<string, string> }> = {
        http: { settings: { baseUrl: 'https://api.example.com', auth: 'bearer' }, secrets: { token: secret('bearer') } },
        email: {
          settings: { host: 'smtp.example.com', from: 'soc@example.com' },
          secrets: { user: secret('smtp-user'), password: secret('smtp') },
        },
        slack: { settings: {}, secrets: { webhookUrl: `https://hooks.slack.com/services/T0/B0/${secret('slack')}` } },
        teams: { settings: {}, secrets: { webhookUrl: `https://example.webhook.office.com/${secret('teams')}` } },
        virustotal: { settings: { baseUrl: vt.url }, secrets: { apiKey: VT_KEY } },
        identity: {
          settings: { tenantId: graph.tenantId, clientId: graph.clientId, baseUrl: graph.url, loginUrl: graph.url },
          secrets: { clientSecret: GRAPH_SECRET },
        },
      };
      const catalog = (await t.get('/api/v1/actions')).body.connectors as { id: string; connection: string }[];
      expect(Object.keys(bodies).sort()).toEqual(
        catalog
          .filter((c) => c.connection !== 'none')
          .map((c) => c.id)
          .sort(),
      );
      for (const [connector, body] of Object.entries(bodies)) {
        const made = await create({ name: `${connector} main`, connector, description: `The ${connector} one`, ...body });
        expect(made).toMatchObject({ connector, status: 'untested', statusMessage: null, settings: body.settings });
        expect(made.secrets).toEqual(Object.keys(body.secrets).sort());
        expect(noSecrets(await t.get(url(made.id))).body).toEqual(made);
        expect(noSecrets(await t.get(url(`${connector} MAIN`))).body.id).toBe(made.id);
      }
      const list = noSecrets(await t.get(url()));
      expect(list.body.items).toHaveLength(6);
      expect(noSecrets(await t.get(`${url()}?connector=virustotal`)).body.items.map((c: { name: string }) => c.name)).toEqual([
        'virustotal main',
      ]);
      expect((await t.get(url('virustotal main'))).body.settings).toEqual({ baseUrl: vt.url, allowlist: [] });
    });

    it('stores secrets encrypted: the raw rows hold no secret, in plain text or base64', async () => {
      const rows = await t.app.storage.db.selectFrom('connections').selectAll().execute();
      expect(rows.length).toBeGreaterThanOrEqual(6);
      const raw = JSON.stringify(rows);
      for (const value of written) {
        expect(raw).not.toContain(value);
        expect(raw).not.toContain(Buffer.from(value).toString('base64').slice(0, 24));
      }
      for (const row of rows) expect(row.secrets).toMatch(/^v1:/);
    });
  });

  describe('test connection', () => {
    it('answers connected with the right key and error with the service message (without the key) for a wrong one', async () => {
      const ok = await test('virustotal main');
      expect(ok).toMatchObject({ status: 'connected', statusMessage: null });
      expect(Date.parse(ok.checkedAt)).toBeGreaterThan(0);
      expect(vt.requests.at(-1)?.headers['x-apikey']).toBe(VT_KEY);
      const wrongKey = secret('wrong-vt');
      await create({ name: 'vt wrong', connector: 'virustotal', settings: { baseUrl: vt.url }, secrets: { apiKey: wrongKey } });
      const bad = await test('vt wrong');
      expect(bad.status).toBe('error');
      expect(bad.statusMessage).toContain('VirusTotal rejected the API key (HTTP 401');
      expect((await t.get(url('vt wrong'))).body).toMatchObject({ status: 'error', statusMessage: bad.statusMessage });
    });

    it('tests an identity provider connection by getting a token; a wrong client secret is an error', async () => {
      expect(await test('identity main')).toMatchObject({ status: 'connected' });
      const settings = { tenantId: graph.tenantId, clientId: graph.clientId, baseUrl: graph.url, loginUrl: graph.url };
      await create({ name: 'idp wrong', connector: 'identity', settings, secrets: { clientSecret: secret('wrong-idp') } });
      const bad = await test('idp wrong');
      expect(bad.status).toBe('error');
      expect(bad.statusMessage).toMatch(/\S/);
    });
  });

  describe('changes', () => {
    it('PATCH keeps secrets not named, replaces those named, removes those set to null; a stale If-Match is 412', async () => {
      const made = await create({
        name: 'vt patched',
        connector: 'virustotal',
        settings: { baseUrl: vt.url },
        secrets: { apiKey: VT_KEY },
      });
      const renamed = noSecrets(await t.patch(url(made.id), { description: 'kept key' }, { headers: { 'if-match': made.etag } }));
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ description: 'kept key', secrets: ['apiKey'], status: 'untested' });
      expect((await test(made.id)).status).toBe('connected');
      const stale = await t.patch(url(made.id), { description: 'lost' }, { headers: { 'if-match': made.etag } });
      expect(stale.status).toBe(412);
      const wrongKey = secret('replaced');
      written.push(wrongKey);
      const replaced = noSecrets(await t.patch(url(made.id), { secrets: { apiKey: wrongKey } }));
      expect(replaced.body.secrets).toEqual(['apiKey']);
      expect((await test(made.id)).status).toBe('error');
      const http = await create({
        name: 'http token',
        connector: 'http',
        settings: { auth: 'bearer' },
        secrets: { token: secret('tok') },
      });
      expect(noSecrets(await t.patch(url(http.id), { secrets: { token: null } })).body.secrets).toEqual([]);
      expect((await t.get(url(made.id))).body).toMatchObject({ description: 'kept key', settings: { baseUrl: vt.url } });
    });

    it('refuses to delete a connection an enabled playbook uses (409 naming it), and deletes it once the playbook is disabled', async () => {
      await create({ name: 'vt in use', connector: 'virustotal', settings: { baseUrl: vt.url }, secrets: { apiKey: VT_KEY } });
      const source = `name: Uses the connection
trigger: incident
connections: { vt: vt in use }
steps:
  - id: report
    uses: virustotal.ipReport
    connection: vt
    with: { ip: 8.8.8.8 }
`;
      expect((await t.post(t.ws('/playbooks'), { source })).status).toBe(201);
      const refused = await t.delete(url('VT IN USE'));
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain('Uses the connection');
      expect(await names()).toContain('vt in use');
      expect((await t.patch(t.ws('/playbooks/Uses the connection'), { enabled: false })).status).toBe(200);
      expect((await t.delete(url('vt in use'))).status).toBe(204);
      expect((await t.get(url('vt in use'))).status).toBe(404);
    });
  });

  describe('bad input', () => {
    it('refuses an unknown connector, a missing setting or secret, an unknown field and a bad URL (400 naming it); nothing written', async () => {
      const before = await names();
      const key = `k${randomUUID().slice(0, 12)}`; // short: quoted bodies are cut at 80 characters
      written.push(key);
      const cases: [Record<string, unknown>, string][] = [
        [{ connector: 'carrier-pigeon' }, 'connector'],
        [{ connector: 'email', settings: { from: 'soc@example.com' } }, 'settings.host'],
        [{ connector: 'virustotal', settings: {} }, 'secrets.apiKey'],
        [{ secrets: { apiKey: key }, colour: 'blue', connector: 'virustotal' }, 'colour'],
        [{ connector: 'virustotal', settings: { baseURL: vt.url }, secrets: { apiKey: key } }, 'settings.baseURL'],
        [{ connector: 'virustotal', secrets: { apiKey: key, apikey: 'k' } }, 'secrets.apikey'],
        [{ connector: 'slack', secrets: { webhookUrl: 'not a url' } }, 'secrets.webhookUrl'],
        [{ connector: 'identity', settings: { clientId: 'c' }, secrets: { clientSecret: 's' } }, 'settings.tenantId'],
      ];
      for (const [body, field] of cases) {
        const res = noSecrets(await t.post(url(), { ...body, name: 'refused' }));
        expect(res.status, field).toBe(400);
        expect(res.body.error.code, field).toBe('invalid_input');
        expect(JSON.stringify(res.body.error), field).toContain(field);
      }
      const missing = await t.post(url(), { name: 'refused', connector: 'virustotal', settings: {} });
      expect(missing.body.error.details).toEqual([{ path: 'secrets.apiKey', message: 'is required' }]);
      const duplicate = await t.post(url(), { name: 'VirusTotal Main', connector: 'virustotal', secrets: { apiKey: 'k' } });
      expect(duplicate.status).toBe(409);
      expect(await names()).toEqual(before);
    });
  });

  describe('permissions and workspaces', () => {
    it('Readers and PlaybookOperators read connections but cannot change or test them; PlaybookContributors can', async () => {
      const target = (await t.get(url('virustotal main'))).body;
      for (const role of ['Reader', 'PlaybookOperator'] as const) {
        const { token } = await userWithToken(t, `Conn${role}`, role);
        expect(noSecrets(await t.get(url(target.id), { token })).status).toBe(200);
        const body = { name: `by ${role}`, connector: 'http' };
        expect((await t.post(url(), body, { token })).status, role).toBe(403);
        expect((await t.patch(url(target.id), { description: role }, { token })).status, role).toBe(403);
        expect((await t.post(`${url(target.id)}/test`, undefined, { token })).status, role).toBe(403);
        expect((await t.delete(url(target.id), { token })).status, role).toBe(403);
      }
      expect((await t.get(url(target.id))).body).toMatchObject({ description: target.description, etag: target.etag });
      const contributor = await userWithToken(t, 'ConnContributor', 'PlaybookContributor');
      const token = contributor.token;
      const made = noSecrets(
        await t.post(
          url(),
          { name: 'by contributor', connector: 'virustotal', settings: { baseUrl: vt.url }, secrets: { apiKey: VT_KEY } },
          { token },
        ),
      );
      expect(made.status).toBe(201);
      expect(made.body.createdBy).toMatchObject({ type: 'user', id: contributor.id });
      expect((await t.patch(url(made.body.id), { description: 'edited' }, { token })).status).toBe(200);
      expect(noSecrets(await t.post(`${url(made.body.id)}/test`, undefined, { token })).body.status).toBe('connected');
      expect((await t.delete(url(made.body.id), { token })).status).toBe(204);
    });

    it("another workspace's connection is 404 by id and by name, and cannot be changed, tested or deleted", async () => {
      const created = await t.post('/api/v1/workspaces', { id: 'conn-other', name: 'Other', owner: { email: ADMIN_EMAIL } });
      expect(created.status).toBe(201);
      const admin = (await findUserById(t.app.storage.db, t.adminId))!;
      const grant = { name: 'other', workspaceId: 'conn-other', role: 'Owner' } as const;
      const { token } = await t.app.services.auth.createToken({ user: admin, via: 'session' }, grant);
      const body = { name: 'elsewhere', connector: 'virustotal', settings: { baseUrl: vt.url }, secrets: { apiKey: VT_KEY } };
      const theirs = noSecrets(await t.post(t.ws('/connections', 'conn-other'), body, { token }));
      expect(theirs.status).toBe(201);
      for (const ref of [theirs.body.id, 'elsewhere']) {
        expect((await t.get(url(ref))).status, ref).toBe(404);
        expect((await t.patch(url(ref), { description: 'x' })).status, ref).toBe(404);
        expect((await t.post(`${url(ref)}/test`)).status, ref).toBe(404);
        expect((await t.delete(url(ref))).status, ref).toBe(404);
      }
      expect(await names()).not.toContain('elsewhere');
      expect((await t.get(t.ws('/connections/elsewhere', 'conn-other'), { token })).body.description).toBe('');
    });
  });
});
