import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentBody } from '../support/fixtures.js';
import { userWithToken } from '../support/people.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** Signs in from a given client address (the login throttle counts per address). */
async function login(t: TestApp, email: string, password: string, remoteAddress = '127.0.0.1') {
  const res = await t.app.server.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ email, password }),
    remoteAddress,
  });
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
}

describeEachDialect('auth basics', (dialect) => {
  let t: TestApp;
  let incidentNumber: number;
  let reader: { id: string; token: string };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const created = await t.post(t.ws('/incidents'), incidentBody({ title: 'Auth target' }));
    expect(created.status).toBe(201);
    incidentNumber = created.body.number;
    reader = await userWithToken(t, 'Rita', 'Reader');
    const at = Date.now();
    await t.app.storage.db
      .insertInto('workspaces')
      .values({
        id: 'other',
        name: 'Other',
        settings: '{}',
        next_incident_number: 1,
        created_at: at,
        updated_at: at,
        archived_at: null,
        version: 1,
      })
      .execute();
  });
  afterAll(() => t.close());

  const incidentUrl = () => t.ws(`/incidents/${incidentNumber}`);

  describe('bearer tokens', () => {
    it('refuses a request without credentials with 401', async () => {
      const res = await t.get(t.ws('/incidents'), { token: null });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
      expect((await t.patch(incidentUrl(), { severity: 'High' }, { token: null })).status).toBe(401);
    });

    it('refuses an unknown token and a malformed Authorization header with 401', async () => {
      expect((await t.get(t.ws('/incidents'), { token: 'vgl_not-a-real-token' })).status).toBe(401);
      const basic = await t.get(t.ws('/incidents'), { token: null, headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
      expect(basic.status).toBe(401);
      expect(basic.body.error.code).toBe('unauthorized');
    });

    it('lets a Reader read but not change (403), and changes nothing', async () => {
      const read = await t.get(incidentUrl(), { token: reader.token });
      expect(read.status).toBe(200);
      expect((await t.get(t.ws('/incidents'), { token: reader.token })).status).toBe(200);
      const write = await t.patch(incidentUrl(), { severity: 'Informational' }, { token: reader.token });
      expect(write.status).toBe(403);
      expect(write.body.error.code).toBe('forbidden');
      expect(write.body.error.message).toMatch(/Reader/);
      const comment = await t.post(`${incidentUrl()}/comments`, { message: 'hi' }, { token: reader.token });
      expect(comment.status).toBe(403);
      const after = await t.get(incidentUrl());
      expect(after.body.severity).toBe(read.body.severity);
      expect(after.body.commentCount).toBe(0);
    });

    it('answers 404 for a workspace the caller has no role in, like one that does not exist', async () => {
      const other = await t.get(t.ws('/incidents', 'other'));
      expect(other.status).toBe(404);
      expect(other.body.error.code).toBe('not_found');
      const missing = await t.get(t.ws('/incidents', 'nope'));
      expect(missing.status).toBe(404);
      expect(other.body.error.message.replace('other', 'X')).toBe(missing.body.error.message.replace('nope', 'X'));
      expect((await t.post(t.ws('/incidents', 'other'), incidentBody())).status).toBe(404);
      // Not even the administrator's own session sees it without a role there.
      const session = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
      const cookie = String(session.headers['set-cookie']).split(';')[0]!;
      expect((await t.get(t.ws('/incidents', 'other'), { token: null, headers: { cookie } })).status).toBe(404);
    });

    it('revokes a token: 401 afterwards', async () => {
      const created = await t.post('/api/v1/auth/tokens', { name: 'short-lived', role: 'Responder' });
      expect(created.status).toBe(201);
      expect(created.body.token).toMatch(/^vgl_/);
      expect(created.body.role).toBe('Responder');
      const secret = created.body.token;
      expect((await t.get(t.ws('/incidents'), { token: secret })).status).toBe(200);
      const revoked = await t.delete(`/api/v1/auth/tokens/${created.body.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).not.toBeNull();
      const after = await t.get(t.ws('/incidents'), { token: secret });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('unauthorized');
      // The token list shows it revoked and never shows a secret.
      const list = await t.get('/api/v1/auth/tokens');
      const listed = list.body.items.find((i: any) => i.id === created.body.id);
      expect(listed.revokedAt).not.toBeNull();
      expect(JSON.stringify(list.body)).not.toContain(secret);
    });

    it('refuses a token carrying more than its owner holds', async () => {
      const res = await t.post('/api/v1/auth/tokens', { name: 'escalate', role: 'Owner' }, { token: reader.token });
      expect(res.status).toBe(403);
    });

    it('GET /api/v1/auth/me describes the token caller', async () => {
      const me = await t.get('/api/v1/auth/me');
      expect(me.status).toBe(200);
      expect(me.body.user).toMatchObject({ id: t.adminId, email: ADMIN_EMAIL, isAdmin: true });
      expect(me.body.via).toBe('token');
      expect(me.body.csrfToken).toBeNull();
      expect(me.body.workspaces).toEqual([expect.objectContaining({ id: 'default', roles: ['Owner'] })]);
      expect(JSON.stringify(me.body)).not.toMatch(/scrypt|passwordHash|password_hash/);
      const asReader = await t.get('/api/v1/auth/me', { token: reader.token });
      expect(asReader.body.user.id).toBe(reader.id);
      expect(asReader.body.workspaces[0].roles).toEqual(['Reader']);
      expect((await t.get('/api/v1/auth/me', { token: null })).status).toBe(401);
    });
  });

  describe('sessions', () => {
    it('signs in with email and password: an httpOnly SameSite cookie and a CSRF token', async () => {
      const res = await login(t, ADMIN_EMAIL.toUpperCase(), ADMIN_PASSWORD);
      expect(res.status).toBe(200);
      expect(res.body.user.email).toBe(ADMIN_EMAIL);
      expect(res.body.csrfToken).toBeTruthy();
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie).toMatch(/^vigil_session=[^;]+/);
      expect(setCookie).toMatch(/;\s*HttpOnly/i);
      expect(setCookie).toMatch(/;\s*SameSite=(Lax|Strict)/i);
      expect(setCookie).toMatch(/;\s*Path=\//i);
      expect(JSON.stringify(res.body)).not.toContain(setCookie.split(';')[0]!.split('=')[1]!);
    });

    it('needs X-CSRF-Token for cookie-authenticated changes', async () => {
      const session = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
      const cookie = String(session.headers['set-cookie']).split(';')[0]!;
      const read = await t.get(incidentUrl(), { token: null, headers: { cookie } });
      expect(read.status).toBe(200);
      const before = read.body.severity;

      const without = await t.patch(incidentUrl(), { severity: 'Low' }, { token: null, headers: { cookie } });
      expect(without.status).toBe(403);
      expect(without.body.error.message).toMatch(/CSRF/i);
      const wrong = await t.patch(
        incidentUrl(),
        { severity: 'Low' },
        { token: null, headers: { cookie, 'x-csrf-token': 'csrf_wrong' } },
      );
      expect(wrong.status).toBe(403);
      expect((await t.get(incidentUrl())).body.severity).toBe(before);

      const me = await t.get('/api/v1/auth/me', { token: null, headers: { cookie } });
      expect(me.status).toBe(200);
      expect(me.body.via).toBe('session');
      expect(me.body.csrfToken).toBe(session.body.csrfToken);

      const withToken = await t.patch(
        incidentUrl(),
        { severity: 'Low' },
        { token: null, headers: { cookie, 'x-csrf-token': me.body.csrfToken } },
      );
      expect(withToken.status).toBe(200);
      expect(withToken.body.severity).toBe('Low');
    });

    it('ends the session on logout', async () => {
      const session = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
      const cookie = String(session.headers['set-cookie']).split(';')[0]!;
      const out = await t.post('/api/v1/auth/logout', undefined, {
        token: null,
        headers: { cookie, 'x-csrf-token': session.body.csrfToken },
      });
      expect(out.status).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/);
      expect((await t.get('/api/v1/auth/me', { token: null, headers: { cookie } })).status).toBe(401);
    });

    it('answers a wrong password and an unknown email alike with 401', async () => {
      const wrong = await login(t, ADMIN_EMAIL, 'not the password at all', '10.0.0.1');
      const unknown = await login(t, 'nobody@example.test', ADMIN_PASSWORD, '10.0.0.1');
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.error.code).toBe('unauthorized');
      expect(wrong.body.error.message).toBe(unknown.body.error.message);
      expect(wrong.headers['set-cookie']).toBeUndefined();
      expect(unknown.headers['set-cookie']).toBeUndefined();
      // Failures do not lock the account for a correct sign-in afterwards.
      expect((await login(t, ADMIN_EMAIL, ADMIN_PASSWORD, '10.0.0.1')).status).toBe(200);
    });

    it('refuses a missing password with 400', async () => {
      const res = await t.post('/api/v1/auth/login', { email: ADMIN_EMAIL }, { token: null });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/password/);
    });

    it('throttles: the 11th failed sign-in from an address is answered 429', async () => {
      const address = '10.9.9.9';
      for (let i = 1; i <= 10; i += 1) {
        const res = await login(t, `guess${i}@example.test`, `wrong password ${i}`, address);
        expect(res.status, `attempt ${i}`).toBe(401);
      }
      const eleventh = await login(t, 'guess11@example.test', 'wrong password 11', address);
      expect(eleventh.status).toBe(429);
      expect(eleventh.body.error.code).toBe('rate_limited');
      expect(eleventh.body.error.message).toMatch(/try again/i);
      // Even the right password is refused from that address for now…
      expect((await login(t, ADMIN_EMAIL, ADMIN_PASSWORD, address)).status).toBe(429);
      // …but not from another one.
      expect((await login(t, ADMIN_EMAIL, ADMIN_PASSWORD, '10.1.1.1')).status).toBe(200);
    });

    it('throttles per account too: 10 failures for one email lock it from any address', async () => {
      const email = 'target@example.test';
      for (let i = 1; i <= 10; i += 1) expect((await login(t, email, 'wrong wrong wrong', `10.2.0.${i}`)).status).toBe(401);
      expect((await login(t, email, 'wrong wrong wrong', '10.3.0.1')).status).toBe(429);
    });
  });
});
