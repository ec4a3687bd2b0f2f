import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

describeEachDialect('alert ingestion', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t.close());

  /** Every alert of the workspace, all pages. */
  async function allAlerts(): Promise<any[]> {
    const out: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await t.get(t.ws(`/alerts?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
      expect(page.status).toBe(200);
      out.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return out;
  }
  const alertCount = async () => (await allAlerts()).length;
  const ruleName = () => `rule-${randomUUID()}`;

  describe('accepting alerts', () => {
    it('ingests one alert: 201 with id, incident id and number, outcome new; durable and readable', async () => {
      const before = await alertCount();
      const res = await t.post(t.ws('/alerts'), alert({ title: 'Single alert', sourceAlertId: 'single-1' }));
      expect(res.status).toBe(201);
      expect(res.body.results).toHaveLength(1);
      const r = res.body.results[0];
      expect(r).toMatchObject({ index: 0, sourceAlertId: 'single-1', outcome: 'new' });
      expect(typeof r.id).toBe('string');
      expect(typeof r.incidentId).toBe('string');
      expect(Number.isInteger(r.incidentNumber)).toBe(true);
      expect(res.body.counts).toEqual({ new: 1, grouped: 0, duplicate: 0 });

      expect(await alertCount()).toBe(before + 1);
      const stored = await t.get(t.ws(`/alerts/${r.id}`));
      expect(stored.status).toBe(200);
      expect(stored.body).toMatchObject({ id: r.id, incidentId: r.incidentId, title: 'Single alert', severity: 'Medium' });
      const incident = await t.get(t.ws(`/incidents/${r.incidentNumber}`));
      expect(incident.status).toBe(200);
      expect(incident.body).toMatchObject({ id: r.incidentId, number: r.incidentNumber, title: 'Single alert', alertCount: 1 });
      const incidentAlerts = await t.get(t.ws(`/incidents/${r.incidentNumber}/alerts`));
      expect(incidentAlerts.body.items.map((a: any) => a.id)).toEqual([r.id]);
    });

    it('ingests a batch: one result per alert, in order', async () => {
      const before = await alertCount();
      const res = await t.post(t.ws('/alerts'), {
        alerts: [alert({ sourceAlertId: 'b-1' }), alert({ sourceAlertId: 'b-2' }), alert({ sourceAlertId: 'b-3' })],
      });
      expect(res.status).toBe(201);
      expect(res.body.results.map((r: any) => [r.index, r.sourceAlertId, r.outcome])).toEqual([
        [0, 'b-1', 'new'],
        [1, 'b-2', 'new'],
        [2, 'b-3', 'new'],
      ]);
      expect(await alertCount()).toBe(before + 3);
      for (const r of res.body.results) expect((await t.get(t.ws(`/alerts/${r.id}`))).status).toBe(200);
    });

    it('alerts without a rule get an incident each by default, even with identical entities', async () => {
      const res = await t.post(t.ws('/alerts'), { alerts: [alert(), alert(), alert()] });
      expect(res.status).toBe(201);
      const numbers = res.body.results.map((r: any) => r.incidentNumber);
      expect(new Set(numbers).size).toBe(3);
      expect(res.body.results.every((r: any) => r.outcome === 'new')).toBe(true);
      // incident numbers are sequential per workspace
      expect(numbers[1]).toBe(numbers[0] + 1);
      expect(numbers[2]).toBe(numbers[0] + 2);
    });
  });

  describe('duplicates', () => {
    it('the same productName + sourceAlertId again is a duplicate, stored once', async () => {
      const body = alert({ sourceAlertId: 'dup-1', productName: 'Microsoft Defender for Endpoint' });
      const first = await t.post(t.ws('/alerts'), body);
      expect(first.status).toBe(201);
      const count = await alertCount();
      const again = await t.post(t.ws('/alerts'), { ...body, title: 'changed title' });
      expect(again.status).toBe(200);
      expect(again.body.results[0]).toMatchObject({
        outcome: 'duplicate',
        id: first.body.results[0].id,
        incidentId: first.body.results[0].incidentId,
        incidentNumber: first.body.results[0].incidentNumber,
      });
      expect(again.body.counts).toEqual({ new: 0, grouped: 0, duplicate: 1 });
      expect(await alertCount()).toBe(count);
      // product name compared case-insensitively
      const upper = await t.post(t.ws('/alerts'), { ...body, productName: 'MICROSOFT DEFENDER FOR ENDPOINT' });
      expect(upper.body.results[0].outcome).toBe('duplicate');
      expect(await alertCount()).toBe(count);
    });

    it('the same sourceAlertId from another product is a different alert', async () => {
      const count = await alertCount();
      const a = await t.post(t.ws('/alerts'), alert({ sourceAlertId: 'shared-id', productName: 'Product A' }));
      const b = await t.post(t.ws('/alerts'), alert({ sourceAlertId: 'shared-id', productName: 'Product B' }));
      expect(a.body.results[0].outcome).toBe('new');
      expect(b.body.results[0].outcome).toBe('new');
      expect(b.body.results[0].id).not.toBe(a.body.results[0].id);
      expect(await alertCount()).toBe(count + 2);
    });

    it('a duplicate within one batch is stored once and reported as duplicate of the first', async () => {
      const count = await alertCount();
      const one = alert({ sourceAlertId: 'in-batch-dup' });
      const res = await t.post(t.ws('/alerts'), { alerts: [one, alert(), { ...one }] });
      expect(res.status).toBe(201);
      const [r0, r1, r2] = res.body.results;
      expect(r0.outcome).toBe('new');
      expect(r1.outcome).toBe('new');
      expect(r2).toMatchObject({
        index: 2,
        outcome: 'duplicate',
        id: r0.id,
        incidentId: r0.incidentId,
        incidentNumber: r0.incidentNumber,
      });
      expect(res.body.counts).toEqual({ new: 2, grouped: 0, duplicate: 1 });
      expect(await alertCount()).toBe(count + 2);
    });
  });

  describe('analytics rules named by alerts', () => {
    it('an unknown analyticsRuleName creates an implicit rule', async () => {
      const name = ruleName();
      const res = await t.post(t.ws('/alerts'), alert({ analyticsRuleName: name, severity: 'High' }));
      expect(res.status).toBe(201);
      const rules = await t.get(t.ws(`/analytics-rules?q=${encodeURIComponent(name)}`));
      expect(rules.body.items).toHaveLength(1);
      expect(rules.body.items[0]).toMatchObject({
        name,
        origin: 'implicit',
        externalId: null,
        createsIncidents: true,
        enabled: true,
      });
      const stored = await t.get(t.ws(`/alerts/${res.body.results[0].id}`));
      expect(stored.body).toMatchObject({ analyticsRuleId: rules.body.items[0].id, analyticsRuleName: name });
      // a second alert reuses the rule (name compared case-insensitively)
      await t.post(t.ws('/alerts'), alert({ analyticsRuleName: name.toUpperCase() }));
      expect((await t.get(t.ws(`/analytics-rules?q=${encodeURIComponent(name)}`))).body.items).toHaveLength(1);
    });

    it('an unknown analyticsRuleId creates an implicit rule with that externalId', async () => {
      const externalId = randomUUID();
      const name = ruleName();
      const res = await t.post(t.ws('/alerts'), alert({ analyticsRuleId: externalId, analyticsRuleName: name }));
      expect(res.status).toBe(201);
      const rules = await t.get(t.ws(`/analytics-rules?q=${encodeURIComponent(name)}`));
      expect(rules.body.items).toHaveLength(1);
      expect(rules.body.items[0]).toMatchObject({ externalId, name, origin: 'implicit' });
      const again = await t.post(t.ws('/alerts'), {
        alerts: [alert({ analyticsRuleId: externalId }), alert({ analyticsRuleId: externalId })],
      });
      expect(again.status).toBe(201);
      const all = await t.get(t.ws('/analytics-rules?limit=500'));
      expect(all.body.items.filter((r: any) => r.externalId === externalId)).toHaveLength(1);
    });

    it('a rule with createsIncidents=false stores the alert without an incident', async () => {
      const name = ruleName();
      const rule = await t.post(t.ws('/analytics-rules'), { name, createsIncidents: false });
      expect(rule.status).toBe(201);
      const incidentsBefore = (await t.get(t.ws('/incidents/counts'))).body;
      const res = await t.post(t.ws('/alerts'), alert({ analyticsRuleName: name }));
      expect(res.status).toBe(201);
      expect(res.body.results[0]).toMatchObject({ outcome: 'new', incidentId: null, incidentNumber: null });
      const stored = await t.get(t.ws(`/alerts/${res.body.results[0].id}`));
      expect(stored.status).toBe(200);
      expect(stored.body.incidentId).toBeNull();
      expect((await t.get(t.ws('/incidents/counts'))).body).toEqual(incidentsBefore);
      const without = await t.get(t.ws('/alerts?withoutIncident=true&limit=500'));
      expect(without.body.items.map((a: any) => a.id)).toContain(res.body.results[0].id);
    });
  });

  describe('raw payload', () => {
    it('keeps the raw payload verbatim', async () => {
      const raw = { SystemAlertId: 'abc', Nested: { list: [1, 'two', null, true], 'odd key': 'ü ✓' }, Number: 1.5 };
      const res = await t.post(t.ws('/alerts'), alert({ raw }));
      expect(res.status).toBe(201);
      const stored = await t.get(t.ws(`/alerts/${res.body.results[0].id}`));
      expect(stored.body.raw).toEqual(raw);
    });

    it('rejects a raw payload larger than 256 KiB with 413 naming the limit, writing nothing', async () => {
      const count = await alertCount();
      const big = { blob: 'x'.repeat(256 * 1024 + 10) };
      const res = await t.post(t.ws('/alerts'), { alerts: [alert(), alert({ raw: big })] });
      expect(res.status).toBe(413);
      expect(res.body.error.message).toMatch(/262144|256 ?KiB/);
      expect(res.body.error.details[0].path).toBe('alerts[1].raw');
      expect(await alertCount()).toBe(count);
    });
  });

  describe('bad input writes nothing', () => {
    async function expectRejected(body: unknown, status: number, path: string | null, options: { raw?: string } = {}) {
      const count = await alertCount();
      const res = await t.request('POST', t.ws('/alerts'), body, options);
      expect(res.status).toBe(status);
      expect(typeof res.body.error.code).toBe('string');
      expect(res.body.error.message.length).toBeGreaterThan(0);
      if (path !== null) {
        expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
        expect(res.body.error.message).toContain(path);
      }
      expect(await alertCount()).toBe(count);
      return res;
    }

    it('malformed JSON → 400 invalid_json', async () => {
      const res = await expectRejected(undefined, 400, null, { raw: '{"alerts": [{"sourceAlertId": "x",' });
      expect(res.body.error.code).toBe('invalid_json');
      expect(res.body.error.message).toMatch(/JSON/);
    });

    it('wrong severity enum → 400 naming alerts[3].severity and the allowed values', async () => {
      const res = await expectRejected(
        { alerts: [alert(), alert(), alert(), alert({ severity: 'Critical' })] },
        400,
        'alerts[3].severity',
      );
      expect(res.body.error.details[0].message).toMatch(/High, Medium, Low, Informational/);
    });

    it('wrong severity on a single alert → path severity', async () => {
      await expectRejected(alert({ severity: 'high!' }), 400, 'severity');
    });

    it('missing sourceAlertId → 400', async () => {
      const { sourceAlertId, ...rest } = alert();
      void sourceAlertId;
      const res = await expectRejected({ alerts: [rest] }, 400, 'alerts[0].sourceAlertId');
      expect(res.body.error.details[0].message).toMatch(/required/);
    });

    it('missing productName → 400', async () => {
      const { productName, ...rest } = alert();
      void productName;
      await expectRejected(rest, 400, 'productName');
    });

    it('a batch of 1001 alerts → 413 naming 1000', async () => {
      const alerts = Array.from({ length: 1001 }, () => alert());
      const res = await expectRejected({ alerts }, 413, null);
      expect(res.body.error.message).toContain('1000');
    });

    it('a batch of exactly 1000 alerts is accepted', async () => {
      const count = await alertCount();
      const res = await t.post(t.ws('/alerts'), { alerts: Array.from({ length: 1000 }, () => alert()) });
      expect(res.status).toBe(201);
      expect(res.body.counts.new).toBe(1000);
      expect(await alertCount()).toBe(count + 1000);
    });

    it('too many custom detail keys → 400 naming the field', async () => {
      const customDetails = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`key${i}`, 'v']));
      const res = await expectRejected({ alerts: [alert(), alert({ customDetails })] }, 400, null);
      expect(res.body.error.message).toContain('alerts[1].customDetails');
      expect(res.body.error.message).toContain('100');
      expect(res.body.error.details ?? []).toContainEqual(expect.objectContaining({ path: 'alerts[1].customDetails' }));
    });

    it('an empty batch → 400', async () => {
      await expectRejected({ alerts: [] }, 400, 'alerts');
    });

    it('an entity with an unknown kind → 400 naming the entity', async () => {
      const res = await expectRejected(
        {
          alerts: [
            alert(),
            alert({
              entities: [
                { kind: 'Ip', address: '10.0.0.1' },
                { kind: 'Spaceship', name: 'x' },
              ],
            }),
          ],
        },
        400,
        'alerts[1].entities[1].kind',
      );
      expect(res.body.error.message).toContain('Spaceship');
    });

    it('endTime before startTime → 400 naming endTime', async () => {
      await expectRejected(
        { alerts: [alert({ startTime: '2026-11-01T10:00:00Z', endTime: '2026-11-01T09:00:00Z' })] },
        400,
        'alerts[0].endTime',
      );
    });

    it('a time that is not ISO 8601 → 400', async () => {
      await expectRejected(alert({ startTime: 'yesterday' }), 400, 'startTime');
    });

    it('wrong tactic → 400 naming the tactic', async () => {
      await expectRejected({ alerts: [alert({ tactics: ['InitialAccess', 'Hacking'] })] }, 400, 'alerts[0].tactics[1]');
    });

    it('a batch whose last alert is invalid writes none of them (and creates no rule)', async () => {
      const name = ruleName();
      const alerts = Array.from({ length: 9 }, () => alert({ analyticsRuleName: name }));
      alerts.push(alert({ analyticsRuleName: name, severity: 'Severe' }));
      const incidentsBefore = (await t.get(t.ws('/incidents/counts'))).body;
      await expectRejected({ alerts }, 400, 'alerts[9].severity');
      expect((await t.get(t.ws(`/analytics-rules?q=${encodeURIComponent(name)}`))).body.items).toHaveLength(0);
      expect((await t.get(t.ws('/incidents/counts'))).body).toEqual(incidentsBefore);
    });

    it('a batch whose last alert has a bad entity writes none of them', async () => {
      const alerts = [alert(), alert(), alert({ entities: [42] })];
      await expectRejected({ alerts }, 400, 'alerts[2].entities[0]');
    });
  });
});
