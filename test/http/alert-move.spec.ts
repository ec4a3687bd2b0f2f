import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { userWithToken } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const alice = { kind: 'Account', accountName: 'alice', upnSuffix: 'contoso.com' };
const bob = { kind: 'Account', accountName: 'bob', upnSuffix: 'contoso.com' };
const web01 = { kind: 'Host', hostName: 'web01', dnsDomain: 'contoso.com' };

describeEachDialect('adding an alert to an incident', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t.close());

  const unique = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;
  async function rule(body: Record<string, unknown> = {}) {
    const res = await t.post(t.ws('/analytics-rules'), { name: unique('move rule'), ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; name: string };
  }
  async function ingest(...alerts: Record<string, unknown>[]) {
    const res = await t.post(t.ws('/alerts'), { alerts });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.results as { id: string; incidentId: string | null; incidentNumber: number | null }[];
  }
  const move = (incident: string | number, alertId: string, token?: string) =>
    t.post(t.ws(`/incidents/${incident}/alerts`), { alertId }, { token });
  const incident = async (ref: string | number) => (await t.get(t.ws(`/incidents/${ref}`))).body;
  const activity = async (ref: string | number) => (await t.get(t.ws(`/incidents/${ref}/activity`))).body.items as any[];
  const entities = async (ref: string | number) =>
    Object.fromEntries(
      ((await t.get(t.ws(`/incidents/${ref}/entities`))).body.items as any[]).map((e) => [e.name.split('@')[0], e.alertCount]),
    );
  const queue = async (query: string) =>
    ((await t.get(t.ws(`/incidents?${query}&limit=500`))).body.items as any[]).map((i) => i.number).sort();
  /** The counters (unfiltered) and a count over the rows (a filter matching everything); they must agree. */
  async function counts() {
    const counters = (await t.get(t.ws('/incidents/counts'))).body;
    const rows = (await t.get(t.ws('/incidents/counts?createdFrom=2000-01-01T00:00:00Z'))).body;
    expect(counters).toEqual(rows);
    return counters.bySeverity as Record<string, number>;
  }

  it('moves an alert between incidents: both incidents, entities, activity, queue filters and counts follow', async () => {
    const [p1, p2, p3, tag] = [unique('Defender for Endpoint'), unique('Entra ID'), unique('Defender for Office'), unique('tag')];
    const [r1, r2] = [await rule({ grouping: { mode: 'anyAlert' } }), await rule()];
    const [moving, staying] = await ingest(
      alert({
        title: 'Ransomware on web01',
        productName: p1,
        analyticsRuleName: r1.name,
        severity: 'High',
        tactics: ['Execution'],
        techniques: ['T1486'],
        tags: [tag],
        startTime: '2026-11-01T10:00:00Z',
        endTime: '2026-11-01T10:05:00Z',
        entities: [web01, alice],
      }),
      alert({
        title: 'Mailbox rule',
        productName: p3,
        analyticsRuleName: r1.name,
        severity: 'Low',
        tactics: ['Persistence'],
        startTime: '2026-11-01T09:00:00Z',
        endTime: '2026-11-01T09:30:00Z',
        entities: [bob],
      }),
    );
    const [other] = await ingest(
      alert({
        title: 'Risky sign-in',
        productName: p2,
        analyticsRuleName: r2.name,
        severity: 'Medium',
        tactics: ['InitialAccess'],
        startTime: '2026-11-01T11:00:00Z',
        endTime: '2026-11-01T11:10:00Z',
        entities: [alice],
      }),
    );
    const [from, to] = [moving!.incidentNumber!, other!.incidentNumber!];
    expect(staying!.incidentNumber).toBe(from);
    const [fromBefore, toBefore] = [await incident(from), await incident(to)];
    expect(fromBefore).toMatchObject({ alertCount: 2, severity: 'High', title: expect.stringMatching(/^Multi-stage/) });
    const severities = await counts();

    const res = await move(to, moving!.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: moving!.id, incidentId: other!.incidentId, title: 'Ransomware on web01' });

    const target = await incident(to);
    expect(target).toMatchObject({
      alertCount: 2,
      severity: 'High',
      title: 'Multi-stage incident involving 2 alerts on host web01 reported by multiple sources',
      alertProductNames: [p2, p1],
      analyticsRuleIds: [r2.id, r1.id],
      tactics: ['InitialAccess', 'Execution'],
      techniques: ['T1486'],
      systemTags: [tag],
      firstActivityTime: '2026-11-01T10:00:00.000Z',
      lastActivityTime: '2026-11-01T11:10:00.000Z',
    });
    const source = await incident(from);
    expect(source).toMatchObject({
      alertCount: 1,
      severity: 'Low',
      title: 'Mailbox rule',
      alertProductNames: [p3],
      analyticsRuleIds: [r1.id],
      tactics: ['Persistence'],
      techniques: [],
      systemTags: [],
      firstActivityTime: '2026-11-01T09:00:00.000Z',
      lastActivityTime: '2026-11-01T09:30:00.000Z',
    });
    expect(target.etag).not.toBe(toBefore.etag);
    expect(source.etag).not.toBe(fromBefore.etag);

    // Entities: de-duplicated on the target; the source keeps its own, uncounted.
    expect(await entities(to)).toEqual({ alice: 2, web01: 1 });
    expect(await entities(from)).toEqual({ alice: 0, bob: 1, web01: 0 });
    const stored = (await t.get(t.ws(`/alerts/${moving!.id}`))).body;
    const targetEntityIds = ((await t.get(t.ws(`/incidents/${to}/entities`))).body.items as any[]).map((e) => e.id);
    expect(stored.entities.map((e: any) => e.id).sort()).toEqual([...targetEntityIds].sort());
    expect((await t.get(t.ws(`/incidents/${to}/alerts`))).body.items.map((a: any) => a.id)).toContain(moving!.id);
    expect((await t.get(t.ws(`/incidents/${from}/alerts`))).body.items.map((a: any) => a.id)).toEqual([staying!.id]);

    // Activity on both, by the person who moved it.
    const [added] = await activity(to);
    expect(added).toMatchObject({ action: 'alertsAdded', actor: { type: 'user', id: t.adminId } });
    expect(added.changes).toEqual(
      expect.arrayContaining([
        { field: 'alerts', from: null, to: [{ id: moving!.id, title: 'Ransomware on web01' }] },
        { field: 'severity', from: 'Medium', to: 'High' },
      ]),
    );
    const [removed] = await activity(from);
    expect(removed).toMatchObject({ action: 'alertsRemoved', actor: { type: 'user', id: t.adminId } });
    expect(removed.changes).toEqual(
      expect.arrayContaining([
        { field: 'alerts', from: [{ id: moving!.id, title: 'Ransomware on web01' }], to: null },
        { field: 'severity', from: 'High', to: 'Low' },
      ]),
    );

    // The queue's filters and counters follow both incidents.
    expect(await queue(`product=${encodeURIComponent(p1)}`)).toEqual([to]);
    expect(await queue(`product=${encodeURIComponent(p3)}`)).toEqual([from]);
    expect(await queue(`analyticsRule=${r1.id}`)).toEqual([from, to].sort());
    expect(await queue(`analyticsRule=${r2.id}`)).toEqual([to]);
    expect(await queue(`tag=${encodeURIComponent(tag)}`)).toEqual([to]);
    expect(await queue(`severity=High&product=${encodeURIComponent(p1)},${encodeURIComponent(p3)}`)).toEqual([to]);
    expect(await counts()).toEqual({ ...severities, Medium: severities.Medium! - 1, Low: severities.Low! + 1 });
  });

  it('moves an alert that has no incident; an incident left empty keeps its entities', async () => {
    const silent = await rule({ createsIncidents: false });
    const [loose] = await ingest(alert({ analyticsRuleName: silent.name, severity: 'High', entities: [alice, bob] }));
    expect(loose!.incidentId).toBeNull();
    const product = unique('Sentinel');
    const [only] = await ingest(alert({ productName: product, severity: 'Low', entities: [alice] }));
    const n = only!.incidentNumber!;

    const res = await move(n, loose!.id);
    expect(res.status).toBe(200);
    expect(res.body.incidentId).toBe(only!.incidentId);
    expect(await incident(n)).toMatchObject({ alertCount: 2, severity: 'High', analyticsRuleIds: [silent.id] });
    expect(await entities(n)).toEqual({ alice: 2, bob: 1 });
    expect((await activity(n))[0]).toMatchObject({ action: 'alertsAdded' });

    // Moving the incident's first alert away leaves it empty.
    const [elsewhere] = await ingest(alert({ severity: 'Informational', entities: [] }));
    expect((await move(elsewhere!.incidentNumber!, only!.id)).status).toBe(200);
    expect(await incident(n)).toMatchObject({
      alertCount: 1,
      severity: 'High',
      alertProductNames: ['Microsoft Entra ID Protection'],
    });
    expect((await move(elsewhere!.incidentNumber!, loose!.id)).status).toBe(200);
    expect(await incident(n)).toMatchObject({
      alertCount: 0,
      severity: 'Informational',
      alertProductNames: [],
      analyticsRuleIds: [],
      firstActivityTime: null,
      lastActivityTime: null,
    });
    expect(await entities(n)).toEqual({ alice: 0, bob: 0 });
    expect(await queue(`product=${encodeURIComponent(product)}`)).toEqual([elsewhere!.incidentNumber]);
    await counts();
  });

  it('moving an alert into the incident it is in changes nothing', async () => {
    const [a] = await ingest(alert());
    const before = await incident(a!.incidentNumber!);
    const log = await activity(a!.incidentNumber!);
    const alertBefore = (await t.get(t.ws(`/alerts/${a!.id}`))).body;
    const res = await move(a!.incidentId!, a!.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: a!.id, incidentId: a!.incidentId, etag: alertBefore.etag });
    expect(await incident(a!.incidentNumber!)).toEqual(before);
    expect(await activity(a!.incidentNumber!)).toEqual(log);
  });

  it('a closed incident stays closed and resolves the alert; a pinned severity stays', async () => {
    const [closed, open] = await ingest(alert({ severity: 'Low' }), alert({ severity: 'High' }));
    const patch = await t.patch(t.ws(`/incidents/${closed!.incidentNumber}`), {
      status: 'Closed',
      severity: 'Low',
      classification: 'BenignPositive',
    });
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);
    const res = await move(closed!.incidentNumber!, open!.id);
    expect(res.body).toMatchObject({ incidentId: closed!.incidentId, status: 'Resolved' });
    expect(await incident(closed!.incidentNumber!)).toMatchObject({ status: 'Closed', severity: 'Low', alertCount: 2 });
    await counts();
  });

  it('runs incident-updated automation rules on the target with "Alerts added", not on the source', async () => {
    const ar = await rule();
    const label = unique('moved-in').replace(' ', '-');
    const created = await t.post(t.ws('/automation-rules'), {
      name: unique('on alerts added'),
      order: 10,
      trigger: 'incidentUpdated',
      analyticsRuleIds: [ar.id],
      conditions: [
        { type: 'propertyArrayChanged', array: 'Alerts', change: 'Added' },
        { type: 'property', property: 'IncidentUpdatedBySource', operator: 'Equals', values: ['User'] },
      ],
      actions: [{ type: 'addTags', tags: [label] }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [a, b] = await ingest(alert({ analyticsRuleName: ar.name }), alert({ analyticsRuleName: ar.name }));
    expect((await incident(b!.incidentNumber!)).tags).toEqual([]);
    const res = await move(b!.incidentNumber!, a!.id);
    expect(res.status).toBe(200);
    expect((await incident(b!.incidentNumber!)).tags).toEqual([label]);
    expect((await incident(a!.incidentNumber!)).tags).toEqual([]);
    const [latest] = await activity(b!.incidentNumber!);
    expect(latest).toMatchObject({ action: 'incidentUpdated', actor: { type: 'automationRule' } });
  });

  describe('refusals', () => {
    it('404 for an unknown alert or incident, 400 without an alertId; nothing changes', async () => {
      const [a] = await ingest(alert());
      const before = await incident(a!.incidentNumber!);
      const unknownAlert = await move(a!.incidentNumber!, 'no-such-alert');
      expect(unknownAlert.status).toBe(404);
      expect(unknownAlert.body.error.message).toContain('no-such-alert');
      expect((await move(999_999, a!.id)).status).toBe(404);
      expect((await move('no-such-incident', a!.id)).status).toBe(404);
      expect((await t.post(t.ws(`/incidents/${a!.incidentNumber}/alerts`), {})).status).toBe(400);
      expect(await incident(a!.incidentNumber!)).toEqual(before);
    });

    it('403 for a Reader', async () => {
      const reader = await userWithToken(t, `Reader${randomUUID().slice(0, 6)}`, 'Reader');
      const [a, b] = await ingest(alert(), alert());
      const res = await move(b!.incidentNumber!, a!.id, reader.token);
      expect(res.status).toBe(403);
      expect((await t.get(t.ws(`/alerts/${a!.id}`))).body.incidentId).toBe(a!.incidentId);
    });

    it('422 when the incident already holds 150 alerts', async () => {
      const full = await rule({ grouping: { mode: 'anyAlert' } });
      const results = await ingest(...Array.from({ length: 150 }, () => alert({ analyticsRuleName: full.name })));
      expect(new Set(results.map((r) => r.incidentId)).size).toBe(1);
      const [extra] = await ingest(alert());
      const res = await move(results[0]!.incidentNumber!, extra!.id);
      expect(res.status).toBe(422);
      expect(res.body.error.message).toContain('150');
    });
  });
});
