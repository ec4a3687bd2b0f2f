import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

describeEachDialect('analytics rules', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t.close());

  const unique = (prefix: string) => `${prefix}-${randomUUID()}`;
  const allRules = async () => (await t.get(t.ws('/analytics-rules?limit=500'))).body.items as any[];

  describe('create and read', () => {
    it('creates a rule with defaults: 201, etag header, origin manual, grouping none / 300 minutes', async () => {
      const name = unique('Brute force');
      const res = await t.post(t.ws('/analytics-rules'), { name });
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe(res.body.etag);
      expect(res.body).toMatchObject({
        name,
        externalId: null,
        description: '',
        severity: 'Medium',
        enabled: true,
        tactics: [],
        techniques: [],
        createsIncidents: true,
        origin: 'manual',
        grouping: { mode: 'none', lookbackMinutes: 300, entityKinds: [], customDetailKeys: [], reopenClosed: false },
      });
      expect(typeof res.body.id).toBe('string');
      expect(Number.isNaN(Date.parse(res.body.createdAt))).toBe(false);

      const got = await t.get(t.ws(`/analytics-rules/${res.body.id}`));
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
      expect(got.headers.etag).toBe(res.body.etag);
    });

    it('creates a rule with every field', async () => {
      const body = {
        externalId: unique('ext'),
        name: unique('Impossible travel'),
        description: 'Sign-ins from two countries within an hour',
        severity: 'High',
        enabled: true,
        tactics: ['InitialAccess', 'CredentialAccess'],
        techniques: ['T1078', 'T1110.003'],
        createsIncidents: true,
        grouping: {
          mode: 'selected',
          lookbackMinutes: 120,
          entityKinds: ['Account', 'Ip'],
          customDetailKeys: ['Country'],
          reopenClosed: true,
        },
      };
      const res = await t.post(t.ws('/analytics-rules'), body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject(body);
      expect((await t.get(t.ws(`/analytics-rules/${res.body.id}`))).body).toMatchObject(body);
    });

    it('lists rules by name, with a text filter, an enabled filter and pages', async () => {
      const tag = randomUUID().slice(0, 8);
      for (const [name, enabled] of [
        [`zeta ${tag}`, true],
        [`Alpha ${tag}`, true],
        [`mu ${tag}`, false],
      ] as const) {
        expect((await t.post(t.ws('/analytics-rules'), { name, enabled })).status).toBe(201);
      }
      const list = await t.get(t.ws(`/analytics-rules?q=${tag}`));
      expect(list.status).toBe(200);
      expect(list.body.items.map((r: any) => r.name)).toEqual([`Alpha ${tag}`, `mu ${tag}`, `zeta ${tag}`]);
      const enabled = await t.get(t.ws(`/analytics-rules?q=${tag}&enabled=true`));
      expect(enabled.body.items.map((r: any) => r.name)).toEqual([`Alpha ${tag}`, `zeta ${tag}`]);
      const page1 = await t.get(t.ws(`/analytics-rules?q=${tag}&limit=2`));
      expect(page1.body.items).toHaveLength(2);
      const page2 = await t.get(t.ws(`/analytics-rules?q=${tag}&limit=2&cursor=${encodeURIComponent(page1.body.nextCursor)}`));
      expect(page2.body.items.map((r: any) => r.name)).toEqual([`zeta ${tag}`]);
      expect(page2.body.nextCursor).toBeNull();
    });

    it('an unknown rule is 404', async () => {
      const res = await t.get(t.ws('/analytics-rules/does-not-exist'));
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    });
  });

  describe('invalid input', () => {
    async function expectInvalid(body: unknown, path: string) {
      const before = (await allRules()).length;
      const res = await t.post(t.ws('/analytics-rules'), body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
      expect((await allRules()).length).toBe(before);
      return res;
    }

    it('mode selected without entity kinds or custom details → 400', async () => {
      const res = await expectInvalid({ name: unique('r'), grouping: { mode: 'selected' } }, 'grouping.mode');
      expect(res.body.error.message).toMatch(/selected/);
    });

    it('unknown grouping mode, unknown entity kind, too short lookback → 400', async () => {
      await expectInvalid({ name: unique('r'), grouping: { mode: 'sometimes' } }, 'grouping.mode');
      await expectInvalid(
        { name: unique('r'), grouping: { mode: 'selected', entityKinds: ['Spaceship'] } },
        'grouping.entityKinds[0]',
      );
      await expectInvalid({ name: unique('r'), grouping: { mode: 'anyAlert', lookbackMinutes: 1 } }, 'grouping.lookbackMinutes');
      await expectInvalid(
        { name: unique('r'), grouping: { mode: 'anyAlert', lookbackMinutes: 10_081 } },
        'grouping.lookbackMinutes',
      );
    });

    it('missing name, wrong severity, wrong tactic, unknown field → 400', async () => {
      await expectInvalid({ description: 'no name' }, 'name');
      await expectInvalid({ name: unique('r'), severity: 'Critical' }, 'severity');
      await expectInvalid({ name: unique('r'), tactics: ['Hacking'] }, 'tactics[0]');
      await expectInvalid({ name: unique('r'), colour: 'red' }, '(body)');
    });

    it('a duplicate externalId → 409, also against a rule created implicitly by an alert', async () => {
      const externalId = unique('ext');
      expect((await t.post(t.ws('/analytics-rules'), { name: unique('first'), externalId })).status).toBe(201);
      const before = (await allRules()).length;
      const dup = await t.post(t.ws('/analytics-rules'), { name: unique('second'), externalId });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('conflict');
      expect(dup.body.error.message).toContain(externalId);

      const implicitId = unique('implicit-ext');
      expect((await t.post(t.ws('/alerts'), alert({ analyticsRuleId: implicitId }))).status).toBe(201);
      expect((await t.post(t.ws('/analytics-rules'), { name: unique('third'), externalId: implicitId })).status).toBe(409);
      expect((await allRules()).length).toBe(before + 1);
    });
  });

  describe('update', () => {
    it('PATCH with the current If-Match changes the rule and its etag; a stale etag → 412 and nothing changes', async () => {
      const created = (await t.post(t.ws('/analytics-rules'), { name: unique('patch me'), severity: 'Low' })).body;
      const newName = unique('patched');
      const ok = await t.patch(
        t.ws(`/analytics-rules/${created.id}`),
        { name: newName, severity: 'High', grouping: { mode: 'allEntities', lookbackMinutes: 60 } },
        {
          headers: { 'if-match': created.etag },
        },
      );
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        id: created.id,
        name: newName,
        severity: 'High',
        origin: 'manual',
        grouping: { mode: 'allEntities', lookbackMinutes: 60 },
      });
      expect(ok.body.etag).not.toBe(created.etag);
      expect(ok.headers.etag).toBe(ok.body.etag);

      const stale = await t.patch(
        t.ws(`/analytics-rules/${created.id}`),
        { severity: 'Informational' },
        { headers: { 'if-match': created.etag } },
      );
      expect(stale.status).toBe(412);
      expect(stale.body.error.code).toBe('precondition_failed');
      const after = (await t.get(t.ws(`/analytics-rules/${created.id}`))).body;
      expect(after).toMatchObject({ name: newName, severity: 'High', etag: ok.body.etag });

      // the renamed rule is found by its new name when alerts name it
      const ingest = await t.post(t.ws('/alerts'), alert({ analyticsRuleName: newName }));
      expect((await t.get(t.ws(`/alerts/${ingest.body.results[0].id}`))).body.analyticsRuleId).toBe(created.id);
    });

    it('PATCH without If-Match is accepted; weak etags are understood', async () => {
      const created = (await t.post(t.ws('/analytics-rules'), { name: unique('no if-match') })).body;
      const first = await t.patch(t.ws(`/analytics-rules/${created.id}`), { description: 'one' });
      expect(first.status).toBe(200);
      const second = await t.patch(
        t.ws(`/analytics-rules/${created.id}`),
        { description: 'two' },
        { headers: { 'if-match': `W/${first.body.etag}` } },
      );
      expect(second.status).toBe(200);
      expect(second.body.description).toBe('two');
    });

    it('PATCH with an invalid grouping or nothing to change → 400, rule unchanged', async () => {
      const created = (await t.post(t.ws('/analytics-rules'), { name: unique('keep'), grouping: { mode: 'anyAlert' } })).body;
      const bad = await t.patch(t.ws(`/analytics-rules/${created.id}`), { grouping: { mode: 'selected', entityKinds: [] } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.map((d: any) => d.path)).toContain('grouping.mode');
      const empty = await t.patch(t.ws(`/analytics-rules/${created.id}`), {});
      expect(empty.status).toBe(400);
      const origin = await t.patch(t.ws(`/analytics-rules/${created.id}`), { origin: 'implicit' });
      expect(origin.status).toBe(400);
      expect((await t.get(t.ws(`/analytics-rules/${created.id}`))).body).toEqual(created);
    });

    it('PATCH of an implicit rule keeps origin implicit; PATCH of an unknown rule → 404', async () => {
      const name = unique('implicit');
      await t.post(t.ws('/alerts'), alert({ analyticsRuleName: name }));
      const rule = (await t.get(t.ws(`/analytics-rules?q=${encodeURIComponent(name)}`))).body.items[0];
      expect(rule.origin).toBe('implicit');
      const res = await t.patch(t.ws(`/analytics-rules/${rule.id}`), { createsIncidents: false });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ origin: 'implicit', createsIncidents: false });
      expect((await t.patch(t.ws('/analytics-rules/nope'), { description: 'x' })).status).toBe(404);
    });
  });

  describe('grouping changes and rule identity', () => {
    it('PATCH of one grouping field keeps the others', async () => {
      const rule = (
        await t.post(t.ws('/analytics-rules'), { name: unique('merge'), grouping: { mode: 'allEntities', reopenClosed: true } })
      ).body;
      const res = await t.patch(t.ws(`/analytics-rules/${rule.id}`), { grouping: { lookbackMinutes: 60 } });
      expect(res.status).toBe(200);
      expect(res.body.grouping).toMatchObject({ mode: 'allEntities', lookbackMinutes: 60, reopenClosed: true });
    });

    it('PATCH to mode selected without kinds or details → 400 naming grouping.mode, rule unchanged', async () => {
      const rule = (await t.post(t.ws('/analytics-rules'), { name: unique('bad-merge'), grouping: { mode: 'anyAlert' } })).body;
      const res = await t.patch(t.ws(`/analytics-rules/${rule.id}`), { grouping: { mode: 'selected' } });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe('grouping.mode');
      expect((await t.get(t.ws(`/analytics-rules/${rule.id}`))).body.grouping.mode).toBe('anyAlert');
    });

    it('an alert naming an existing rule by name with a new source id adopts that rule, so both group together', async () => {
      const name = unique('adopt');
      const rule = (await t.post(t.ws('/analytics-rules'), { name, grouping: { mode: 'anyAlert' } })).body;
      const byName = await t.post(t.ws('/alerts'), alert({ analyticsRuleName: name }));
      const byId = await t.post(t.ws('/alerts'), alert({ analyticsRuleId: `ext-${name}`, analyticsRuleName: name }));
      expect(byId.body.results[0].incidentId).toBe(byName.body.results[0].incidentId);
      expect((await t.get(t.ws(`/analytics-rules/${rule.id}`))).body.externalId).toBe(`ext-${name}`);
      const all = (await t.get(t.ws(`/analytics-rules?q=${encodeURIComponent(name)}`))).body.items;
      expect(all).toHaveLength(1);
    });
  });

  describe('rules decide whether alerts create incidents', () => {
    it('a disabled rule stores alerts without incidents; re-enabled it creates them again', async () => {
      const rule = (await t.post(t.ws('/analytics-rules'), { name: unique('disabled'), enabled: false })).body;
      const off = await t.post(t.ws('/alerts'), alert({ analyticsRuleName: rule.name }));
      expect(off.status).toBe(201);
      expect(off.body.results[0]).toMatchObject({ outcome: 'new', incidentId: null, incidentNumber: null });
      expect((await t.get(t.ws(`/alerts/${off.body.results[0].id}`))).status).toBe(200);
      await t.patch(t.ws(`/analytics-rules/${rule.id}`), { enabled: true });
      const on = await t.post(t.ws('/alerts'), alert({ analyticsRuleName: rule.name }));
      expect(typeof on.body.results[0].incidentId).toBe('string');
      const filtered = await t.get(t.ws(`/alerts?analyticsRule=${rule.id}`));
      expect(filtered.body.items.map((a: any) => a.id).sort()).toEqual([off.body.results[0].id, on.body.results[0].id].sort());
    });
  });
});
