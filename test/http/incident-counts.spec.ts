import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { alert, incidentBody } from '../support/fixtures.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** The real counts, from the incidents table itself. */
async function trueCounts(t: TestApp) {
  const rows = await sql<{ status: string; severity: string; n: number }>`
    select status, severity, count(*) as n from incidents where workspace_id = 'default' group by status, severity`.execute(
    t.app.storage.db,
  );
  const byStatus: Record<string, number> = { New: 0, Active: 0, Closed: 0 };
  const bySeverity: Record<string, number> = { High: 0, Medium: 0, Low: 0, Informational: 0 };
  let total = 0;
  for (const row of rows.rows) {
    byStatus[row.status]! += Number(row.n);
    bySeverity[row.severity]! += Number(row.n);
    total += Number(row.n);
  }
  return { total, byStatus, bySeverity };
}

describeEachDialect('incident counts stay exact through every kind of change', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t.close());

  it('matches the incidents table after creation, edits, bulk changes, grouping and re-opening', async () => {
    const rule = (
      await t.post(t.ws('/analytics-rules'), { name: 'counts-rule', grouping: { mode: 'anyAlert', reopenClosed: true } })
    ).body;
    await t.post(t.ws('/incidents'), incidentBody({ severity: 'Low' }));
    const manual = (await t.post(t.ws('/incidents'), incidentBody({ severity: 'High', status: 'Active' }))).body;
    await t.post(t.ws('/alerts'), { alerts: [alert({ severity: 'Low' }), alert({ severity: 'Informational' })] });
    const grouped = await t.post(t.ws('/alerts'), alert({ analyticsRuleName: rule.name, severity: 'Low' }));
    const groupedNumber = grouped.body.results[0].incidentNumber;
    expect((await t.get(t.ws('/incidents/counts'))).body).toEqual(await trueCounts(t));

    await t.patch(t.ws(`/incidents/${manual.number}`), { severity: 'Medium', status: 'Closed', classification: 'FalsePositive' });
    await t.post(t.ws('/incidents/bulk'), { ids: [1, 3], changes: { status: 'Active', severity: 'High' } });
    // A High alert raises the grouped incident's severity; closing then re-opening it through grouping moves it again.
    await t.post(t.ws('/alerts'), alert({ analyticsRuleName: rule.name, severity: 'High' }));
    await t.patch(t.ws(`/incidents/${groupedNumber}`), { status: 'Closed', classification: 'TruePositive' });
    expect((await t.get(t.ws('/incidents/counts'))).body).toEqual(await trueCounts(t));
    await t.post(t.ws('/alerts'), alert({ analyticsRuleName: rule.name, severity: 'Medium' }));

    const counts = (await t.get(t.ws('/incidents/counts'))).body;
    expect(counts).toEqual(await trueCounts(t));
    expect(counts.byStatus.Closed).toBe(1);
    const open = (await t.get(t.ws('/incidents/counts?status=New,Active&severity=High'))).body;
    const listed = (await t.get(t.ws('/incidents?status=New,Active&severity=High&limit=500'))).body.items;
    expect(open.total).toBe(listed.length);

    // Owner filters are answered from the counters too: assign, re-assign and unassign, then compare.
    const [first, second] = (await t.get(t.ws('/incidents?sort=number&order=asc&limit=2'))).body.items;
    await t.post(t.ws('/incidents/bulk'), { ids: [first.id, second.id], changes: { owner: { id: t.adminId } } });
    await t.patch(t.ws(`/incidents/${second.number}`), { owner: null, severity: 'Low' });
    for (const owner of [t.adminId, 'unassigned', `${t.adminId},unassigned`]) {
      const counted = (await t.get(t.ws(`/incidents/counts?owner=${owner}`))).body;
      const all = (await t.get(t.ws(`/incidents?owner=${owner}&limit=500`))).body.items;
      expect(counted.total).toBe(all.length);
      expect(counted.bySeverity.Low).toBe(all.filter((i: { severity: string }) => i.severity === 'Low').length);
    }
  });
});
