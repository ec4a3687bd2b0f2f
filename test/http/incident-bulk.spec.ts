import { afterAll, beforeAll, expect, it } from 'vitest';
import { alert, incidentBody } from '../support/fixtures.js';
import { createUser, type TestUser } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

describeEachDialect('incident bulk changes', (dialect) => {
  let t: TestApp;
  let analyst: TestUser;
  const admin = () => ({ type: 'user', id: t.adminId, name: 'Administrator' });

  beforeAll(async () => {
    t = await startTestApp(dialect);
    analyst = await createUser(t, { email: 'bulk.analyst@example.test', name: 'Bulk Analyst', role: 'Responder' });
  });
  afterAll(() => t.close());

  const create = async (overrides: Record<string, unknown> = {}) => {
    const res = await t.post(t.ws('/incidents'), incidentBody(overrides));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const three = () =>
    Promise.all([create({ title: 'One' }), create({ title: 'Two', tags: ['keep'] }), create({ title: 'Three' })]);
  const get = async (ref: string | number) => (await t.get(t.ws(`/incidents/${ref}`))).body;
  const activity = async (ref: string | number) => (await t.get(t.ws(`/incidents/${ref}/activity?limit=500`))).body.items;
  const bulk = (body: unknown) => t.post(t.ws('/incidents/bulk'), body);

  it('applies owner, severity and tags to 3 incidents, with a result and an activity entry for each', async () => {
    const incidents = await three();
    const res = await bulk({
      ids: [incidents[0].id, incidents[1].number, String(incidents[2].number)],
      changes: { owner: { email: analyst.email }, severity: 'High', addTags: ['Campaign-42', 'KEEP'] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ succeeded: 3, failed: 0 });
    for (const [index, incident] of incidents.entries()) {
      const result = res.body.results[index];
      expect(result).toMatchObject({ id: incident.id, number: incident.number, ok: true });
      expect(result.changed).toEqual(expect.arrayContaining(['owner', 'severity', 'tags']));
      const now = await get(incident.number);
      expect(now).toMatchObject({ severity: 'High', owner: { type: 'user', id: analyst.id, name: analyst.name } });
      expect(now.tags).toEqual(index === 1 ? ['keep', 'Campaign-42'] : ['Campaign-42', 'KEEP']);
      expect(result.etag).toBe(now.etag);
      expect(now.etag).not.toBe(incident.etag);
      const [entry] = await activity(incident.number);
      expect(entry).toMatchObject({ action: 'incidentUpdated', actor: admin() });
      expect(entry.changes).toEqual(
        expect.arrayContaining([
          { field: 'severity', from: 'Medium', to: 'High' },
          { field: 'owner', from: null, to: expect.objectContaining({ type: 'user', id: analyst.id }) },
          { field: 'tags', from: incident.tags, to: now.tags },
        ]),
      );
    }
  });

  it('removes tags in bulk, ignoring case', async () => {
    const incidents = await Promise.all([create({ tags: ['noise', 'x'] }), create({ tags: ['Noise'] }), create({ tags: ['y'] })]);
    const res = await bulk({ ids: incidents.map((i) => i.id), changes: { removeTags: ['NOISE'] } });
    expect(res.body.succeeded).toBe(3);
    expect(res.body.results.map((r: any) => r.changed)).toEqual([['tags'], ['tags'], []]);
    expect((await Promise.all(incidents.map((i) => get(i.id)))).map((i) => i.tags)).toEqual([['x'], [], ['y']]);
    expect(await activity(incidents[2].id)).toHaveLength(1);
  });

  it('closes 3 incidents with a classification and a resolution note, recorded on each', async () => {
    const incidents = await three();
    const note = 'Known pen test, ticket SEC-991';
    const res = await bulk({
      ids: incidents.map((i) => i.number),
      changes: {
        status: 'Closed',
        classification: 'BenignPositive',
        determination: 'SecurityTesting',
        classificationComment: note,
      },
    });
    expect(res.body).toMatchObject({ succeeded: 3, failed: 0 });
    for (const incident of incidents) {
      expect(await get(incident.id)).toMatchObject({
        status: 'Closed',
        classification: 'BenignPositive',
        classificationReason: 'SuspiciousButExpected',
        determination: 'SecurityTesting',
        classificationComment: note,
        closedAt: expect.any(String),
      });
      const [entry] = await activity(incident.id);
      expect(entry.actor).toEqual(admin());
      expect(entry.changes).toEqual(
        expect.arrayContaining([
          { field: 'status', from: 'New', to: 'Closed' },
          { field: 'classification', from: null, to: 'BenignPositive' },
          { field: 'classificationComment', from: null, to: note },
        ]),
      );
    }
  });

  it('cascades to the alerts of each incident', async () => {
    const ingested = await t.post(t.ws('/alerts'), { alerts: [alert({ title: 'A' }), alert({ title: 'B' })] });
    const numbers = ingested.body.results.map((r: any) => r.incidentNumber);
    const res = await bulk({
      ids: numbers,
      changes: { owner: { email: analyst.email }, status: 'Closed', classification: 'FalsePositive' },
    });
    expect(res.body.succeeded).toBe(2);
    for (const number of numbers) {
      const [only] = (await t.get(t.ws(`/incidents/${number}/alerts`))).body.items;
      expect(only).toMatchObject({ status: 'Resolved', owner: expect.objectContaining({ id: analyst.id }) });
    }
  });

  it('reports an unknown id as failed and applies the change to the others', async () => {
    const incidents = await three();
    const res = await bulk({
      ids: [incidents[0].id, 'no-such-incident', incidents[1].number, incidents[2].id],
      changes: { severity: 'Low' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ succeeded: 3, failed: 1 });
    expect(res.body.results.map((r: any) => r.ok)).toEqual([true, false, true, true]);
    expect(res.body.results[1]).toMatchObject({ id: 'no-such-incident', number: null, error: { code: 'not_found' } });
    for (const incident of incidents) expect((await get(incident.id)).severity).toBe('Low');
  });

  it('reports an unknown number as failed', async () => {
    const incident = await create();
    const res = await bulk({ ids: [999_999, incident.number], changes: { severity: 'Informational' } });
    expect(res.body).toMatchObject({ succeeded: 1, failed: 1 });
    expect(res.body.results[0]).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('fails per incident when closing without a classification', async () => {
    const [plain, classified, other] = await three();
    await t.patch(t.ws(`/incidents/${classified.number}`), { classification: 'TruePositive' });
    const res = await bulk({ ids: [plain.id, classified.id, other.id], changes: { status: 'Closed' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ succeeded: 1, failed: 2 });
    expect(res.body.results.map((r: any) => [r.ok, r.error?.code])).toEqual([
      [false, 'rule_violation'],
      [true, undefined],
      [false, 'rule_violation'],
    ]);
    expect(res.body.results[0].error.message).toContain('classification');
    expect((await get(classified.id)).status).toBe('Closed');
    for (const untouched of [plain, other]) {
      expect(await get(untouched.id)).toEqual(untouched);
      expect(await activity(untouched.id)).toHaveLength(1);
    }
  });

  it('rejects more than 1,000 ids with 400 and changes nothing', async () => {
    const incident = await create();
    const ids = [incident.id, ...Array.from({ length: 1000 }, (_, i) => i + 1_000_000)];
    const res = await bulk({ ids, changes: { severity: 'High' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('ids');
    expect(res.body.error.message).toContain('1000');
    expect(await get(incident.id)).toEqual(incident);
  });

  it.each([
    ['no ids', { ids: [], changes: { severity: 'High' } }, 'ids'],
    ['no change', { ids: ['x'], changes: {} }, 'changes'],
    ['a field bulk does not change', { ids: ['x'], changes: { title: 'Renamed' } }, 'title'],
    ['a wrong severity', { ids: ['x'], changes: { severity: 'Critical' } }, 'changes.severity'],
  ])('rejects %s with 400', async (_name, body, field) => {
    const res = await bulk(body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.details)).toContain(field);
  });

  it('rejects an unknown owner with 422 and changes none of the incidents', async () => {
    const incidents = await three();
    const res = await bulk({
      ids: incidents.map((i) => i.id),
      changes: { owner: { email: 'ghost@example.test' }, severity: 'High' },
    });
    expect(res.status).toBe(422);
    for (const incident of incidents) expect(await get(incident.id)).toEqual(incident);
  });
});
