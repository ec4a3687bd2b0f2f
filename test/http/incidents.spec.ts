import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert, incidentBody } from '../support/fixtures.js';
import { createGroup, createUser, type TestGroup, type TestUser } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

describeEachDialect('incidents', (dialect) => {
  let t: TestApp;
  let analyst: TestUser;
  let tier1: TestGroup;
  const admin = () => ({ type: 'user', id: t.adminId, name: 'Administrator' });

  beforeAll(async () => {
    t = await startTestApp(dialect);
    analyst = await createUser(t, { email: 'Ana.Lyst@example.test', name: 'Ana Lyst', role: 'Responder' });
    tier1 = await createGroup(t, { name: 'SOC Tier 1', members: [analyst], role: 'Responder' });
    await createUser(t, { email: 'disabled@example.test', disabled: true });
  });
  afterAll(() => t.close());

  const create = async (overrides: Record<string, unknown> = {}) => {
    const res = await t.post(t.ws('/incidents'), incidentBody(overrides));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const get = async (ref: string | number) => (await t.get(t.ws(`/incidents/${ref}`))).body;
  const patch = (ref: string | number, body: unknown, headers?: Record<string, string>) =>
    t.patch(t.ws(`/incidents/${ref}`), body, { headers });
  const activity = async (ref: string | number) => (await t.get(t.ws(`/incidents/${ref}/activity?limit=500`))).body.items;
  const latestChange = async (ref: string | number) => (await activity(ref))[0];
  const alertsOf = async (ref: string | number) => (await t.get(t.ws(`/incidents/${ref}/alerts`))).body.items;
  /** An incident made from one ingested alert (rules without grouping: one incident per alert). */
  const incidentFromAlert = async (overrides: Record<string, unknown> = {}) => {
    const res = await t.post(t.ws('/alerts'), alert(overrides));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return get(res.body.results[0].incidentNumber);
  };
  const groupingRule = async () => {
    const name = `Grouping rule ${randomUUID().slice(0, 8)}`;
    const res = await t.post(t.ws('/analytics-rules'), { name, grouping: { mode: 'anyAlert' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return name;
  };
  const ingest = async (body: Record<string, unknown>) => {
    const res = await t.post(t.ws('/alerts'), alert(body));
    expect([200, 201]).toContain(res.status);
    return res.body.results[0];
  };

  describe('creation and reading', () => {
    it('creates incidents by hand with sequential numbers, an etag and a Location', async () => {
      const first = await t.post(
        t.ws('/incidents'),
        incidentBody({ title: 'Lost laptop', description: 'Reported by HR', severity: 'Low', tags: ['hr'] }),
      );
      const second = await t.post(t.ws('/incidents'), incidentBody({ title: 'Second' }));
      expect(first.status).toBe(201);
      expect(second.body.number).toBe(first.body.number + 1);
      expect(first.headers.etag).toBe(first.body.etag);
      expect(first.headers.location).toBe(`http://vigil.test/w/default/incidents/${first.body.number}`);
      expect(first.body).toMatchObject({
        title: 'Lost laptop',
        description: 'Reported by HR',
        severity: 'Low',
        status: 'New',
        owner: null,
        tags: ['hr'],
        alertCount: 0,
        closedAt: null,
        createdBy: admin(),
      });
      const [created] = await activity(first.body.number);
      expect(created).toMatchObject({ action: 'incidentCreated', actor: admin() });
      expect(created.changes).toEqual(expect.arrayContaining([{ field: 'title', from: null, to: 'Lost laptop' }]));
    });

    it('gets an incident by id and by number, with its etag', async () => {
      const made = await create({ title: 'Get me' });
      const byId = await t.get(t.ws(`/incidents/${made.id}`));
      const byNumber = await t.get(t.ws(`/incidents/${made.number}`));
      expect(byId.status).toBe(200);
      expect(byId.body).toEqual(made);
      expect(byNumber.body).toEqual(made);
      expect(byNumber.headers.etag).toBe(made.etag);
    });

    it('answers 404 for unknown ids and numbers, on read and on change', async () => {
      for (const ref of ['999999', 'no-such-incident']) {
        const res = await t.get(t.ws(`/incidents/${ref}`));
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('not_found');
        expect((await patch(ref, { title: 'x' })).status).toBe(404);
      }
    });

    it.each([
      ['a wrong enum value', { severity: 'Critical' }, 400, 'severity'],
      ['status Closed without a classification', { status: 'Closed' }, 422, 'classification'],
      ['an unknown owner', { owner: { email: 'nobody@example.test' } }, 422, 'owner'],
    ])('rejects a creation with %s and writes nothing', async (_name, body, status, field) => {
      const before = (await t.get(t.ws('/incidents/counts'))).body.total;
      const res = await t.post(t.ws('/incidents'), incidentBody(body));
      expect(res.status).toBe(status);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: field })]);
      expect((await t.get(t.ws('/incidents/counts'))).body.total).toBe(before);
    });

    it('creates a closed incident when a classification is given', async () => {
      const made = await create({ status: 'Closed', classification: 'TruePositive', classificationComment: 'Handled by phone' });
      expect(made).toMatchObject({
        status: 'Closed',
        classificationReason: 'SuspiciousActivity',
        classificationComment: 'Handled by phone',
      });
      expect(made.closedAt).toEqual(expect.any(String));
    });
  });

  describe('PATCH', () => {
    it('changes every editable field and records each as a field change by the user', async () => {
      const made = await create({ title: 'Old title', description: 'old', severity: 'Low' });
      const changes = {
        title: 'New title',
        description: 'new description',
        severity: 'High',
        status: 'Active',
        tags: ['apt', 'vip'],
        tactics: ['InitialAccess', 'Execution'],
        techniques: ['T1566.001'],
        firstActivityTime: '2026-10-01T08:00:00.000Z',
        lastActivityTime: '2026-10-02T09:00:00.000Z',
        classification: 'TruePositive',
        determination: 'Phishing',
      };
      const res = await patch(made.number, changes);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ ...changes, classificationReason: 'SuspiciousActivity' });
      expect(await get(made.number)).toEqual(res.body);
      const entry = await latestChange(made.number);
      expect(entry).toMatchObject({ action: 'incidentUpdated', kind: 'change', actor: admin() });
      expect(entry.changes).toEqual(
        expect.arrayContaining([
          { field: 'title', from: 'Old title', to: 'New title' },
          { field: 'description', from: 'old', to: 'new description' },
          { field: 'severity', from: 'Low', to: 'High' },
          { field: 'status', from: 'New', to: 'Active' },
          { field: 'tags', from: [], to: ['apt', 'vip'] },
          { field: 'tactics', from: [], to: ['InitialAccess', 'Execution'] },
          { field: 'techniques', from: [], to: ['T1566.001'] },
          { field: 'firstActivityTime', from: null, to: '2026-10-01T08:00:00.000Z' },
          { field: 'lastActivityTime', from: null, to: '2026-10-02T09:00:00.000Z' },
          { field: 'classification', from: null, to: 'TruePositive' },
          { field: 'classificationReason', from: null, to: 'SuspiciousActivity' },
          { field: 'determination', from: null, to: 'Phishing' },
        ]),
      );
    });

    it('accepts If-Match with the current etag and gives a new etag', async () => {
      const made = await create();
      const res = await patch(made.number, { title: 'Matched' }, { 'if-match': made.etag });
      expect(res.status).toBe(200);
      expect(res.body.etag).not.toBe(made.etag);
      expect(res.headers.etag).toBe(res.body.etag);
      expect((await patch(made.number, { severity: 'Low' }, { 'if-match': `W/${res.body.etag}` })).status).toBe(200);
    });

    it('answers 412 for a stale If-Match and changes nothing', async () => {
      const made = await create({ title: 'Before' });
      const first = await patch(made.number, { title: 'By someone else' }, { 'if-match': made.etag });
      const stale = await patch(made.number, { title: 'Mine', severity: 'High' }, { 'if-match': made.etag });
      expect(stale.status).toBe(412);
      expect(stale.body.error.code).toBe('precondition_failed');
      const now = await get(made.number);
      expect(now).toMatchObject({ title: 'By someone else', severity: 'Medium', etag: first.body.etag });
      expect(await activity(made.number)).toHaveLength(2);
    });

    it('keeps the etag, updatedAt and activity log when a PATCH changes nothing', async () => {
      const made = await create({ title: 'Same', severity: 'Low', tags: ['x'] });
      const res = await patch(made.number, { title: 'Same', severity: 'Low', tags: ['x'], owner: null });
      expect(res.status).toBe(200);
      expect(res.body.etag).toBe(made.etag);
      expect(res.body.updatedAt).toBe(made.updatedAt);
      expect(await activity(made.number)).toHaveLength(1);
    });

    it.each([
      ['an unknown field', { title: 'ok', bogus: 1 }, 'bogus'],
      ['a wrong severity', { severity: 'Critical' }, 'severity'],
      ['a wrong status', { status: 'Resolved' }, 'status'],
      ['a wrong classification', { classification: 'Malicious' }, 'classification'],
      ['an empty title', { title: '   ' }, 'title'],
      ['no field at all', {}, '(body)'],
    ])('rejects %s with 400 naming it and writes nothing', async (_name, body, field) => {
      const made = await create({ title: 'Untouched' });
      const res = await patch(made.number, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(JSON.stringify(res.body.error.details)).toContain(field);
      expect(await get(made.number)).toEqual(made);
    });
  });

  describe('classification, closing and re-opening', () => {
    it('refuses to close without a classification (422) and closes with one', async () => {
      const made = await create();
      const refused = await patch(made.number, { status: 'Closed' });
      expect(refused.status).toBe(422);
      expect(refused.body.error.details).toEqual([expect.objectContaining({ path: 'classification' })]);
      expect(await get(made.number)).toEqual(made);
      const closed = await patch(made.number, {
        status: 'Closed',
        classification: 'FalsePositive',
        classificationReason: 'InaccurateData',
      });
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({
        status: 'Closed',
        classification: 'FalsePositive',
        classificationReason: 'InaccurateData',
      });
      expect(Date.parse(closed.body.closedAt)).toBeGreaterThanOrEqual(Date.parse(made.createdAt));
    });

    it('requires the reason and the determination to fit the classification', async () => {
      const made = await create();
      const badReason = await patch(made.number, { classification: 'FalsePositive', classificationReason: 'SuspiciousActivity' });
      expect(badReason.status).toBe(422);
      expect(badReason.body.error.details[0].path).toBe('classificationReason');
      const badDetermination = await patch(made.number, { classification: 'TruePositive', determination: 'NotMalicious' });
      expect(badDetermination.status).toBe(422);
      expect(badDetermination.body.error.details[0].path).toBe('determination');
      const undeterminedReason = await patch(made.number, {
        classification: 'Undetermined',
        classificationReason: 'InaccurateData',
      });
      expect(undeterminedReason.status).toBe(422);
      expect(await get(made.number)).toEqual(made);
    });

    it('implies the reason when only one fits, and leaves it open when several do', async () => {
      const benign = await patch((await create()).number, { classification: 'BenignPositive', determination: 'SecurityTesting' });
      expect(benign.body).toMatchObject({ classificationReason: 'SuspiciousButExpected', determination: 'SecurityTesting' });
      const falsePositive = await patch((await create()).number, { classification: 'FalsePositive' });
      expect(falsePositive.body).toMatchObject({ classification: 'FalsePositive', classificationReason: null });
    });

    it('stores the resolution note and shows it in the activity entry', async () => {
      const made = await create();
      const note = 'Confirmed phishing; mailbox purged and password reset.';
      const res = await patch(made.number, { status: 'Closed', classification: 'TruePositive', classificationComment: note });
      expect(res.body.classificationComment).toBe(note);
      const entry = await latestChange(made.number);
      expect(entry.actor).toEqual(admin());
      expect(entry.changes).toEqual(
        expect.arrayContaining([
          { field: 'classificationComment', from: null, to: note },
          { field: 'status', from: 'New', to: 'Closed' },
          { field: 'classification', from: null, to: 'TruePositive' },
        ]),
      );
    });

    it('refuses to clear the classification of a closed incident', async () => {
      const made = await create();
      const closed = (await patch(made.number, { status: 'Closed', classification: 'TruePositive' })).body;
      const res = await patch(made.number, { classification: null });
      expect(res.status).toBe(422);
      expect(await get(made.number)).toEqual(closed);
    });

    it('re-opens a closed incident, records it and clears closedAt', async () => {
      const made = await create();
      await patch(made.number, { status: 'Closed', classification: 'Undetermined' });
      const reopened = await patch(made.number, { status: 'Active' });
      expect(reopened.status).toBe(200);
      expect(reopened.body).toMatchObject({ status: 'Active', closedAt: null });
      const entry = await latestChange(made.number);
      expect(entry).toMatchObject({
        actor: admin(),
        changes: expect.arrayContaining([{ field: 'status', from: 'Closed', to: 'Active' }]),
      });
    });
  });

  describe('owner', () => {
    const asOwner = (u: TestUser) => ({ type: 'user', id: u.id, name: u.name, email: u.email });

    it('assigns a user by email and by id, a group by name, and unassigns with null', async () => {
      const made = await create();
      const byEmail = await patch(made.number, { owner: { email: 'ana.lyst@EXAMPLE.test' } });
      expect(byEmail.status, JSON.stringify(byEmail.body)).toBe(200);
      expect(byEmail.body.owner).toEqual(asOwner(analyst));
      const admins = await patch(made.number, { owner: { type: 'user', id: t.adminId } });
      expect(admins.body.owner).toMatchObject({ type: 'user', id: t.adminId, name: 'Administrator' });
      const group = await patch(made.number, { owner: { name: 'soc tier 1' } });
      expect(group.body.owner).toEqual({ type: 'group', id: tier1.id, name: 'SOC Tier 1', email: null });
      const none = await patch(made.number, { owner: null });
      expect(none.body.owner).toBeNull();
      const entries = (await activity(made.number)).slice(0, 4).reverse();
      expect(entries.map((e: any) => e.changes.find((c: any) => c.field === 'owner'))).toEqual([
        { field: 'owner', from: null, to: asOwner(analyst) },
        { field: 'owner', from: asOwner(analyst), to: expect.objectContaining({ id: t.adminId }) },
        {
          field: 'owner',
          from: expect.objectContaining({ id: t.adminId }),
          to: expect.objectContaining({ type: 'group', id: tier1.id }),
        },
        { field: 'owner', from: expect.objectContaining({ type: 'group', id: tier1.id }), to: null },
      ]);
    });

    it.each([
      ['an unknown email', { email: 'nobody@example.test' }],
      ['an unknown user id', { type: 'user', id: 'no-such-user' }],
      ['an unknown group', { name: 'No such group' }],
      ['a disabled user', { email: 'disabled@example.test' }],
    ])('answers 422 for %s and changes nothing', async (_name, owner) => {
      const made = await create();
      const res = await patch(made.number, { owner });
      expect(res.status).toBe(422);
      expect(res.body.error.details[0].path).toBe('owner');
      expect(await get(made.number)).toEqual(made);
    });

    it('cascades: assigning owns the alerts, closing resolves them, re-opening re-activates them', async () => {
      const incident = await incidentFromAlert({ title: 'Cascade' });
      expect((await alertsOf(incident.number)).map((a: any) => a.status)).toEqual(['New']);
      await patch(incident.number, { owner: { email: analyst.email } });
      expect((await alertsOf(incident.number))[0].owner).toEqual(asOwner(analyst));
      await patch(incident.number, { status: 'Closed', classification: 'BenignPositive' });
      expect((await alertsOf(incident.number))[0].status).toBe('Resolved');
      await patch(incident.number, { status: 'Active' });
      expect((await alertsOf(incident.number))[0].status).toBe('New');
      await patch(incident.number, { owner: null });
      expect((await alertsOf(incident.number))[0].owner).toBeNull();
    });
  });

  describe('severity and title follow the alerts', () => {
    it('raises the severity with new alerts until a person sets it', async () => {
      const rule = await groupingRule();
      const first = await ingest({ analyticsRuleName: rule, severity: 'Low' });
      expect((await get(first.incidentId)).severity).toBe('Low');
      expect((await ingest({ analyticsRuleName: rule, severity: 'Medium' })).incidentId).toBe(first.incidentId);
      expect((await get(first.incidentId)).severity).toBe('Medium');
      await ingest({ analyticsRuleName: rule, severity: 'Informational' });
      const grouped = await get(first.incidentId);
      expect(grouped).toMatchObject({ severity: 'Medium', alertCount: 3 });
      const raised = (await activity(first.incidentId)).find((e: any) =>
        e.changes.some((c: any) => c.field === 'severity' && c.from === 'Low'),
      );
      expect(raised).toMatchObject({
        actor: { type: 'system' },
        changes: expect.arrayContaining([{ field: 'severity', from: 'Low', to: 'Medium' }]),
      });

      await patch(first.incidentId, { severity: 'Low' });
      expect((await ingest({ analyticsRuleName: rule, severity: 'High' })).incidentId).toBe(first.incidentId);
      expect(await get(first.incidentId)).toMatchObject({ severity: 'Low', alertCount: 4 });
    });

    it('keeps a severity set by hand even when it equals the current one', async () => {
      const rule = await groupingRule();
      const first = await ingest({ analyticsRuleName: rule, severity: 'Low' });
      await patch(first.incidentId, { severity: 'Low' });
      await ingest({ analyticsRuleName: rule, severity: 'High' });
      expect((await get(first.incidentId)).severity).toBe('Low');
    });

    it('keeps a title confirmed by hand even when it equals the generated one', async () => {
      const rule = await groupingRule();
      const first = await ingest({ analyticsRuleName: rule, title: 'Password spray' });
      await patch(first.incidentId, { title: 'Password spray' });
      await ingest({ analyticsRuleName: rule, title: 'Mass download' });
      expect((await get(first.incidentId)).title).toBe('Password spray');
    });

    it('generates the title from the alerts until a person renames it', async () => {
      const rule = await groupingRule();
      const first = await ingest({ analyticsRuleName: rule, title: 'Impossible travel' });
      expect((await get(first.incidentId)).title).toBe('Impossible travel');
      await ingest({ analyticsRuleName: rule, title: 'Impossible travel' });
      expect((await get(first.incidentId)).title).toBe('Impossible travel');
      await ingest({ analyticsRuleName: rule, title: 'Mass download' });
      expect((await get(first.incidentId)).title).toMatch(/^Multi-stage incident involving 3 alerts/);
      await patch(first.incidentId, { title: 'Compromised account alice' });
      await ingest({ analyticsRuleName: rule, title: 'Inbox rule created' });
      expect(await get(first.incidentId)).toMatchObject({ title: 'Compromised account alice', alertCount: 4 });
    });
  });

  describe('tags', () => {
    it('keeps tags unique regardless of case: adding "Phishing" to "phishing" is a no-op', async () => {
      const made = await create({ tags: ['phishing'] });
      const res = await patch(made.number, { addTags: ['Phishing', 'PHISHING'] });
      expect(res.body.tags).toEqual(['phishing']);
      expect(res.body.etag).toBe(made.etag);
      expect(await activity(made.number)).toHaveLength(1);
      const dedup = await create({ tags: ['VIP', 'vip', 'Vip'] });
      expect(dedup.tags).toEqual(['VIP']);
    });

    it('adds, removes (ignoring case) and replaces tags', async () => {
      const made = await create({ tags: ['a'] });
      expect((await patch(made.number, { addTags: ['b', 'c'] })).body.tags).toEqual(['a', 'b', 'c']);
      expect((await patch(made.number, { removeTags: ['B'] })).body.tags).toEqual(['a', 'c']);
      expect((await patch(made.number, { tags: ['x', 'y'] })).body.tags).toEqual(['x', 'y']);
      const entry = await latestChange(made.number);
      expect(entry.changes).toEqual([{ field: 'tags', from: ['a', 'c'], to: ['x', 'y'] }]);
    });

    it('lists tags in use with counts, most used first, filtered by prefix', async () => {
      const p = `t${randomUUID().slice(0, 6)}`;
      await create({ tags: [`${p}-alpha`, `${p}-beta`] });
      await create({ tags: [`${p}-alpha`] });
      const third = await create({ tags: [`${p.toUpperCase()}-ALPHA`, `${p}-gamma`] });
      const res = await t.get(t.ws(`/tags?prefix=${p.toUpperCase()}`));
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: any) => [i.tag.toLowerCase(), i.count, i.system])).toEqual([
        [`${p}-alpha`, 3, false],
        [`${p}-beta`, 1, false],
        [`${p}-gamma`, 1, false],
      ]);
      expect((await t.get(t.ws(`/tags?prefix=${p}-b`))).body.items.map((i: any) => i.tag)).toEqual([`${p}-beta`]);
      expect((await t.get(t.ws(`/tags?prefix=${p}_`))).body.items).toEqual([]);
      await patch(third.number, { removeTags: [`${p}-gamma`] });
      expect((await t.get(t.ws(`/tags?prefix=${p}-g`))).body.items).toEqual([]);
    });
  });
});
