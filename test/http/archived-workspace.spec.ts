import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../../src/auth/permissions.js';
import { findUserById } from '../../src/users/user-repository.js';
import { alert, incidentBody } from '../support/fixtures.js';
import { createUser, type TestUser } from '../support/people.js';
import { describeEachDialect, startTestApp, type RequestOptions, type TestApp, type TestResponse } from '../support/test-app.js';

const WS = 'arch';
const WS_NAME = 'Archive Me';

describeEachDialect('archived workspaces', (dialect) => {
  let t: TestApp;
  let owner: TestUser;
  let responder: TestUser;
  const tokens = {} as Record<'owner' | 'responder' | 'reader' | 'contributor' | 'ingestor' | 'outsider', string>;
  let incident: { id: string; number: number };
  let commentId: string;
  let ruleId: string;
  let alertId: string;

  const tokenIn = async (user: TestUser, ws: string, role: Role) => {
    const record = (await findUserById(t.app.storage.db, user.id))!;
    return (await t.app.services.auth.createToken({ user: record, via: 'session' }, { name: 'arch', workspaceId: ws, role }))
      .token;
  };
  const path = (p: string) => t.ws(p, WS);
  const as = (who: keyof typeof tokens): RequestOptions => ({ token: tokens[who] });
  const archived = async (all = false) =>
    ((await t.get(`/api/v1/workspaces?all=${all}&archived=true`)).body.items as any[]).find((w) => w.id === WS)?.archived;

  /** What the workspace holds, as its Owner reads it. */
  async function snapshot() {
    const read = async (url: string) => {
      const res = await t.get(path(url), as('owner'));
      expect(res.status, url).toBe(200);
      return { body: res.body, etag: res.headers.etag ?? null };
    };
    return {
      list: await read('/incidents?limit=500'),
      incident: await read(`/incidents/${incident.id}`),
      alerts: await read(`/incidents/${incident.id}/alerts`),
      comments: await read(`/incidents/${incident.id}/comments`),
      activity: await read('/activity?limit=500'),
      counts: await read('/incidents/counts'),
      tags: await read('/tags'),
      rules: await read('/analytics-rules?limit=500'),
      allAlerts: await read('/alerts?limit=500'),
      members: await read('/members'),
      workspace: await read(''),
    };
  }

  /** Every kind of write, by someone allowed to make it. */
  function writes(): [string, () => Promise<TestResponse>][] {
    return [
      [
        'PATCH incident',
        () => t.patch(path(`/incidents/${incident.id}`), { severity: 'Low', addTags: ['late'] }, as('responder')),
      ],
      ['POST incident', () => t.post(path('/incidents'), incidentBody(), as('responder'))],
      ['bulk', () => t.post(path('/incidents/bulk'), { ids: [incident.id], changes: { status: 'Active' } }, as('responder'))],
      ['POST comment', () => t.post(path(`/incidents/${incident.number}/comments`), { message: 'late note' }, as('responder'))],
      [
        'PATCH comment',
        () => t.patch(path(`/incidents/${incident.id}/comments/${commentId}`), { message: 'edited' }, as('responder')),
      ],
      ['DELETE comment', () => t.delete(path(`/incidents/${incident.id}/comments/${commentId}`), as('responder'))],
      ['ingest (Contributor)', () => t.post(path('/alerts'), { alerts: [alert()] }, as('contributor'))],
      ['ingest (Ingestor)', () => t.post(path('/alerts'), alert(), as('ingestor'))],
      ['POST rule', () => t.post(path('/analytics-rules'), { name: 'New rule' }, as('contributor'))],
      ['PATCH rule', () => t.patch(path(`/analytics-rules/${ruleId}`), { enabled: false }, as('contributor'))],
      ['PATCH settings', () => t.patch(path(''), { settings: { defaultGrouping: { mode: 'anyAlert' } } }, as('owner'))],
      ['PATCH name', () => t.patch(path(''), { name: 'Renamed' }, as('owner'))],
      ['PUT members', () => t.request('PUT', path('/members'), { email: responder.email, roles: ['Contributor'] }, as('owner'))],
      ['DELETE member', () => t.delete(path(`/members/user/${responder.id}`), as('owner'))],
      ['admin PATCH name', () => t.patch(path(''), { name: 'Admin rename' })],
    ];
  }

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await createUser(t, { name: 'Olga Owner' });
    responder = await createUser(t, { name: 'Rafa Responder' });
    const reader = await createUser(t);
    const contributor = await createUser(t);
    const ingestor = await createUser(t);
    const outsider = await createUser(t);
    expect((await t.post('/api/v1/workspaces', { id: WS, name: WS_NAME, owner: { email: owner.email } })).status).toBe(201);
    const roles: [TestUser, Role][] = [
      [responder, 'Responder'],
      [reader, 'Reader'],
      [contributor, 'Contributor'],
      [ingestor, 'Ingestor'],
    ];
    for (const [user, role] of roles) {
      expect((await t.request('PUT', path('/members'), { email: user.email, roles: [role] })).status).toBe(200);
    }
    expect((await t.request('PUT', t.ws('/members'), { email: outsider.email, roles: ['Owner'] })).status).toBe(200);
    tokens.owner = await tokenIn(owner, WS, 'Owner');
    tokens.responder = await tokenIn(responder, WS, 'Responder');
    tokens.reader = await tokenIn(reader, WS, 'Reader');
    tokens.contributor = await tokenIn(contributor, WS, 'Contributor');
    tokens.ingestor = await tokenIn(ingestor, WS, 'Ingestor');
    tokens.outsider = await tokenIn(outsider, 'default', 'Owner');

    const rule = await t.post(path('/analytics-rules'), { name: 'Archived rule', externalId: 'arch-rule' }, as('contributor'));
    expect(rule.status).toBe(201);
    ruleId = rule.body.id;
    const ingest = await t.post(path('/alerts'), { alerts: [alert({ analyticsRuleId: 'arch-rule' })] }, as('contributor'));
    expect(ingest.status).toBe(201);
    incident = { id: ingest.body.results[0].incidentId, number: ingest.body.results[0].incidentNumber };
    alertId = ingest.body.results[0].id;
    expect((await t.patch(path(`/incidents/${incident.id}`), { addTags: ['kept'] }, as('responder'))).status).toBe(200);
    const comment = await t.post(path(`/incidents/${incident.id}/comments`), { message: 'before archive' }, as('responder'));
    expect(comment.status).toBe(201);
    commentId = comment.body.id;
  });
  afterAll(() => t.close());

  it('only server administrators may archive or unarchive (403 for the workspace Owner)', async () => {
    for (const action of ['archive', 'unarchive']) {
      const res = await t.post(`/api/v1/workspaces/${WS}/${action}`, undefined, as('owner'));
      expect(res.status, action).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await t.post(`/api/v1/workspaces/${WS}/archive`, undefined, as('reader'))).status).toBe(403);
    expect(await archived(true)).toBe(false);
    expect((await t.patch(path(`/incidents/${incident.id}`), { description: 'still writable' }, as('responder'))).status).toBe(
      200,
    );
  });

  it('an archived workspace stays readable; every write is a 409 saying it is archived, and changes nothing', async () => {
    const res = await t.post(`/api/v1/workspaces/${WS}/archive`, undefined);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: WS, archived: true });
    const before = await snapshot();
    expect(before.workspace.body.archived).toBe(true);

    for (const who of ['reader', 'responder'] as const) {
      for (const url of [
        `/incidents/${incident.number}`,
        `/incidents/${incident.id}/comments`,
        `/alerts/${alertId}`,
        '/incidents',
      ]) {
        expect((await t.get(path(url), as(who))).status, `${who} ${url}`).toBe(200);
      }
    }
    for (const [label, write] of writes()) {
      const out = await write();
      expect(out.status, `${label}: ${JSON.stringify(out.body)}`).toBe(409);
      expect(out.body.error.code, label).toBe('conflict');
      expect(out.body.error.message, label).toMatch(/archived/i);
    }
    expect(await snapshot()).toEqual(before);

    // Someone who is not a member still learns nothing: 404, not "archived".
    const outsider = await t.patch(path(`/incidents/${incident.id}`), { severity: 'Low' }, as('outsider'));
    expect(outsider.status).toBe(404);
    expect(JSON.stringify(outsider.body)).not.toMatch(/archived/i);
  });

  it('leaves the workspace lists, but administrators find it with all=true&archived=true', async () => {
    const mine = await t.get('/api/v1/workspaces', as('owner'));
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((w: any) => w.id)).not.toContain(WS);
    const me = await t.get('/api/v1/auth/me', as('owner'));
    expect(me.body.workspaces.map((w: any) => w.id)).not.toContain(WS);
    const all = await t.get('/api/v1/workspaces?all=true');
    expect(all.status).toBe(200);
    expect(all.body.items.map((w: any) => w.id)).not.toContain(WS);
    expect(all.body.items.map((w: any) => w.id)).toContain('default');
    const withArchived = await t.get('/api/v1/workspaces?all=true&archived=true');
    expect(withArchived.body.items).toContainEqual(expect.objectContaining({ id: WS, name: WS_NAME, archived: true }));
    expect((await t.get('/api/v1/workspaces?all=true&archived=true', as('owner'))).status).toBe(403);
    const queue = await t.get('/api/v1/incidents', as('owner'));
    expect(queue.status).toBe(200);
    expect(queue.body.items).toEqual([]);
  });

  it('unarchiving restores writes and the lists', async () => {
    const res = await t.post(`/api/v1/workspaces/${WS}/unarchive`, undefined);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: WS, archived: false });
    expect((await t.get('/api/v1/workspaces', as('owner'))).body.items.map((w: any) => w.id)).toContain(WS);

    const patched = await t.patch(path(`/incidents/${incident.id}`), { severity: 'Low' }, as('responder'));
    expect(patched.status).toBe(200);
    expect(patched.body.severity).toBe('Low');
    expect((await t.post(path(`/incidents/${incident.id}/comments`), { message: 'after' }, as('responder'))).status).toBe(201);
    expect((await t.post(path('/alerts'), alert(), as('ingestor'))).status).toBe(201);
    expect((await t.patch(path(`/analytics-rules/${ruleId}`), { enabled: false }, as('contributor'))).status).toBe(200);
    const settings = await t.patch(path(''), { settings: { defaultGrouping: { mode: 'anyAlert' } } }, as('owner'));
    expect(settings.status).toBe(200);
    expect(settings.body.settings.defaultGrouping.mode).toBe('anyAlert');
    const queue = await t.get('/api/v1/incidents', as('owner'));
    expect(queue.body.items.length).toBeGreaterThan(0);
  });
});
