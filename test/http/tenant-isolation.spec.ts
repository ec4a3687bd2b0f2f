import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../../src/auth/permissions.js';
import { findUserById } from '../../src/users/user-repository.js';
import { alert, incidentBody } from '../support/fixtures.js';
import { createGroup, createUser, type TestGroup, type TestUser } from '../support/people.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  describeEachDialect,
  startTestApp,
  type TestApp,
  type TestResponse,
} from '../support/test-app.js';

const A = 'tenant-alpha';
const B = 'tenant-bravo';
const B_NAME = 'Bravo Holdings';
/** Every piece of B's data carries this marker, so a leak shows up in any response body. */
const SECRET = 'bravosecret';

async function tokenIn(t: TestApp, user: TestUser | { id: string }, workspaceId: string, role: Role): Promise<string> {
  const record = (await findUserById(t.app.storage.db, user.id))!;
  return (await t.app.services.auth.createToken({ user: record, via: 'session' }, { name: 'iso', workspaceId, role })).token;
}

interface Tenant {
  owner: TestUser;
  token: string;
  incidents: { id: string; number: number }[];
  alertIds: string[];
  ruleId: string;
  ruleExternalId: string;
  commentId: string;
}

describeEachDialect('tenant isolation between workspaces', (dialect) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let bOnlyGroup: TestGroup;
  let before: unknown;

  /** Fills a workspace: a rule, incidents from alerts with entities, tags, a comment. */
  async function seed(ws: string, marker: string, owner: TestUser): Promise<Tenant> {
    const token = await tokenIn(t, owner, ws, 'Owner');
    const externalId = `rule-${marker}-${randomUUID()}`;
    const rule = await t.post(t.ws('/analytics-rules', ws), { name: `Rule ${marker}`, externalId }, { token });
    expect(rule.status).toBe(201);
    const alerts = [0, 1, 2].map((i) =>
      alert({
        title: `Alert ${marker} ${i}`,
        analyticsRuleId: externalId,
        entities: [
          { kind: 'Account', accountName: `${marker}-user${i}`, upnSuffix: `${marker}.example` },
          { kind: 'Host', hostName: `${marker}-host${i}` },
        ],
      }),
    );
    const ingest = await t.post(t.ws('/alerts', ws), { alerts }, { token });
    expect(ingest.status).toBe(201);
    const results = ingest.body.results as { id: string; incidentId: string; incidentNumber: number }[];
    const incidents = [...new Map(results.map((r) => [r.incidentId, { id: r.incidentId, number: r.incidentNumber }])).values()];
    expect(incidents.length).toBe(3);
    for (const incident of incidents) {
      const res = await t.patch(t.ws(`/incidents/${incident.id}`, ws), { addTags: [`${marker}-tag`, 'shared'] }, { token });
      expect(res.status).toBe(200);
    }
    const comment = await t.post(t.ws(`/incidents/${incidents[0]!.id}/comments`, ws), { message: `note ${marker}` }, { token });
    expect(comment.status).toBe(201);
    return {
      owner,
      token,
      incidents,
      alertIds: results.map((r) => r.id),
      ruleId: rule.body.id,
      ruleExternalId: externalId,
      commentId: comment.body.id,
    };
  }

  /** Everything B's own Owner can read in B. */
  async function snapshotB(): Promise<unknown> {
    const get = async (url: string) => {
      const res = await t.get(t.ws(url, B), { token: b.token });
      expect(res.status, url).toBe(200);
      return { body: res.body, etag: res.headers.etag ?? null };
    };
    const perIncident = [];
    for (const { id } of b.incidents) {
      perIncident.push({
        incident: await get(`/incidents/${id}`),
        alerts: await get(`/incidents/${id}/alerts`),
        entities: await get(`/incidents/${id}/entities`),
        comments: await get(`/incidents/${id}/comments`),
        activity: await get(`/incidents/${id}/activity?limit=500`),
      });
    }
    return {
      perIncident,
      list: await get('/incidents?limit=500'),
      counts: await get('/incidents/counts'),
      alerts: await get('/alerts?limit=500'),
      alertOne: await get(`/alerts/${b.alertIds[0]}`),
      rules: await get('/analytics-rules?limit=500'),
      rule: await get(`/analytics-rules/${b.ruleId}`),
      tags: await get('/tags'),
      activity: await get('/activity?limit=500'),
      members: await get('/members'),
      workspace: await get(''),
    };
  }

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const ownerA = await createUser(t, { name: 'Alpha Owner' });
    const ownerB = await createUser(t, { name: `Bravo Owner ${SECRET}` });
    for (const [id, name, owner] of [
      [A, 'Alpha Corp', ownerA],
      [B, B_NAME, ownerB],
    ] as const) {
      const res = await t.post('/api/v1/workspaces', { id, name, owner: { email: owner.email } });
      expect(res.status).toBe(201);
    }
    a = await seed(A, 'alpha', ownerA);
    b = await seed(B, SECRET, ownerB);
    bOnlyGroup = await createGroup(t, { name: `Group ${SECRET}` });
    const grant = await t.request('PUT', t.ws('/members', B), { type: 'group', id: bOnlyGroup.id, roles: ['Responder'] });
    expect(grant.status).toBe(200);
    before = await snapshotB();
  });
  afterAll(() => t.close());

  /** A refused cross-tenant request: 404 not_found, and nothing of B's in the body. */
  function expectHidden(res: TestResponse, what: string): void {
    expect(res.status, `${what} → ${JSON.stringify(res.body)}`).toBe(404);
    expect(res.body?.error?.code, what).toBe('not_found');
    const text = JSON.stringify(res.body).toLowerCase();
    expect(text, what).not.toContain(SECRET);
    expect(text, what).not.toContain(B_NAME.toLowerCase());
    expect(res.body.items, what).toBeUndefined();
  }

  const ifMatch = (etag: unknown) => ({ headers: { 'if-match': String(etag) } });

  it("every resource of B under B's path is a 404 for A's Owner", async () => {
    const opts = { token: a.token };
    const [first, second] = b.incidents;
    const bPath = (p: string) => t.ws(p, B);
    const attempts: [string, Promise<TestResponse>][] = [];
    const push = (label: string, p: Promise<TestResponse>) => attempts.push([label, p]);
    for (const ref of [first!.id, String(first!.number)]) {
      push(`GET incident ${ref}`, t.get(bPath(`/incidents/${ref}`), opts));
      push(`PATCH incident ${ref}`, t.patch(bPath(`/incidents/${ref}`), { severity: 'Low', status: 'Active' }, opts));
      for (const sub of ['alerts', 'entities', 'comments', 'activity'])
        push(`GET incident ${ref}/${sub}`, t.get(bPath(`/incidents/${ref}/${sub}`), opts));
      push(`POST comment ${ref}`, t.post(bPath(`/incidents/${ref}/comments`), { message: 'from alpha' }, opts));
      push(`PATCH comment ${ref}`, t.patch(bPath(`/incidents/${ref}/comments/${b.commentId}`), { message: 'x' }, opts));
      push(`DELETE comment ${ref}`, t.delete(bPath(`/incidents/${ref}/comments/${b.commentId}`), opts));
    }
    const etag = ((before as any).perIncident[0].incident.etag as string) ?? '"1"';
    push(
      'PATCH incident with its real etag',
      t.patch(bPath(`/incidents/${first!.id}`), { title: 'x' }, { ...opts, ...ifMatch(etag) }),
    );
    push('GET alert', t.get(bPath(`/alerts/${b.alertIds[0]}`), opts));
    push('GET alerts', t.get(bPath('/alerts'), opts));
    push('POST alerts', t.post(bPath('/alerts'), alert(), opts));
    push('GET rule', t.get(bPath(`/analytics-rules/${b.ruleId}`), opts));
    push('PATCH rule', t.patch(bPath(`/analytics-rules/${b.ruleId}`), { enabled: false }, opts));
    push('GET rules', t.get(bPath('/analytics-rules'), opts));
    push('POST rule', t.post(bPath('/analytics-rules'), { name: 'alpha in bravo' }, opts));
    push('bulk', t.post(bPath('/incidents/bulk'), { ids: [first!.id, second!.number], changes: { severity: 'Low' } }, opts));
    push('GET incidents', t.get(bPath('/incidents'), opts));
    push('POST incident', t.post(bPath('/incidents'), incidentBody(), opts));
    push('GET counts', t.get(bPath('/incidents/counts'), opts));
    push('GET tags', t.get(bPath('/tags'), opts));
    push('GET workspace activity', t.get(bPath('/activity'), opts));
    push('GET members', t.get(bPath('/members'), opts));
    push('PUT members', t.request('PUT', bPath('/members'), { email: a.owner.email, roles: ['Owner'] }, opts));
    push('DELETE member', t.delete(bPath(`/members/user/${b.owner.id}`), opts));
    push('GET workspace', t.get(bPath(''), opts));
    push('PATCH workspace', t.patch(bPath(''), { name: 'taken over' }, opts));
    for (const [label, promise] of attempts) expectHidden(await promise, label);
  });

  it("B's ids under A's path are 404 too (never B's data)", async () => {
    const opts = { token: a.token };
    const aPath = (p: string) => t.ws(p, A);
    const bInc = b.incidents[0]!.id;
    const aInc = a.incidents[0]!.id;
    const attempts: [string, TestResponse][] = [
      ['GET', await t.get(aPath(`/incidents/${bInc}`), opts)],
      ['PATCH', await t.patch(aPath(`/incidents/${bInc}`), { severity: 'Low' }, opts)],
      ['alerts', await t.get(aPath(`/incidents/${bInc}/alerts`), opts)],
      ['entities', await t.get(aPath(`/incidents/${bInc}/entities`), opts)],
      ['comments', await t.get(aPath(`/incidents/${bInc}/comments`), opts)],
      ['activity', await t.get(aPath(`/incidents/${bInc}/activity`), opts)],
      ['POST comment', await t.post(aPath(`/incidents/${bInc}/comments`), { message: 'x' }, opts)],
      [
        'PATCH B comment on B incident',
        await t.patch(aPath(`/incidents/${bInc}/comments/${b.commentId}`), { message: 'x' }, opts),
      ],
      ['DELETE B comment on B incident', await t.delete(aPath(`/incidents/${bInc}/comments/${b.commentId}`), opts)],
      [
        'PATCH B comment on A incident',
        await t.patch(aPath(`/incidents/${aInc}/comments/${b.commentId}`), { message: 'x' }, opts),
      ],
      ['DELETE B comment on A incident', await t.delete(aPath(`/incidents/${aInc}/comments/${b.commentId}`), opts)],
      ['GET alert', await t.get(aPath(`/alerts/${b.alertIds[0]}`), opts)],
      ['GET rule', await t.get(aPath(`/analytics-rules/${b.ruleId}`), opts)],
      ['PATCH rule', await t.patch(aPath(`/analytics-rules/${b.ruleId}`), { enabled: false }, opts)],
      ['DELETE B member from A', await t.delete(aPath(`/members/user/${b.owner.id}`), opts)],
    ];
    for (const [label, res] of attempts) expectHidden(res, label);

    const bulk = await t.post(
      aPath('/incidents/bulk'),
      { ids: b.incidents.map((i) => i.id), changes: { severity: 'Low' } },
      opts,
    );
    expect(bulk.status).toBe(200);
    expect(bulk.body.succeeded).toBe(0);
    expect(bulk.body.results.map((r: any) => r.error?.code)).toEqual(b.incidents.map(() => 'not_found'));
    expect(JSON.stringify(bulk.body)).not.toContain(SECRET);

    // Filters naming B's rule or B's owner find nothing in A.
    for (const url of [
      `/incidents?analyticsRule=${b.ruleId}`,
      `/alerts?analyticsRule=${b.ruleId}`,
      `/incidents?owner=${b.owner.email}`,
    ]) {
      const res = await t.get(aPath(url), opts);
      expect(res.status, url).toBe(200);
      expect(res.body.items, url).toEqual([]);
    }
  });

  it('nothing in B changed: bodies, etags, activity and counts are as before', async () => {
    expect(await snapshotB()).toEqual(before);
  });

  it("A's lists, tags, counts, activity and alerts never include B's", async () => {
    const opts = { token: a.token };
    const aIds = new Set(a.incidents.map((i) => i.id));
    const list = await t.get(t.ws('/incidents?limit=500', A), opts);
    expect(new Set(list.body.items.map((i: any) => i.id))).toEqual(aIds);
    const counts = await t.get(t.ws('/incidents/counts', A), opts);
    expect(counts.body.total).toBe(3);
    const counted = await t.get(t.ws(`/incidents/counts?tag=shared`, A), opts);
    expect(counted.body.total).toBe(3);
    const tags = await t.get(t.ws('/tags', A), opts);
    expect(tags.body.items).toEqual(
      expect.arrayContaining([
        { tag: 'shared', count: 3, system: false },
        { tag: 'alpha-tag', count: 3, system: false },
      ]),
    );
    expect(tags.body.items.map((x: any) => x.tag)).not.toContain(`${SECRET}-tag`);
    const prefixed = await t.get(t.ws(`/tags?prefix=${SECRET}`, A), opts);
    expect(prefixed.body.items).toEqual([]);
    const activity = await t.get(t.ws('/activity?limit=500', A), opts);
    expect(activity.body.items.length).toBeGreaterThan(0);
    for (const entry of activity.body.items) expect(aIds.has(entry.incidentId)).toBe(true);
    const alerts = await t.get(t.ws('/alerts?limit=500', A), opts);
    expect(alerts.body.items.map((x: any) => x.id).sort()).toEqual([...a.alertIds].sort());
    const rules = await t.get(t.ws('/analytics-rules?limit=500', A), opts);
    expect(rules.body.items.map((r: any) => r.id)).toEqual([a.ruleId]);
    const members = await t.get(t.ws('/members', A), opts);
    expect(members.body.items.map((m: any) => m.id)).toEqual([a.owner.id]);
    const search = await t.get(t.ws(`/incidents?q=${SECRET}`, A), opts);
    expect(search.body.items).toEqual([]);
    for (const res of [list, counts, tags, activity, alerts, rules, members])
      expect(JSON.stringify(res.body)).not.toContain(SECRET);
  });

  it("alerts sent to A naming B's rule create a rule in A; B's rule is untouched", async () => {
    const res = await t.post(t.ws('/alerts', A), alert({ analyticsRuleId: b.ruleExternalId }), { token: a.token });
    expect(res.status).toBe(201);
    const stored = await t.get(t.ws(`/alerts/${res.body.results[0].id}`, A), { token: a.token });
    expect(stored.body.analyticsRuleId).not.toBe(b.ruleId);
    const rule = await t.get(t.ws(`/analytics-rules/${stored.body.analyticsRuleId}`, A), { token: a.token });
    expect(rule.status).toBe(200);
    expect(rule.body).toMatchObject({ externalId: b.ruleExternalId, origin: 'implicit' });
    // Named after what the alert said, not after B's rule ("Rule bravosecret"), which A never learns.
    expect(rule.body.name).toBe(b.ruleExternalId);
    const bRule = await t.get(t.ws(`/analytics-rules/${b.ruleId}`, B), { token: b.token });
    expect(bRule.body).toEqual((before as any).rule.body);
  });

  it("B's API tokens cannot be listed, created or revoked with A's Owner token", async () => {
    const record = (await findUserById(t.app.storage.db, b.owner.id))!;
    const bToken = await t.app.services.auth.createToken(
      { user: record, via: 'session' },
      { name: 'b-ingest', workspaceId: B, role: 'Reader' },
    );
    const opts = { token: a.token };
    expectHidden(await t.get(`/api/v1/auth/tokens?workspace=${B}&all=true`, opts), 'list B tokens');
    expectHidden(await t.post('/api/v1/auth/tokens', { name: 'sneak', workspace: B, role: 'Reader' }, opts), 'create B token');
    expectHidden(await t.delete(`/api/v1/auth/tokens/${bToken.info.id}`, opts), 'revoke B token');
    expect((await t.get(t.ws(`/incidents/${b.incidents[0]!.id}`, B), { token: bToken.token })).status).toBe(200);
    const own = await t.get(`/api/v1/auth/tokens?workspace=${B}`, opts);
    expect(own.status).toBe(200);
    expect(own.body.items).toEqual([]);
  });

  it('assigning an A incident to a user or group only in B is a 422 that does not reveal B', async () => {
    const opts = { token: a.token };
    const target = a.incidents[1]!;
    const url = t.ws(`/incidents/${target.id}`, A);
    const original = await t.get(url, opts);
    const ghostEmail = `nobody-${randomUUID().slice(0, 8)}@example.test`;
    const ghostId = `01${randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase()}`;
    const cases: [Record<string, unknown>, Record<string, unknown>, string][] = [
      [{ email: b.owner.email }, { email: ghostEmail }, ghostEmail],
      [{ type: 'user', id: b.owner.id }, { type: 'user', id: ghostId }, ghostId],
      [{ type: 'group', id: bOnlyGroup.id }, { type: 'group', id: ghostId }, ghostId],
      [{ type: 'group', name: bOnlyGroup.name }, { type: 'group', name: 'No such group' }, 'No such group'],
    ];
    for (const [owner, ghost, ghostText] of cases) {
      const real = await t.patch(url, { owner }, opts);
      const missing = await t.patch(url, { owner: ghost }, opts);
      expect(real.status, JSON.stringify(owner)).toBe(422);
      expect(real.body.error.code).toBe('rule_violation');
      const text = JSON.stringify(real.body);
      expect(text).not.toContain(B);
      expect(text.toLowerCase()).not.toContain(B_NAME.toLowerCase());
      // Same answer as for someone who does not exist at all (only the quoted input differs).
      const quoted = String(Object.values(owner).at(-1));
      expect(JSON.stringify(real.body).split(quoted).join('<X>')).toBe(JSON.stringify(missing.body).split(ghostText).join('<X>'));
      const bulk = await t.post(t.ws('/incidents/bulk', A), { ids: [target.id], changes: { owner } }, opts);
      expect(bulk.status).toBe(422);
      const created = await t.post(t.ws('/incidents', A), incidentBody({ owner }), opts);
      expect(created.status).toBe(422);
    }
    const after = await t.get(url, opts);
    expect(after.body).toEqual(original.body);
    expect((await t.get(t.ws('/incidents/counts', A), opts)).body.total).toBe(4);
  });

  it("an administrator who is not a member of B gets 404 on B's incidents but manages B's members", async () => {
    const login = await t.post('/api/v1/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, { token: null });
    expect(login.status).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const session = { token: null, headers: { cookie, 'x-csrf-token': login.body.csrfToken } };
    const bInc = b.incidents[0]!;
    for (const opts of [session, {}]) {
      expectHidden(await t.get(t.ws(`/incidents/${bInc.id}`, B), opts), 'admin GET incident');
      expectHidden(await t.get(t.ws(`/incidents/${bInc.number}/comments`, B), opts), 'admin GET comments');
      expectHidden(await t.get(t.ws('/incidents', B), opts), 'admin GET incidents');
      expectHidden(await t.patch(t.ws(`/incidents/${bInc.id}`, B), { severity: 'Low' }, opts), 'admin PATCH');
      expectHidden(await t.get(t.ws('/alerts', B), opts), 'admin GET alerts');
      expectHidden(await t.get(t.ws(`/analytics-rules/${b.ruleId}`, B), opts), 'admin GET rule');
      const members = await t.get(t.ws('/members', B), opts);
      expect(members.status).toBe(200);
      expect(members.body.items.map((m: any) => m.id)).toContain(b.owner.id);
      const settings = await t.get(t.ws('', B), opts);
      expect(settings.status).toBe(200);
      expect(settings.body).toMatchObject({ id: B, name: B_NAME });
    }
    const newcomer = await createUser(t);
    const put = await t.request('PUT', t.ws('/members', B), { email: newcomer.email, roles: ['Reader'] }, session);
    expect(put.status).toBe(200);
    expect(put.body.items).toContainEqual(expect.objectContaining({ id: newcomer.id, roles: ['Reader'] }));
    const removed = await t.delete(t.ws(`/members/user/${newcomer.id}`, B), session);
    expect(removed.status).toBe(204);
    // Managing members did not give the administrator a role in B.
    expectHidden(await t.get(t.ws(`/incidents/${bInc.id}`, B), session), 'admin GET incident after');
    expect((await t.get(t.ws(`/incidents/${bInc.id}`, B), { token: b.token })).body).toEqual(
      (before as any).perIncident[0].incident.body,
    );
  });
});
