import { afterAll, beforeAll, expect, it } from 'vitest';
import { incidentBody } from '../support/fixtures.js';
import { createUser, tokenFor } from '../support/people.js';
import { ADMIN_EMAIL, describeEachDialect, startTestApp, type TestApp, type TestResponse } from '../support/test-app.js';

/** A signed-in session: the cookie, its CSRF token, and request options that use them. */
interface Session {
  status: number;
  body: any;
  cookie: string;
  opts: { token: null; headers: Record<string, string> };
}

let address = 0;
/** A fresh client address per call, so that failed sign-ins never throttle each other by address. */
const nextAddress = () => `10.77.${Math.floor(++address / 250)}.${(address % 250) + 1}`;

async function login(t: TestApp, email: string, password: string): Promise<Session> {
  const res = await t.app.server.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ email, password }),
    remoteAddress: nextAddress(),
  });
  const body = JSON.parse(res.body);
  const cookie = res.headers['set-cookie'] ? String(res.headers['set-cookie']).split(';')[0]! : '';
  return {
    status: res.statusCode,
    body,
    cookie,
    opts: { token: null, headers: { cookie, 'x-csrf-token': body.csrfToken ?? '' } },
  };
}

const json = (res: TestResponse) => JSON.stringify(res.body);

describeEachDialect('users and groups (administrators)', (dialect) => {
  let t: TestApp;
  let incidentNumber: number;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const created = await t.post(t.ws('/incidents'), incidentBody({ title: 'Users target' }));
    expect(created.status).toBe(201);
    incidentNumber = created.body.number;
  });
  afterAll(() => t.close());

  const grant = (body: Record<string, unknown>) => t.request('PUT', t.ws('/members'), body);

  it('creates a user without a password: a one-time password shown once that must be changed before anything else', async () => {
    const email = 'ana.lyst@example.test';
    const created = await t.post('/api/v1/users', { email, displayName: 'Ana Lyst' });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({
      email,
      displayName: 'Ana Lyst',
      isAdmin: false,
      disabled: false,
      mustChangePassword: true,
    });
    const otp: string = created.body.oneTimePassword;
    expect(typeof otp).toBe('string');
    expect(otp.length).toBeGreaterThanOrEqual(12);
    const userId = created.body.user.id;
    // Shown only at creation.
    expect(json(await t.get(`/api/v1/users/${userId}`))).not.toContain(otp);
    expect(json(await t.get('/api/v1/users?q=lyst'))).not.toContain(otp);
    expect((await grant({ email, roles: ['Responder'] })).status).toBe(200);

    const first = await login(t, email, otp);
    expect(first.status).toBe(200);
    expect(first.body.user.mustChangePassword).toBe(true);
    const second = await login(t, email, otp);
    expect(second.status).toBe(200);

    const blocked = [
      await t.get(t.ws('/incidents'), first.opts),
      await t.get('/api/v1/workspaces', first.opts),
      await t.patch(t.ws(`/incidents/${incidentNumber}`), { severity: 'Low' }, first.opts),
      await t.post('/api/v1/auth/tokens', { name: 'sneaky', role: 'Reader' }, first.opts),
    ];
    for (const res of blocked) {
      expect(res.status).toBe(403);
      expect(res.body.error.details.reason).toBe('password_change_required');
    }
    const me = await t.get('/api/v1/auth/me', first.opts);
    expect(me.status).toBe(200);
    expect(me.body.user.mustChangePassword).toBe(true);

    const newPassword = 'a brand new passphrase 42';
    const wrong = await t.post('/api/v1/auth/password', { currentPassword: 'not the one-time one', newPassword }, first.opts);
    expect(wrong.status).toBe(403);
    expect((await t.get(t.ws('/incidents'), first.opts)).body.error.details.reason).toBe('password_change_required');
    const short = await t.post('/api/v1/auth/password', { currentPassword: otp, newPassword: 'Short-pw-1' }, first.opts);
    expect(short.status).toBe(400);
    expect(short.body.error.details.map((d: any) => d.path)).toContain('newPassword');

    const changed = await t.post('/api/v1/auth/password', { currentPassword: otp, newPassword }, first.opts);
    expect(changed.status).toBe(204);
    // This session continues normally; the other one has ended.
    expect((await t.get(t.ws('/incidents'), first.opts)).status).toBe(200);
    expect((await t.get('/api/v1/auth/me', first.opts)).body.user.mustChangePassword).toBe(false);
    expect((await t.get('/api/v1/auth/me', second.opts)).status).toBe(401);
    expect((await t.get(`/api/v1/users/${userId}`)).body.mustChangePassword).toBe(false);
    expect((await login(t, email, otp)).status).toBe(401);
    expect((await login(t, email, newPassword)).status).toBe(200);
  });

  it('a user created with a password signs in directly; a duplicate email (any case) is 409', async () => {
    const email = 'bo.direct@example.test';
    const password = 'bo direct chosen password';
    const created = await t.post('/api/v1/users', { email, displayName: 'Bo Direct', password });
    expect(created.status).toBe(201);
    expect(created.body.oneTimePassword).toBeNull();
    expect(created.body.user.mustChangePassword).toBe(false);
    const session = await login(t, email, password);
    expect(session.status).toBe(200);
    expect(session.body.user.mustChangePassword).toBe(false);
    const list = await t.get('/api/v1/workspaces', session.opts);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);

    const duplicate = await t.post('/api/v1/users', { email: email.toUpperCase(), displayName: 'Bo Again' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('conflict');
    const users = await t.get(`/api/v1/users?q=${encodeURIComponent('bo.direct')}`);
    expect(users.body.items).toHaveLength(1);
    expect(users.body.items[0].displayName).toBe('Bo Direct');
  });

  it('never returns a password or a password hash', async () => {
    const password = 'Never-Returned-Secret-77';
    const email = 'cy.secret@example.test';
    const responses: TestResponse[] = [];
    const created = await t.post('/api/v1/users', { email, displayName: 'Cy Secret', password });
    expect(created.status).toBe(201);
    const id = created.body.user.id;
    responses.push(created);
    responses.push(await t.get(`/api/v1/users/${id}`));
    responses.push(await t.get(`/api/v1/users/${encodeURIComponent(email)}`));
    responses.push(await t.get('/api/v1/users?limit=500'));
    responses.push(await t.patch(`/api/v1/users/${id}`, { displayName: 'Cy Renamed' }));
    const group = await t.post('/api/v1/groups', { name: 'Secret keepers' });
    responses.push(group);
    responses.push(await t.request('PUT', `/api/v1/groups/${group.body.id}/members/${id}`));
    responses.push(await t.get('/api/v1/groups'));
    const session = await login(t, email, password);
    expect(session.status).toBe(200);
    responses.push(session as unknown as TestResponse);
    responses.push(await t.get('/api/v1/auth/me', session.opts));
    // A rejected password is not quoted back either (error messages quote other invalid input).
    const shortChange = await t.post(
      '/api/v1/auth/password',
      { currentPassword: password, newPassword: 'Tiny-pw-98' },
      session.opts,
    );
    expect(shortChange.status).toBe(400);
    responses.push(shortChange);
    const again = 'Never-Returned-Secret-88';
    responses.push(await t.post(`/api/v1/users/${id}/reset-password`, { password: again }));
    const tooShort = 'Tiny-pw-99';
    const refused = await t.post('/api/v1/users', { email: 'short@example.test', displayName: 'Short', password: tooShort });
    expect(refused.status).toBe(400);
    responses.push(refused);
    for (const res of responses) {
      const text = json(res);
      for (const secret of [password, again, 'Tiny-pw-98', tooShort]) expect(text, text).not.toContain(secret);
      expect(text).not.toMatch(/scrypt|password_?hash/i);
    }
  });

  it("resets a password: the user's sessions end and a new one-time password is returned", async () => {
    const email = 'di.reset@example.test';
    const password = 'di original password';
    const created = await t.post('/api/v1/users', { email, displayName: 'Di Reset', password });
    const session = await login(t, email, password);
    expect((await t.get('/api/v1/auth/me', session.opts)).status).toBe(200);

    const reset = await t.post(`/api/v1/users/${encodeURIComponent(email)}/reset-password`, {});
    expect(reset.status).toBe(200);
    const otp: string = reset.body.oneTimePassword;
    expect(otp.length).toBeGreaterThanOrEqual(12);
    expect(reset.body.user).toMatchObject({ id: created.body.user.id, mustChangePassword: true });
    expect((await t.get('/api/v1/auth/me', session.opts)).status).toBe(401);
    expect((await login(t, email, password)).status).toBe(401);
    const fresh = await login(t, email, otp);
    expect(fresh.status).toBe(200);
    expect(fresh.body.user.mustChangePassword).toBe(true);
    expect((await t.get('/api/v1/workspaces', fresh.opts)).body.error.details.reason).toBe('password_change_required');

    const again = await t.post(`/api/v1/users/${created.body.user.id}/reset-password`, {});
    expect(again.body.oneTimePassword).not.toBe(otp);
    expect((await t.get('/api/v1/auth/me', fresh.opts)).status).toBe(401);
    expect((await t.post('/api/v1/users/nobody@example.test/reset-password', {})).status).toBe(404);
  });

  it('reset-password takes no body at all (the body is optional)', async () => {
    const created = await t.post('/api/v1/users', {
      email: 'no.body@example.test',
      displayName: 'No Body',
      password: 'no body password 1',
    });
    const reset = await t.post(`/api/v1/users/${created.body.user.id}/reset-password`);
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body.oneTimePassword).toEqual(expect.any(String));
  });

  it('disabling a user ends their sessions and stops their tokens', async () => {
    const email = 'ed.disabled@example.test';
    const password = 'ed disabled password';
    const created = await t.post('/api/v1/users', { email, displayName: 'Ed Disabled', password });
    expect((await grant({ email, roles: ['Responder'] })).status).toBe(200);
    const session = await login(t, email, password);
    const token = await t.post('/api/v1/auth/tokens', { name: 'ed', role: 'Responder' }, session.opts);
    expect(token.status).toBe(201);
    const bearer = { token: token.body.token as string };
    expect((await t.get(t.ws('/incidents'), bearer)).status).toBe(200);

    const disabled = await t.patch(`/api/v1/users/${created.body.user.id}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabled).toBe(true);
    expect((await t.get(t.ws('/incidents'), session.opts)).status).toBe(401);
    expect((await t.get('/api/v1/auth/me', session.opts)).status).toBe(401);
    expect((await t.get(t.ws('/incidents'), bearer)).status).toBe(401);
    expect((await t.patch(t.ws(`/incidents/${incidentNumber}`), { severity: 'Low' }, bearer)).status).toBe(401);
    const refused = await login(t, email, password);
    expect(refused.status).toBe(401);
    expect(refused.cookie).toBe('');
  });

  it('the last active administrator cannot be disabled or demoted (422)', async () => {
    for (const patch of [{ isAdmin: false }, { disabled: true }]) {
      const res = await t.patch(`/api/v1/users/${t.adminId}`, patch);
      expect(res.status, JSON.stringify(patch)).toBe(422);
      expect(res.body.error.code).toBe('rule_violation');
    }
    expect(await t.get(`/api/v1/users/${encodeURIComponent(ADMIN_EMAIL)}`).then((r) => r.body)).toMatchObject({
      isAdmin: true,
      disabled: false,
    });
    // A second administrator who is disabled does not count: the first is still the last active one.
    const other = await t.post('/api/v1/users', { email: 'fa.admin@example.test', displayName: 'Fa Admin', isAdmin: true });
    expect(other.body.user.isAdmin).toBe(true);
    expect((await t.patch(`/api/v1/users/${other.body.user.id}`, { disabled: true })).status).toBe(200);
    expect((await t.patch(`/api/v1/users/${t.adminId}`, { isAdmin: false })).status).toBe(422);
    // With two active administrators, one may be demoted.
    expect((await t.patch(`/api/v1/users/${other.body.user.id}`, { disabled: false })).status).toBe(200);
    const demoted = await t.patch(`/api/v1/users/${other.body.user.id}`, { isAdmin: false });
    expect(demoted.status).toBe(200);
    expect(demoted.body.isAdmin).toBe(false);
    expect((await t.get(`/api/v1/users/${t.adminId}`)).body.isAdmin).toBe(true);
  });

  it('refuses users and groups administration to non-administrators (403), even workspace Owners', async () => {
    const owner = await createUser(t, { role: 'Owner' });
    const opts = { token: await tokenFor(t, owner, 'Owner') };
    const attempts = [
      await t.get('/api/v1/users', opts),
      await t.get(`/api/v1/users/${t.adminId}`, opts),
      await t.post('/api/v1/users', { email: 'escalated@example.test', displayName: 'Esc' }, opts),
      await t.patch(`/api/v1/users/${owner.id}`, { isAdmin: true }, opts),
      await t.post(`/api/v1/users/${t.adminId}/reset-password`, undefined, opts),
      await t.get('/api/v1/groups', opts),
      await t.post('/api/v1/groups', { name: 'Escalators' }, opts),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await t.get('/api/v1/users?q=escalated')).body.items).toEqual([]);
    expect((await t.get(`/api/v1/users/${owner.id}`)).body.isAdmin).toBe(false);
    expect((await t.get('/api/v1/groups')).body.items.map((g: any) => g.name)).not.toContain('Escalators');
  });

  it('groups: unique names, members, roles through the group, group owners of incidents, deletion removes roles', async () => {
    const name = 'SOC Tier 1';
    const group = await t.post('/api/v1/groups', { name, description: 'First line' });
    expect(group.status).toBe(201);
    expect(group.body).toMatchObject({ name, description: 'First line', members: [] });
    expect((await t.post('/api/v1/groups', { name: 'soc tier 1' })).status).toBe(409);

    const email = 'gus.member@example.test';
    const password = 'gus member password';
    const user = (await t.post('/api/v1/users', { email, displayName: 'Gus Member', password })).body.user;
    const groupUrl = `/api/v1/groups/${encodeURIComponent(name)}`;
    const added = await t.request('PUT', `${groupUrl}/members/${encodeURIComponent(email)}`);
    expect(added.status).toBe(200);
    expect(added.body.members).toEqual([{ id: user.id, email, displayName: 'Gus Member' }]);
    expect((await t.request('PUT', `${groupUrl}/members/${user.id}`)).body.members).toHaveLength(1);

    const session = await login(t, email, password);
    const incidentUrl = t.ws(`/incidents/${incidentNumber}`);
    expect((await t.get(incidentUrl, session.opts)).status).toBe(404);
    expect((await grant({ type: 'group', name, roles: ['Responder'] })).status).toBe(200);
    expect((await t.get(incidentUrl, session.opts)).status).toBe(200);
    const me = await t.get('/api/v1/auth/me', session.opts);
    expect(me.body.workspaces).toEqual([expect.objectContaining({ id: 'default', roles: ['Responder'] })]);
    const changed = await t.patch(incidentUrl, { severity: 'High' }, session.opts);
    expect(changed.status).toBe(200);

    // An incident can be owned by a group that holds a role in the workspace, not by one that does not.
    const owned = await t.patch(incidentUrl, { owner: { type: 'group', name } });
    expect(owned.status).toBe(200);
    expect(owned.body.owner).toMatchObject({ type: 'group', id: group.body.id, name, email: null });
    const outsider = await t.post('/api/v1/groups', { name: 'Not in default' });
    const refused = await t.patch(incidentUrl, { owner: { type: 'group', id: outsider.body.id } });
    expect(refused.status).toBe(422);
    expect((await t.get(incidentUrl)).body.owner.id).toBe(group.body.id);

    // Removing the member takes the group's role away from them.
    const removed = await t.delete(`${groupUrl}/members/${encodeURIComponent(email)}`);
    expect(removed.status).toBe(200);
    expect(removed.body.members).toEqual([]);
    expect((await t.get(incidentUrl, session.opts)).status).toBe(404);
    expect((await t.request('PUT', `${groupUrl}/members/${user.id}`)).status).toBe(200);
    expect((await t.get(incidentUrl, session.opts)).status).toBe(200);

    // Deleting the group removes its memberships and its roles.
    expect((await t.delete(`/api/v1/groups/${group.body.id}`)).status).toBe(204);
    expect((await t.get(`/api/v1/groups/${group.body.id}`)).status).toBe(404);
    const members = await t.get(t.ws('/members'));
    expect(members.body.items.filter((m: any) => m.type === 'group').map((m: any) => m.id)).not.toContain(group.body.id);
    expect((await t.get(incidentUrl, session.opts)).status).toBe(404);
    expect((await t.get('/api/v1/auth/me', session.opts)).body.workspaces).toEqual([]);
    // A new group of the same name starts without the old one's roles.
    const reborn = await t.post('/api/v1/groups', { name });
    expect(reborn.status).toBe(201);
    expect((await t.request('PUT', `${groupUrl}/members/${user.id}`)).status).toBe(200);
    expect((await t.get(incidentUrl, session.opts)).status).toBe(404);
  });
});
