import { afterAll, beforeAll, expect, it } from 'vitest';
import { alert, incidentBody } from '../support/fixtures.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

describeEachDialect('activity log', (dialect) => {
  let t: TestApp;
  let manual: { id: string; number: number };
  let ingested: number[];
  let userCommentId: string;

  const log = (n: number, query = '') => t.get(t.ws(`/incidents/${n}/activity${query}`));

  /** Follows nextCursor through every page. */
  async function allPages(url: string, limit: number): Promise<{ items: any[]; pages: number }> {
    const items: any[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = url.includes('?') ? '&' : '?';
      const res: { status: number; body: any } = await t.get(
        `${url}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    return { items, pages };
  }

  beforeAll(async () => {
    t = await startTestApp(dialect);
    // Two alerts on different hosts: the default grouping makes one incident each, created by the system.
    const ingest = await t.post(t.ws('/alerts'), {
      alerts: [
        alert({ title: 'Malware on host A', entities: [{ kind: 'Host', hostName: 'host-a' }] }),
        alert({ title: 'Malware on host B', entities: [{ kind: 'Host', hostName: 'host-b' }] }),
      ],
    });
    expect(ingest.status).toBe(201);
    ingested = ingest.body.results.map((r: any) => r.incidentNumber);
    expect(new Set(ingested).size).toBe(2);

    const created = await t.post(t.ws('/incidents'), incidentBody({ title: 'Hand-made', severity: 'Low' }));
    expect(created.status).toBe(201);
    manual = created.body;
    const url = t.ws(`/incidents/${manual.number}`);
    expect((await t.patch(url, { status: 'Active' })).status).toBe(200);
    expect((await t.patch(url, { severity: 'High' })).status).toBe(200);
    expect((await t.patch(url, { addTags: ['phishing'] })).status).toBe(200);
    const comment = await t.post(t.ws(`/incidents/${manual.number}/comments`), { message: 'Looking into it' });
    expect(comment.status).toBe(201);
    userCommentId = comment.body.id;
    expect(
      (
        await t.patch(url, {
          status: 'Closed',
          classification: 'FalsePositive',
          classificationReason: 'IncorrectAlertLogic',
          classificationComment: 'Test rule',
        })
      ).status,
    ).toBe(200);
  });
  afterAll(() => t.close());

  it("lists an incident's entries newest first with the actor and field-level changes", async () => {
    const res = await log(manual.number);
    expect(res.status).toBe(200);
    const items = res.body.items;
    expect(items.map((e: any) => e.action)).toEqual([
      'incidentUpdated',
      'commentAdded',
      'incidentUpdated',
      'incidentUpdated',
      'incidentUpdated',
      'incidentCreated',
    ]);
    const times = items.map((e: any) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    for (const entry of items) {
      expect(entry.incidentId).toBe(manual.id);
      expect(entry.incidentNumber).toBe(manual.number);
      expect(entry.actor).toMatchObject({ type: 'user', id: t.adminId });
    }
    expect(items[4].changes).toEqual([{ field: 'status', from: 'New', to: 'Active' }]);
    expect(items[3].changes).toEqual([{ field: 'severity', from: 'Low', to: 'High' }]);
    const closing = items[0].changes;
    expect(closing).toEqual(
      expect.arrayContaining([
        { field: 'status', from: 'Active', to: 'Closed' },
        { field: 'classification', from: null, to: 'FalsePositive' },
        expect.objectContaining({ field: 'classificationComment', to: 'Test rule' }),
      ]),
    );
    expect(items[1]).toMatchObject({ kind: 'comment', comment: { id: userCommentId, message: 'Looking into it' } });
  });

  it('filters by kind: changes or comments', async () => {
    const changes = await log(manual.number, '?kind=changes');
    expect(changes.status).toBe(200);
    expect(changes.body.items).toHaveLength(5);
    expect(changes.body.items.every((e: any) => e.kind === 'change' && e.comment === null)).toBe(true);
    const comments = await log(manual.number, '?kind=comments');
    expect(comments.body.items).toHaveLength(1);
    expect(comments.body.items[0]).toMatchObject({ kind: 'comment', action: 'commentAdded' });
    const singular = await log(manual.number, '?kind=comment');
    expect(singular.body.items).toHaveLength(1);
    const bad = await log(manual.number, '?kind=everything');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/kind/);
  });

  it('filters by field', async () => {
    const res = await log(manual.number, '?field=status');
    expect(res.status).toBe(200);
    // Creation (status New), New→Active and Active→Closed.
    expect(res.body.items).toHaveLength(3);
    for (const entry of res.body.items) expect(entry.changes.map((c: any) => c.field)).toContain('status');
    const severity = await log(manual.number, '?field=severity');
    expect(severity.body.items.map((e: any) => e.action)).toEqual(['incidentUpdated', 'incidentCreated']);
    const none = await log(manual.number, '?field=owner');
    expect(none.body.items).toHaveLength(0);
  });

  it('filters by actor type on one incident', async () => {
    const system = await log(ingested[0]!, '?actorType=system');
    expect(system.body.items).toHaveLength(1);
    expect(system.body.items[0]).toMatchObject({ action: 'incidentCreated', actor: { type: 'system', name: 'Alert grouping' } });
    expect((await log(ingested[0]!, '?actorType=user')).body.items).toHaveLength(0);
    expect((await log(manual.number, '?actorType=system')).body.items).toHaveLength(0);
    expect((await log(manual.number, '?actorType=user')).body.items).toHaveLength(6);
    const bad = await log(manual.number, '?actorType=robot');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/actorType/);
  });

  it('pages with a cursor: every entry exactly once, in order', async () => {
    const full = await log(manual.number, '?limit=500');
    const paged = await allPages(t.ws(`/incidents/${manual.number}/activity`), 2);
    expect(paged.pages).toBe(3);
    expect(paged.items.map((e) => e.id)).toEqual(full.body.items.map((e: any) => e.id));
    const first = await log(manual.number, '?limit=6');
    expect(first.body.nextCursor).toBeNull();
  });

  it('combines filters with paging', async () => {
    const paged = await allPages(t.ws(`/incidents/${manual.number}/activity?kind=changes&field=status`), 1);
    expect(paged.items).toHaveLength(3);
    expect(paged.items.every((e) => e.kind === 'change')).toBe(true);
  });

  it('answers 404 for an unknown incident', async () => {
    const res = await log(424_242);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('queries the workspace log by actor type across incidents', async () => {
    const system = await t.get(t.ws('/activity?actorType=system'));
    expect(system.status).toBe(200);
    expect(system.body.items).toHaveLength(2);
    expect(system.body.items.map((e: any) => e.incidentNumber).sort()).toEqual([...ingested].sort());
    for (const entry of system.body.items) {
      expect(entry).toMatchObject({
        action: 'incidentCreated',
        kind: 'change',
        actor: { type: 'system', name: 'Alert grouping' },
      });
    }
    // Newest first: the second alert's incident was created after the first one's.
    expect(system.body.items[0].id > system.body.items[1].id).toBe(true);

    const user = await t.get(t.ws('/activity?actorType=user'));
    expect(user.body.items).toHaveLength(6);
    expect(user.body.items.every((e: any) => e.actor.type === 'user' && e.incidentNumber === manual.number)).toBe(true);

    const both = await t.get(t.ws('/activity?actorType=user,system'));
    expect(both.body.items).toHaveLength(8);
    const automation = await t.get(t.ws('/activity?actorType=automationRule'));
    expect(automation.body.items).toHaveLength(0);
  });

  it('pages and filters the workspace log', async () => {
    const everything = await t.get(t.ws('/activity?limit=500'));
    expect(everything.body.items).toHaveLength(8);
    const ids = everything.body.items.map((e: any) => e.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    const paged = await allPages(t.ws('/activity'), 3);
    expect(paged.pages).toBe(3);
    expect(paged.items.map((e) => e.id)).toEqual(ids);
    const comments = await t.get(t.ws('/activity?kind=comments'));
    expect(comments.body.items.map((e: any) => e.comment.id)).toEqual([userCommentId]);
    const status = await t.get(t.ws('/activity?field=status&actorType=user'));
    expect(status.body.items).toHaveLength(3);
  });

  it('records system changes when alerts join an existing incident', async () => {
    const rule = { analyticsRuleName: 'Brute force (activity spec)' };
    const created = await t.post(t.ws('/analytics-rules'), {
      name: rule.analyticsRuleName,
      severity: 'Medium',
      grouping: { mode: 'allEntities' },
    });
    expect(created.status).toBe(201);
    const first = await t.post(t.ws('/alerts'), alert({ ...rule, severity: 'Low' }));
    const second = await t.post(t.ws('/alerts'), alert({ ...rule, severity: 'High' }));
    expect(second.body.results[0].outcome).toBe('grouped');
    const n = first.body.results[0].incidentNumber;
    const res = await log(n, '?actorType=system');
    expect(res.body.items.map((e: any) => e.action)).toEqual(['alertsAdded', 'incidentCreated']);
    expect(res.body.items[0].changes.map((c: any) => c.field)).toEqual(expect.arrayContaining(['severity']));
  });
});
