import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../../src/auth/permissions.js';
import { findUserById } from '../../src/users/user-repository.js';
import { createGroup, createUser, type TestUser } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const A = 'alpha-soc';
const B = 'bravo-soc';

/** A bearer token for a user in a workspace (the user must hold the role there). */
async function tokenIn(t: TestApp, user: { id: string }, workspaceId: string, role: Role): Promise<string> {
  const record = (await findUserById(t.app.storage.db, user.id))!;
  return (await t.app.services.auth.createToken({ user: record, via: 'session' }, { name: 'ws', workspaceId, role })).token;
}

let address = 0;
/** Signs in (from a fresh address) and returns request options that use the session cookie and its CSRF token. */
async function sessionOf(t: TestApp, email: string, password: string) {
  const res = await t.app.server.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ email, password }),
    remoteAddress: `10.88.0.${++address}`,
  });
  expect(res.statusCode).toBe(200);
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  return { token: null, headers: { cookie, 'x-csrf-token': JSON.parse(res.body).csrfToken as string } };
}

/** A user created through the API with a password, so that they can sign in. */
async function userWithPassword(t: TestApp, name: string) {
  const email = `${name.toLowerCase()}@example.test`;
  const password = `${name} has a long password`;
  const res = await t.post('/api/v1/users', { email, displayName: name, password });
  expect(res.status).toBe(201);
  return { id: res.body.user.id as string, email, name, password };
}

const rolesOf = (items: any[], id: string) => items.find((m) => m.id === id)?.roles;

