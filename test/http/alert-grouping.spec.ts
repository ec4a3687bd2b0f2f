import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const alice = { kind: 'Account', accountName: 'alice', upnSuffix: 'contoso.com' };
const bob = { kind: 'Account', accountName: 'bob', upnSuffix: 'contoso.com' };
const host1 = { kind: 'Host', hostName: 'web01', dnsDomain: 'contoso.com' };
const host2 = { kind: 'Host', hostName: 'db02', dnsDomain: 'contoso.com' };
const ip1 = { kind: 'Ip', address: '10.0.0.1' };

/** An ISO time `minutes` after 2026-11-01T10:00:00Z. */
const at = (minutes: number) => new Date(Date.parse('2026-11-01T10:00:00Z') + minutes * 60_000).toISOString();
/** An alert that happened at `minutes` (start = end). */
const timed = (minutes: number, overrides: Record<string, unknown> = {}) =>
  alert({ startTime: at(minutes), endTime: at(minutes), ...overrides });

describeEachDialect('alert grouping', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t.close());

  /** Creates a rule with these grouping settings; returns its name (and id). */
  async function rule(grouping: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const name = `grouping-rule-${randomUUID()}`;
    const res = await t.post(t.ws('/analytics-rules'), { name, grouping, ...extra });
    expect(res.status).toBe(201);
    return { name, id: res.body.id as string, body: res.body };
  }
  async function ingest(...alerts: Record<string, unknown>[]) {
    const res = await t.post(t.ws('/alerts'), { alerts });
    expect(res.status).toBe(201);
    return res.body.results as { id: string; incidentId: string | null; incidentNumber: number | null; outcome: string }[];
  }
  const incident = async (ref: string | number) => (await t.get(t.ws(`/incidents/${ref}`))).body;

  describe('mode allEntities', () => {
    it('groups alerts of the rule with identical entities inside the 300-minute window, across requests', async () => {
      const r = await rule({ mode: 'allEntities' });
      expect(r.body.grouping).toMatchObject({ mode: 'allEntities', lookbackMinutes: 300, reopenClosed: false });
      const [first] = await ingest(timed(0, { analyticsRuleName: r.name, entities: [alice, host1] }));
      expect(first!.outcome).toBe('new');
      // same entities in another order and spelling case, 4h59 later → same incident
      const [second] = await ingest(
        timed(299, {
          analyticsRuleName: r.name,
          entities: [
            { ...host1, hostName: 'WEB01' },
            { ...alice, accountName: 'Alice' },
          ],
        }),
      );
      expect(second).toMatchObject({ outcome: 'grouped', incidentId: first!.incidentId, incidentNumber: first!.incidentNumber });
      expect((await incident(first!.incidentNumber!)).alertCount).toBe(2);
    });

    it('starts a new incident 6 h after the first alert, measured on the alert times', async () => {
      const r = await rule({ mode: 'allEntities' });
      const [first] = await ingest(timed(0, { analyticsRuleName: r.name, entities: [alice] }));
      const [late] = await ingest(timed(360, { analyticsRuleName: r.name, entities: [alice] }));
      expect(late!.outcome).toBe('new');
      expect(late!.incidentId).not.toBe(first!.incidentId);
      // an alert with only startTime uses it
      const [viaStart] = await ingest(
        alert({ analyticsRuleName: r.name, entities: [alice], startTime: at(10), endTime: undefined }),
      );
      expect(viaStart).toMatchObject({ outcome: 'grouped', incidentId: first!.incidentId });
      // endTime wins over startTime: started inside the first window but ended 7 h later
      const [viaEnd] = await ingest(alert({ analyticsRuleName: r.name, entities: [alice], startTime: at(20), endTime: at(420) }));
      expect(viaEnd!.incidentId).not.toBe(first!.incidentId);
      expect(viaEnd).toMatchObject({ outcome: 'grouped', incidentId: late!.incidentId });
    });

    it('honours a custom lookback', async () => {
      const r = await rule({ mode: 'allEntities', lookbackMinutes: 60 });
      const [a, b, c] = await ingest(
        timed(0, { analyticsRuleName: r.name, entities: [ip1] }),
        timed(60, { analyticsRuleName: r.name, entities: [ip1] }),
        timed(61, { analyticsRuleName: r.name, entities: [ip1] }),
      );
      expect(b!.incidentId).toBe(a!.incidentId);
      expect(c!.incidentId).not.toBe(a!.incidentId);
    });

    it('starts a new incident when the entities differ (a subset is not a match)', async () => {
      const r = await rule({ mode: 'allEntities' });
      const [a, b, c] = await ingest(
        timed(0, { analyticsRuleName: r.name, entities: [alice, host1] }),
        timed(1, { analyticsRuleName: r.name, entities: [alice] }),
        timed(2, { analyticsRuleName: r.name, entities: [alice, host2] }),
      );
      expect(new Set([a!.incidentId, b!.incidentId, c!.incidentId]).size).toBe(3);
    });

    it('groups within one batch, interleaved', async () => {
      const r = await rule({ mode: 'allEntities' });
      const results = await ingest(
        timed(0, { analyticsRuleName: r.name, entities: [alice] }),
        timed(1, { analyticsRuleName: r.name, entities: [bob] }),
        timed(2, { analyticsRuleName: r.name, entities: [alice] }),
        timed(3, { analyticsRuleName: r.name, entities: [bob] }),
      );
      expect(results.map((x) => x.outcome)).toEqual(['new', 'new', 'grouped', 'grouped']);
      expect(results[2]!.incidentId).toBe(results[0]!.incidentId);
      expect(results[3]!.incidentId).toBe(results[1]!.incidentId);
      expect(results[0]!.incidentId).not.toBe(results[1]!.incidentId);
      expect(results[2]!.incidentNumber).toBe(results[0]!.incidentNumber);
      expect((await incident(results[0]!.incidentNumber!)).alertCount).toBe(2);
      expect((await incident(results[1]!.incidentNumber!)).alertCount).toBe(2);
    });

    it('groups alerts naming the rule by its analyticsRuleId (externalId)', async () => {
      const externalId = randomUUID();
      await rule({ mode: 'allEntities' }, { externalId });
      const [a, b] = await ingest(
        timed(0, { analyticsRuleId: externalId, entities: [alice] }),
        timed(5, { analyticsRuleId: externalId, analyticsRuleName: 'another display name', entities: [alice] }),
      );
      expect(b).toMatchObject({ outcome: 'grouped', incidentId: a!.incidentId });
    });
  });

  describe('other modes', () => {
    it('selected entity kinds: groups on accounts only', async () => {
      const r = await rule({ mode: 'selected', entityKinds: ['Account'] });
      const [a, b, c] = await ingest(
        timed(0, { analyticsRuleName: r.name, entities: [alice, host1] }),
        timed(5, { analyticsRuleName: r.name, entities: [alice, host2, ip1] }),
        timed(6, { analyticsRuleName: r.name, entities: [bob, host1] }),
      );
      expect(b).toMatchObject({ outcome: 'grouped', incidentId: a!.incidentId });
      expect(c!.outcome).toBe('new');
      expect(c!.incidentId).not.toBe(a!.incidentId);
    });

    it('selected custom details: groups on the detail values', async () => {
      const r = await rule({ mode: 'selected', customDetailKeys: ['Campaign'] });
      const [a, b, c] = await ingest(
        timed(0, { analyticsRuleName: r.name, entities: [alice], customDetails: { Campaign: 'Storm-1', Other: 'x' } }),
        timed(5, { analyticsRuleName: r.name, entities: [bob], customDetails: { Campaign: ['Storm-1'], Other: 'y' } }),
        timed(6, { analyticsRuleName: r.name, entities: [alice], customDetails: { Campaign: 'Storm-2' } }),
      );
      expect(b).toMatchObject({ outcome: 'grouped', incidentId: a!.incidentId });
      expect(c!.incidentId).not.toBe(a!.incidentId);
      const stored = await t.get(t.ws(`/alerts/${a!.id}`));
      expect(stored.body.customDetails).toEqual({ Campaign: ['Storm-1'], Other: ['x'] });
    });

    it('anyAlert: groups every alert of the rule in the window, whatever the entities', async () => {
      const r = await rule({ mode: 'anyAlert' });
      const [a, b, c] = await ingest(
        timed(0, { analyticsRuleName: r.name, entities: [alice] }),
        timed(10, { analyticsRuleName: r.name, entities: [bob, host2] }),
        timed(20, { analyticsRuleName: r.name, entities: [] }),
      );
      expect(b!.incidentId).toBe(a!.incidentId);
      expect(c!.incidentId).toBe(a!.incidentId);
      expect((await incident(a!.incidentNumber!)).alertCount).toBe(3);
    });

    it('none: one incident per alert, even with identical entities', async () => {
      const r = await rule({ mode: 'none' });
      const results = await ingest(
        timed(0, { analyticsRuleName: r.name, entities: [alice] }),
        timed(0, { analyticsRuleName: r.name, entities: [alice] }),
      );
      expect(results.map((x) => x.outcome)).toEqual(['new', 'new']);
      expect(results[0]!.incidentId).not.toBe(results[1]!.incidentId);
    });

    it('alerts of different rules never group, even with identical entities', async () => {
      const r1 = await rule({ mode: 'anyAlert' });
      const r2 = await rule({ mode: 'anyAlert' });
      const [a, b, c] = await ingest(
        timed(0, { analyticsRuleName: r1.name, entities: [alice] }),
        timed(1, { analyticsRuleName: r2.name, entities: [alice] }),
        timed(2, { entities: [alice] }),
      );
      expect(new Set([a!.incidentId, b!.incidentId, c!.incidentId]).size).toBe(3);
    });

    it('a rule whose grouping is changed by PATCH groups from then on', async () => {
      const r = await rule({ mode: 'none' });
      const [a] = await ingest(timed(0, { analyticsRuleName: r.name }));
      const patched = await t.patch(t.ws(`/analytics-rules/${r.id}`), { grouping: { mode: 'anyAlert' } });
      expect(patched.status).toBe(200);
      const [b] = await ingest(timed(1, { analyticsRuleName: r.name }));
      const [c] = await ingest(timed(2, { analyticsRuleName: r.name }));
      expect(b!.incidentId).not.toBe(a!.incidentId);
      expect(c).toMatchObject({ outcome: 'grouped', incidentId: b!.incidentId });
    });
  });

  describe('closed incidents', () => {
    async function close(number: number) {
      const res = await t.patch(t.ws(`/incidents/${number}`), {
        status: 'Closed',
        classification: 'FalsePositive',
        classificationReason: 'InaccurateData',
        classificationComment: 'test noise',
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('Closed');
    }

    it('reopenClosed=true: a matching closed incident is re-opened (Active) and its alerts re-activated', async () => {
      const r = await rule({ mode: 'allEntities', reopenClosed: true });
      const [a] = await ingest(timed(0, { analyticsRuleName: r.name, entities: [alice] }));
      await close(a!.incidentNumber!);
      expect((await t.get(t.ws(`/alerts/${a!.id}`))).body.status).toBe('Resolved');
      const [b] = await ingest(timed(30, { analyticsRuleName: r.name, entities: [alice] }));
      expect(b).toMatchObject({ outcome: 'grouped', incidentId: a!.incidentId, incidentNumber: a!.incidentNumber });
      const reopened = await incident(a!.incidentNumber!);
      expect(reopened).toMatchObject({ status: 'Active', closedAt: null, alertCount: 2 });
      expect((await t.get(t.ws(`/alerts/${a!.id}`))).body.status).not.toBe('Resolved');
      const log = await t.get(t.ws(`/incidents/${a!.incidentNumber}/activity`));
      const entry = log.body.items.find((e: any) => e.action === 'alertsAdded');
      expect(entry.actor).toMatchObject({ type: 'system' });
      expect(entry.changes).toContainEqual(expect.objectContaining({ field: 'status', from: 'Closed', to: 'Active' }));
    });

    it('reopenClosed=false: a new incident is made and the closed one stays closed', async () => {
      const r = await rule({ mode: 'allEntities', reopenClosed: false });
      const [a] = await ingest(timed(0, { analyticsRuleName: r.name, entities: [alice] }));
      await close(a!.incidentNumber!);
      const [b, c] = await ingest(
        timed(30, { analyticsRuleName: r.name, entities: [alice] }),
        timed(31, { analyticsRuleName: r.name, entities: [alice] }),
      );
      expect(b!.outcome).toBe('new');
      expect(b!.incidentId).not.toBe(a!.incidentId);
      expect(c).toMatchObject({ outcome: 'grouped', incidentId: b!.incidentId });
      expect(await incident(a!.incidentNumber!)).toMatchObject({ status: 'Closed', alertCount: 1 });
    });
  });

  describe('150 alerts per incident', () => {
    it('the 151st alert of one batch starts a new incident', async () => {
      const r = await rule({ mode: 'anyAlert' });
      const results = await ingest(
        ...Array.from({ length: 151 }, (_, i) => timed(i % 60, { analyticsRuleName: r.name, entities: [alice] })),
      );
      expect(results[0]!.outcome).toBe('new');
      expect(results.slice(1, 150).every((x) => x.outcome === 'grouped' && x.incidentId === results[0]!.incidentId)).toBe(true);
      expect(results[150]!.outcome).toBe('new');
      expect(results[150]!.incidentId).not.toBe(results[0]!.incidentId);
      expect((await incident(results[0]!.incidentNumber!)).alertCount).toBe(150);
      expect((await incident(results[150]!.incidentNumber!)).alertCount).toBe(1);
      const entities = await t.get(t.ws(`/incidents/${results[0]!.incidentNumber}/entities`));
      expect(entities.body.items).toHaveLength(1);
      expect(entities.body.items[0].alertCount).toBe(150);
    });

    it('the 151st alert across requests starts a new incident', async () => {
      const r = await rule({ mode: 'anyAlert' });
      const first = await ingest(...Array.from({ length: 100 }, (_, i) => timed(i % 60, { analyticsRuleName: r.name })));
      const second = await ingest(...Array.from({ length: 51 }, (_, i) => timed(i % 60, { analyticsRuleName: r.name })));
      expect(new Set(first.map((x) => x.incidentId)).size).toBe(1);
      expect(second.slice(0, 50).every((x) => x.outcome === 'grouped' && x.incidentId === first[0]!.incidentId)).toBe(true);
      expect(second[50]!.outcome).toBe('new');
      expect(second[50]!.incidentId).not.toBe(first[0]!.incidentId);
      const [third] = await ingest(timed(1, { analyticsRuleName: r.name }));
      expect(third).toMatchObject({ outcome: 'grouped', incidentId: second[50]!.incidentId });
      expect((await incident(first[0]!.incidentNumber!)).alertCount).toBe(150);
      expect((await incident(second[50]!.incidentNumber!)).alertCount).toBe(2);
    });
  });

  describe('concurrent requests', () => {
    it('concurrent alerts of one rule join one incident; incident numbers stay unique', async () => {
      const r = await rule({ mode: 'anyAlert' });
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => t.post(t.ws('/alerts'), timed(i, { analyticsRuleName: r.name }))),
      );
      expect(responses.map((x) => x.status)).toEqual(Array(10).fill(201));
      const results = responses.map((x) => x.body.results[0]);
      expect(new Set(results.map((x: any) => x.incidentId)).size).toBe(1);
      expect(results.filter((x: any) => x.outcome === 'new')).toHaveLength(1);
      expect((await incident(results[0].incidentNumber)).alertCount).toBe(10);

      const others = await Promise.all(Array.from({ length: 8 }, () => t.post(t.ws('/alerts'), alert())));
      const numbers = others.map((x) => x.body.results[0].incidentNumber);
      expect(new Set(numbers).size).toBe(8);
    });

    it('the same alert sent concurrently is stored once', async () => {
      const body = alert({ sourceAlertId: `concurrent-${randomUUID()}` });
      const responses = await Promise.all(Array.from({ length: 6 }, () => t.post(t.ws('/alerts'), body)));
      expect(responses.every((x) => x.status === 200 || x.status === 201)).toBe(true);
      const results = responses.map((x) => x.body.results[0]);
      expect(results.filter((x: any) => x.outcome === 'new')).toHaveLength(1);
      expect(results.filter((x: any) => x.outcome === 'duplicate')).toHaveLength(5);
      expect(new Set(results.map((x: any) => x.id)).size).toBe(1);
    });
  });
});
