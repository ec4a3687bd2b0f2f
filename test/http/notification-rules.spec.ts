import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserById } from '../../src/users/user-repository.js';
import { createGroup, createUser, tokenFor, type TestUser } from '../support/people.js';
import { ADMIN_EMAIL, describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, any>;

describeEachDialect('notification rules: the API', (dialect) => {
  let t: TestApp;
  let member: TestUser;
  let outsider: TestUser;
  let analyticsRuleId: string;
  const url = (ref?: string, ws = 'default') => t.ws(`/notification-rules${ref ? `/${encodeURIComponent(ref)}` : ''}`, ws);
  const ifMatch = (etag: string) => ({ headers: { 'if-match': etag } });
  const names = async (): Promise<string[]> => (await t.get(url())).body.items.map((r: Json) => r.name);
  /** The outbox listens while this many rules are enabled in the workspace. */
  const subscribers = async (ws = 'default') =>
    (
      await t.app.storage.db
        .selectFrom('event_subscribers')
        .select('count')
        .where('workspace_id', '=', ws)
        .where('channel', '=', 'email')
        .executeTakeFirst()
    )?.count ?? 0;
  const body = (overrides: Json = {}): Json => ({
    name: `Rule ${Math.random().toString(36).slice(2)}`,
    triggers: { created: true },
    recipients: { addresses: ['soc@example.test'] },
    ...overrides,
  });

  beforeAll(async () => {
    t = await startTestApp(dialect);
    member = await createUser(t, { name: 'Mia Member', email: 'mia@example.test', role: 'Responder' });
    outsider = await createUser(t, { name: 'Otto Outsider', email: 'otto@example.test', role: null });
    await createGroup(t, { name: 'Tier 2', members: [member], role: 'Responder' });
    await createGroup(t, { name: 'Not here', members: [outsider] });
    const made = await t.post(t.ws('/analytics-rules'), { name: 'Impossible travel' });
    expect(made.status).toBe(201);
    analyticsRuleId = made.body.id;
  });
  afterAll(() => t.close());

  describe('create, read, change, delete', () => {
    let rule: Json;

    it('creates a rule: recipients and analytics rules resolved, defaults filled, etag; the outbox starts listening', async () => {
      expect(await subscribers()).toBe(0);
      const res = await t.post(url(), {
        name: 'High severity to the SOC',
        description: 'Wake people up',
        triggers: { created: true, updates: ['status', 'comments'] },
        filters: {
          severities: ['High'],
          products: ['Microsoft Defender for Endpoint'],
          analyticsRules: ['Impossible travel'],
          tags: ['VIP'],
          hostGroups: ['Tier0'],
        },
        recipients: { users: ['MIA@example.test'], groups: ['tier 2'], addresses: ['Oncall@Example.test'] },
        includeSummary: true,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      rule = res.body;
      expect(res.headers.etag).toBe('"1"');
      expect(rule).toMatchObject({
        name: 'High severity to the SOC',
        description: 'Wake people up',
        enabled: true,
        triggers: { created: true, updates: ['status', 'comments'] },
        filters: {
          severities: ['High'],
          products: ['Microsoft Defender for Endpoint'],
          analyticsRules: [{ id: analyticsRuleId, name: 'Impossible travel' }],
          tags: ['VIP'],
          hostGroups: ['Tier0'],
        },
        recipients: {
          users: [{ id: member.id, name: 'Mia Member', email: 'mia@example.test' }],
          groups: [{ name: 'Tier 2' }],
          addresses: ['oncall@example.test'],
        },
        includeSummary: true,
        digestAfter: 10,
        createdBy: { type: 'user', id: t.adminId },
        etag: '"1"',
      });
      expect(await subscribers()).toBe(1);
    });

    it('gets it by id and by name, and lists it', async () => {
      expect((await t.get(url(rule.id))).body).toEqual(rule);
      const byName = await t.get(url('high SEVERITY to the soc'));
      expect(byName.status).toBe(200);
      expect(byName.headers.etag).toBe('"1"');
      expect(await names()).toContain('High severity to the SOC');
    });

    it('PATCH with a stale If-Match is 412 and changes nothing; with the current etag it changes and bumps the etag', async () => {
      const stale = await t.patch(url(rule.id), { digestAfter: 3 }, ifMatch('"7"'));
      expect(stale.status).toBe(412);
      expect(stale.body.error.code).toBe('precondition_failed');
      expect((await t.get(url(rule.id))).body.digestAfter).toBe(10);

      const res = await t.patch(
        url(rule.id),
        { digestAfter: 3, recipients: { addresses: ['a@example.test'] } },
        ifMatch(rule.etag),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        digestAfter: 3,
        etag: '"2"',
        recipients: { users: [], groups: [], addresses: ['a@example.test'] },
      });
      expect(res.headers.etag).toBe('"2"');
      // Fields not named stay as they were.
      expect(res.body.filters).toEqual(rule.filters);
      expect((await t.patch(url(rule.id), { name: 'x' }, ifMatch(rule.etag))).status).toBe(412);
      rule = res.body;
    });

    it('disabling and enabling the rule switches the outbox off and on', async () => {
      expect((await t.patch(url(rule.id), { enabled: false })).body.enabled).toBe(false);
      expect(await subscribers()).toBe(0);
      expect((await t.patch(url(rule.id), { enabled: true })).body.enabled).toBe(true);
      expect(await subscribers()).toBe(1);
    });

    it('a second rule with the same name (any case) is a 409', async () => {
      const res = await t.post(url(), body({ name: 'HIGH severity to the soc' }));
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('already exists');
    });

    it('deletes it: 204, then 404; the outbox stops listening', async () => {
      expect((await t.delete(url(rule.id))).status).toBe(204);
      expect((await t.get(url(rule.id))).status).toBe(404);
      expect((await t.delete(url(rule.id))).status).toBe(404);
      expect(await subscribers()).toBe(0);
    });
  });

  describe('validation: a 4xx naming the field, and nothing written', () => {
    const refused = async (payload: Json, status: number, path: string, message?: RegExp) => {
      const before = await names();
      const res = await t.post(url(), payload);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      const details = res.body.error.details as { path: string; message: string }[];
      expect(
        details.map((d) => d.path),
        JSON.stringify(res.body),
      ).toContain(path);
      if (message) expect(details.find((d) => d.path === path)!.message).toMatch(message);
      expect(await names()).toEqual(before);
      return res.body;
    };

    it('refuses malformed addresses, empty or oversized recipient lists', async () => {
      await refused(
        body({ recipients: { addresses: ['ok@example.test', 'not an address'] } }),
        400,
        'recipients.addresses[1]',
        /email address/,
      );
      await refused(body({ recipients: {} }), 400, 'recipients', /at least one/);
      const many = Array.from({ length: 51 }, (_, i) => `r${i}@example.test`);
      await refused(body({ recipients: { addresses: many } }), 400, 'recipients', /at most 50 recipients/);
    });

    it('refuses users and groups that are not members of the workspace, and unknown analytics rules (422)', async () => {
      await refused(body({ recipients: { users: ['nobody@example.test'] } }), 422, 'recipients.users[0]');
      await refused(body({ recipients: { users: [member.id, outsider.email] } }), 422, 'recipients.users[1]');
      await refused(body({ recipients: { groups: ['Not here'] } }), 422, 'recipients.groups[0]');
      await refused(body({ filters: { analyticsRules: ['No such rule'] } }), 422, 'filters.analyticsRules[0]');
    });

    it('refuses a rule without triggers, unknown kinds and severities, and digestAfter out of bounds', async () => {
      await refused(body({ triggers: {} }), 400, 'triggers', /created: true or at least one kind/);
      await refused(body({ triggers: { updates: ['status', 'tasks'] } }), 400, 'triggers.updates[1]', /must be one of/);
      await refused(body({ filters: { severities: ['Critical'] } }), 400, 'filters.severities[0]');
      await refused(body({ digestAfter: 0 }), 400, 'digestAfter', /at least 1/);
      await refused(body({ digestAfter: 101 }), 400, 'digestAfter', /at most 100/);
      await refused(body({ name: '' }), 400, 'name');
      await refused(body({ colour: 'red' }), 400, '(body)');
    });

    it('PATCH validates the same way and leaves the rule as it was', async () => {
      const made = await t.post(url(), body({ name: 'Patch target' }));
      const res = await t.patch(url(made.body.id), { recipients: { users: ['nobody@example.test'] } });
      expect(res.status).toBe(422);
      expect(res.body.error.details[0].path).toBe('recipients.users[0]');
      expect((await t.get(url(made.body.id))).body).toEqual(made.body);
      expect((await t.patch(url(made.body.id), {})).status).toBe(400);
      await t.delete(url(made.body.id));
    });

    it('holds at most 100 rules per workspace; the 101st is a 413 that says the limit', async () => {
      expect(await names()).toEqual([]);
      for (let i = 0; i < 100; i++)
        expect((await t.post(url(), body({ name: `Bulk ${i}`, enabled: i % 2 === 0 }))).status).toBe(201);
      const res = await t.post(url(), body({ name: 'One too many' }));
      expect(res.status).toBe(413);
      expect(res.body.error.message).toContain('at most 100 notification rules');
      expect((await names()).length).toBe(100);
      expect(await subscribers()).toBe(50);
      for (const name of (await names()).filter((n) => n.startsWith('Bulk ')))
        expect((await t.delete(url(name))).status).toBe(204);
      expect(await subscribers()).toBe(0);
    });
  });

  describe('permissions and workspaces', () => {
    it('Readers read rules and their delivery log; Responders cannot change them; Contributors can', async () => {
      const made = await t.post(url(), body({ name: 'Visible to readers' }));
      const reader = await createUser(t, { role: 'Reader' });
      const readerToken = await tokenFor(t, reader, 'Reader');
      expect((await t.get(url(), { token: readerToken })).status).toBe(200);
      expect((await t.get(url(made.body.id), { token: readerToken })).status).toBe(200);
      expect((await t.get(`${url(made.body.id)}/deliveries`, { token: readerToken })).status).toBe(200);
      const responder = await createUser(t, { role: 'Responder' });
      const responderToken = await tokenFor(t, responder, 'Responder');
      expect((await t.post(url(), body(), { token: responderToken })).status).toBe(403);
      expect((await t.patch(url(made.body.id), { enabled: false }, { token: responderToken })).status).toBe(403);
      expect((await t.post(`${url(made.body.id)}/test`, undefined, { token: responderToken })).status).toBe(403);
      expect((await t.delete(url(made.body.id), { token: responderToken })).status).toBe(403);
      const contributor = await createUser(t, { role: 'Contributor' });
      const contributorToken = await tokenFor(t, contributor, 'Contributor');
      const theirs = await t.post(url(), body({ name: 'By a contributor' }), { token: contributorToken });
      expect(theirs.status).toBe(201);
      expect((await t.delete(url(theirs.body.id), { token: contributorToken })).status).toBe(204);
      await t.delete(url(made.body.id));
    });

    it("another workspace's rule is a 404 by id and by name, for every route", async () => {
      expect(
        (await t.post('/api/v1/workspaces', { id: 'notify-other', name: 'Other', owner: { email: ADMIN_EMAIL } })).status,
      ).toBe(201);
      const admin = (await findUserById(t.app.storage.db, t.adminId))!;
      const { token } = await t.app.services.auth.createToken(
        { user: admin, via: 'session' },
        { name: 'other', workspaceId: 'notify-other', role: 'Owner' },
      );
      const theirs = await t.post(url(undefined, 'notify-other'), body({ name: 'Elsewhere' }), { token });
      expect(theirs.status).toBe(201);
      expect(await subscribers('notify-other')).toBe(1);
      for (const ref of [theirs.body.id, 'Elsewhere']) {
        expect((await t.get(url(ref))).status, ref).toBe(404);
        expect((await t.patch(url(ref), { enabled: false })).status, ref).toBe(404);
        expect((await t.post(`${url(ref)}/test`)).status, ref).toBe(404);
        expect((await t.get(`${url(ref)}/deliveries`)).status, ref).toBe(404);
        expect((await t.delete(url(ref))).status, ref).toBe(404);
      }
      expect(await names()).not.toContain('Elsewhere');
      expect((await t.get(url(theirs.body.id, 'notify-other'), { token })).body.enabled).toBe(true);
    });

    it('the routes are in the OpenAPI document', async () => {
      const doc = await t.get('/api/openapi.json', { token: null });
      expect(doc.status).toBe(200);
      const paths = Object.keys(doc.body.paths);
      for (const path of ['', '/{rule}', '/{rule}/test', '/{rule}/deliveries']) {
        expect(paths).toContain(`/api/v1/workspaces/{workspace}/notification-rules${path}`);
      }
      expect(Object.keys(doc.body.components.schemas)).toEqual(
        expect.arrayContaining(['NotificationRule', 'NotificationRuleCreate', 'NotificationDelivery']),
      );
    });

    it('the test send says so when no SMTP server is configured (422)', async () => {
      const made = await t.post(url(), body({ name: 'No SMTP here' }));
      const res = await t.post(`${url(made.body.id)}/test`);
      expect(res.status).toBe(422);
      expect(res.body.error.message).toContain('SMTP_URL');
      await t.delete(url(made.body.id));
    });
  });
});