describeEachDialect('workspace administration', (dialect) => {
  let t: TestApp;
  let ownerA: Awaited<ReturnType<typeof userWithPassword>>;
  let ownerAToken: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    ownerA = await userWithPassword(t, 'Olga');
  });
  afterAll(() => t.close());

  const members = async (ws: string) => {
    const res = await t.get(t.ws('/members', ws));
    expect(res.status).toBe(200);
    return res.body.items as any[];
  };

  it('administrators create workspaces: id checked, duplicates refused, first Owner by email or the creator', async () => {
    const bad = await t.post('/api/v1/workspaces', { id: 'Bad Id', name: 'Bad' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('id');

    const alpha = await t.post('/api/v1/workspaces', { id: A, name: 'Alpha SOC', owner: { email: ownerA.email } });
    expect(alpha.status).toBe(201);
    expect(alpha.body).toMatchObject({ id: A, name: 'Alpha SOC', archived: false, roles: [] });
    expect(await members(A)).toEqual([{ type: 'user', id: ownerA.id, name: 'Olga', email: ownerA.email, roles: ['Owner'] }]);
    ownerAToken = await tokenIn(t, ownerA, A, 'Owner');

    const duplicate = await t.post('/api/v1/workspaces', { id: A, name: 'Another Alpha' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('conflict');
    expect((await t.get(t.ws('', A))).body.name).toBe('Alpha SOC');

    const bravo = await t.post('/api/v1/workspaces', { id: B, name: 'Bravo SOC' });
    expect(bravo.status).toBe(201);
    expect(bravo.body.roles).toEqual(['Owner']);
    expect(rolesOf(await members(B), t.adminId)).toEqual(['Owner']);

    // An unknown owner: nothing is created.
    const ghost = await t.post('/api/v1/workspaces', { id: 'ghost-soc', name: 'Ghost', owner: { email: 'ghost@example.test' } });
    expect(ghost.status).toBe(422);
    expect((await t.get('/api/v1/workspaces?all=true&archived=true')).body.items.map((w: any) => w.id)).not.toContain(
      'ghost-soc',
    );
    // Workspace Owners are not administrators.
    expect((await t.post('/api/v1/workspaces', { id: 'rogue-soc', name: 'Rogue' }, { token: ownerAToken })).status).toBe(403);
  });

  it("lists only the caller's workspaces with their roles; all=true is for administrators", async () => {
    expect((await t.request('PUT', t.ws('/members'), { email: ownerA.email, roles: ['Reader'] })).status).toBe(200);
    const session = await sessionOf(t, ownerA.email, ownerA.password);
    const mine = await t.get('/api/v1/workspaces', session);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((w: any) => [w.id, w.roles]).sort()).toEqual([
      [A, ['Owner']],
      ['default', ['Reader']],
    ]);
    const refused = await t.get('/api/v1/workspaces?all=true', session);
    expect(refused.status).toBe(403);

    const adminOwn = await t.get('/api/v1/workspaces');
    expect(adminOwn.body.items.map((w: any) => w.id).sort()).toEqual([B, 'default']);
    const all = await t.get('/api/v1/workspaces?all=true');
    expect(all.status).toBe(200);
    const byId = Object.fromEntries(all.body.items.map((w: any) => [w.id, w.roles]));
    expect(byId).toEqual({ default: ['Owner'], [A]: [], [B]: ['Owner'] });
  });

  it('members: users and groups with roles, q filters, PUT sets exactly the roles, an empty list or DELETE removes', async () => {
    const opts = { token: ownerAToken };
    const url = t.ws('/members', A);
    const una = await createUser(t, { name: 'Una Analyst', email: 'una@example.test' });
    const tier = await createGroup(t, { name: 'Tier Two' });

    const put = await t.request('PUT', url, { email: una.email, roles: ['Responder', 'Reader'] }, opts);
    expect(put.status).toBe(200);
    expect(rolesOf(put.body.items, una.id)).toEqual(['Reader', 'Responder']);
    expect((await t.request('PUT', url, { type: 'group', name: 'tier two', roles: ['Reader'] }, opts)).status).toBe(200);

    const list = await t.get(url, opts);
    expect(list.body.items).toEqual([
      { type: 'user', id: ownerA.id, name: 'Olga', email: ownerA.email, roles: ['Owner'] },
      { type: 'user', id: una.id, name: 'Una Analyst', email: una.email, roles: ['Reader', 'Responder'] },
      { type: 'group', id: tier.id, name: 'Tier Two', email: null, roles: ['Reader'] },
    ]);
    expect((await t.get(`${url}?q=ANALYST`, opts)).body.items.map((m: any) => m.id)).toEqual([una.id]);
    expect((await t.get(`${url}?q=una@`, opts)).body.items.map((m: any) => m.id)).toEqual([una.id]);
    expect((await t.get(`${url}?q=tier`, opts)).body.items.map((m: any) => m.id)).toEqual([tier.id]);
    expect((await t.get(`${url}?q=nobody-matches`, opts)).body.items).toEqual([]);

    // PUT replaces: Contributor only, and that is what Una can now do.
    const replaced = await t.request('PUT', url, { type: 'user', id: una.id, roles: ['Contributor'] }, opts);
    expect(rolesOf(replaced.body.items, una.id)).toEqual(['Contributor']);
    const unaToken = await tokenIn(t, una, A, 'Contributor');
    expect((await t.get(t.ws('/incidents', A), { token: unaToken })).status).toBe(200);
    expect((await tokenIn(t, una, A, 'Owner').catch((e) => e)).constructor.name).toBe('ForbiddenError');

    const emptied = await t.request('PUT', url, { email: una.email, roles: [] }, opts);
    expect(emptied.status).toBe(200);
    expect(emptied.body.items.map((m: any) => m.id)).not.toContain(una.id);
    expect((await t.get(t.ws('/incidents', A), { token: unaToken })).status).toBe(404);

    expect((await t.delete(t.ws(`/members/group/${tier.id}`, A), opts)).status).toBe(204);
    expect((await t.get(url, opts)).body.items.map((m: any) => m.id)).toEqual([ownerA.id]);
    expect((await t.delete(t.ws(`/members/group/${tier.id}`, A), opts)).status).toBe(404);
    const unknown = await t.request('PUT', url, { email: 'nobody@example.test', roles: ['Reader'] }, opts);
    expect(unknown.status).toBe(422);
  });

  it('an Owner who is not an administrator cannot remove or demote the last Owner (422); an administrator can', async () => {
    const opts = { token: ownerAToken };
    const url = t.ws('/members', A);
    const demote = await t.request('PUT', url, { email: ownerA.email, roles: ['Reader'] }, opts);
    expect(demote.status).toBe(422);
    expect(demote.body.error.code).toBe('rule_violation');
    const remove = await t.delete(t.ws(`/members/user/${ownerA.id}`, A), opts);
    expect(remove.status).toBe(422);
    expect(rolesOf(await members(A), ownerA.id)).toEqual(['Owner']);

    // With a second Owner, the first may step down.
    const vic = await createUser(t, { name: 'Vic Deputy' });
    expect((await t.request('PUT', url, { type: 'user', id: vic.id, roles: ['Owner'] }, opts)).status).toBe(200);
    expect((await t.request('PUT', url, { type: 'user', id: vic.id, roles: ['Reader'] }, opts)).status).toBe(200);
    expect(rolesOf(await members(A), vic.id)).toEqual(['Reader']);

    // The administrator (no role in the scratch workspace) may remove its last Owner.
    const scratch = await t.post('/api/v1/workspaces', {
      id: 'scratch-soc',
      name: 'Scratch',
      owner: { type: 'user', id: vic.id },
    });
    expect(scratch.status).toBe(201);
    expect((await t.delete(t.ws(`/members/user/${vic.id}`, 'scratch-soc'))).status).toBe(204);
    expect(await members('scratch-soc')).toEqual([]);
  });

  it("an Owner of one workspace cannot see or manage another's members (404)", async () => {
    const session = await sessionOf(t, ownerA.email, ownerA.password);
    const before = await members(B);
    const attempts = [
      await t.get(t.ws('/members', B), session),
      await t.request('PUT', t.ws('/members', B), { email: ownerA.email, roles: ['Owner'] }, session),
      await t.delete(t.ws(`/members/user/${t.adminId}`, B), session),
      await t.patch(t.ws('', B), { name: 'Taken over' }, session),
      await t.get(t.ws('', B), session),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
      expect(JSON.stringify(res.body)).not.toContain('Bravo SOC');
    }
    expect(await members(B)).toEqual(before);
    expect((await t.get(t.ws('', B))).body.name).toBe('Bravo SOC');
  });

  it('Owners rename a workspace and change its settings; a Responder gets 403', async () => {
    const before = await t.get(t.ws('', A), { token: ownerAToken });
    const grouping = { mode: 'anyAlert', lookbackMinutes: 60, entityKinds: [], customDetailKeys: [], reopenClosed: true };
    const patched = await t.patch(
      t.ws('', A),
      { name: 'Alpha Security Operations', settings: { defaultGrouping: grouping } },
      { token: ownerAToken },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: A, name: 'Alpha Security Operations', settings: { defaultGrouping: grouping } });
    expect(patched.body.etag).not.toBe(before.body.etag);
    expect((await t.get(t.ws('', A), { token: ownerAToken })).body.settings.defaultGrouping).toEqual(grouping);
    const stale = await t.patch(
      t.ws('', A),
      { name: 'Stale' },
      { token: ownerAToken, headers: { 'if-match': before.body.etag } },
    );
    expect(stale.status).toBe(412);

    const rex = await createUser(t, { name: 'Rex Responder' });
    expect((await t.request('PUT', t.ws('/members', A), { type: 'user', id: rex.id, roles: ['Responder'] })).status).toBe(200);
    const rexToken = await tokenIn(t, rex, A, 'Responder');
    const refused = await t.patch(t.ws('', A), { name: 'Rex was here' }, { token: rexToken });
    expect(refused.status).toBe(403);
    expect(
      (await t.request('PUT', t.ws('/members', A), { type: 'user', id: rex.id, roles: ['Owner'] }, { token: rexToken })).status,
    ).toBe(403);
    expect((await t.get(t.ws('', A), { token: rexToken })).body).toMatchObject({
      name: 'Alpha Security Operations',
      roles: ['Responder'],
    });
  });

  it("a token stops carrying a role its owner no longer holds (demoted Owner's Owner token)", async () => {
    const wes = await createUser(t, { name: 'Wes Former Owner' });
    expect((await t.request('PUT', t.ws('/members', A), { type: 'user', id: wes.id, roles: ['Owner'] })).status).toBe(200);
    const wesToken = await tokenIn(t, wes, A, 'Owner');
    expect((await t.get(t.ws('/members', A), { token: wesToken })).status).toBe(200);
    expect((await t.request('PUT', t.ws('/members', A), { type: 'user', id: wes.id, roles: ['Reader'] })).status).toBe(200);
    // Wes is a Reader now: his old Owner token must not manage the workspace any more.
    const grab = await t.request('PUT', t.ws('/members', A), { type: 'user', id: wes.id, roles: ['Owner'] }, { token: wesToken });
    expect(grab.status).toBe(403);
    expect(rolesOf(await members(A), wes.id)).toEqual(['Reader']);
    expect((await t.patch(t.ws('', A), { name: 'Wes rules' }, { token: wesToken })).status).toBe(403);
  });

  it('GET /api/v1/auth/me reflects memberships and roles, direct and through groups', async () => {
    const zoe = await userWithPassword(t, 'Zoe');
    const session = await sessionOf(t, zoe.email, zoe.password);
    expect((await t.get('/api/v1/auth/me', session)).body.workspaces).toEqual([]);

    expect((await t.request('PUT', t.ws('/members', A), { email: zoe.email, roles: ['Reader'] })).status).toBe(200);
    const crew = await createGroup(t, { name: 'Night Crew', members: [zoe as TestUser] });
    expect((await t.request('PUT', t.ws('/members', A), { type: 'group', id: crew.id, roles: ['Responder'] })).status).toBe(200);
    expect((await t.request('PUT', t.ws('/members', B), { type: 'group', id: crew.id, roles: ['Contributor'] })).status).toBe(
      200,
    );
    const me = await t.get('/api/v1/auth/me', session);
    expect(me.body.via).toBe('session');
    const seen = Object.fromEntries(me.body.workspaces.map((w: any) => [w.id, w.roles]));
    expect(seen).toEqual({ [A]: ['Reader', 'Responder'], [B]: ['Contributor'] });
    expect(me.body.workspaces.find((w: any) => w.id === A)).toMatchObject({ name: 'Alpha Security Operations', archived: false });

    expect((await t.delete(t.ws(`/members/group/${crew.id}`, B))).status).toBe(204);
    expect((await t.request('PUT', t.ws('/members', A), { email: zoe.email, roles: [] })).status).toBe(200);
    const after = await t.get('/api/v1/auth/me', session);
    expect(after.body.workspaces.map((w: any) => [w.id, w.roles])).toEqual([[A, ['Responder']]]);

    // An archived workspace leaves a member's lists.
    expect((await t.post(`/api/v1/workspaces/${A}/archive`)).status).toBe(200);
    expect((await t.get('/api/v1/auth/me', session)).body.workspaces).toEqual([]);
    expect((await t.get('/api/v1/workspaces', session)).body.items).toEqual([]);
    expect((await t.post(`/api/v1/workspaces/${A}/unarchive`)).status).toBe(200);
    expect((await t.get('/api/v1/auth/me', session)).body.workspaces.map((w: any) => w.id)).toEqual([A]);
  });
});
