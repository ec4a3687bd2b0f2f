import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { createTestDatabase } from '../support/databases.js';
import { createUser } from '../support/people.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let address = 0;
const nextAddress = () => `10.66.${Math.floor(++address / 250)}.${(address % 250) + 1}`;

type Inject = TestApp['app']['server']['inject'];

/** Signs in through the HTTP API from a fresh client address, optionally carrying a Cookie header. */
async function login(inject: Inject, email: string, password: string, options: { cookie?: string; ip?: string } = {}) {
  const res = await inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json', ...(options.cookie ? { cookie: options.cookie } : {}) },
    payload: JSON.stringify({ email, password }),
    remoteAddress: options.ip ?? nextAddress(),
  });
  const body = JSON.parse(res.body);
  const setCookie = res.headers['set-cookie'] === undefined ? '' : String(res.headers['set-cookie']);
  const cookie = setCookie.split(';')[0]!;
  return {
    status: res.statusCode,
    body,
    setCookie,
    cookie,
    sessionId: decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)),
    /** Cookie only (reads). */
    read: { token: null, headers: { cookie } },
    /** Cookie and the right CSRF token (writes). */
    write: { token: null, headers: { cookie, 'x-csrf-token': String(body.csrfToken) } },
  };
}

describeEachDialect('sessions', (dialect) => {
  let t: TestApp;
  let clock = Date.parse('2026-11-02T08:00:00.000Z');
  const inject: Inject = ((opts: any) => t.app.server.inject(opts)) as Inject;
  const me = (opts: object) => t.get('/api/v1/auth/me', opts);

  /** A user with a password, created through the API. */
  async function person(name: string) {
    const email = `${name.toLowerCase()}@example.test`;
    const password = `${name}'s long password`;
    const res = await t.post('/api/v1/users', { email, displayName: name, password });
    expect(res.status).toBe(201);
    return { id: res.body.user.id as string, email, password };
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { now: () => clock });
  });
  afterAll(() => t.close());

  it('signing in sets an httpOnly SameSite cookie for 7 days and returns a CSRF token', async () => {
    const res = await login(inject, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.setCookie).toMatch(/^vigil_session=vss_[\w-]{20,};/);
    expect(res.setCookie).toMatch(/;\s*HttpOnly(;|$)/i);
    expect(res.setCookie).toMatch(/;\s*SameSite=Lax(;|$)/i);
    expect(res.setCookie).toMatch(/;\s*Max-Age=604800(;|$)/);
    expect(res.setCookie).not.toMatch(/Secure/i); // PUBLIC_URL is http here
    expect(res.body.csrfToken).toMatch(/^csrf_[\w-]{20,}$/);
    expect(res.body.expiresAt).toBe(new Date(clock + 7 * DAY).toISOString());
    expect(JSON.stringify(res.body)).not.toContain(res.sessionId);
  });

  it('session fixation: a cookie planted before sign-in is replaced and never becomes a session', async () => {
    const planted = 'vss_attacker-chosen-value-0123456789abcdef0123456789';
    const victim = await login(inject, ADMIN_EMAIL, ADMIN_PASSWORD, { cookie: `vigil_session=${planted}` });
    expect(victim.status).toBe(200);
    expect(victim.sessionId).not.toBe(planted);
    expect((await me(victim.read)).body.user.email).toBe(ADMIN_EMAIL);
    const attacker = await me({ token: null, headers: { cookie: `vigil_session=${planted}` } });
    expect(attacker.status).toBe(401);

    // An attacker who plants their own real session does not get the victim's sign-in either.
    const mallory = await person('Mallory');
    const own = await login(inject, mallory.email, mallory.password);
    const second = await login(inject, ADMIN_EMAIL, ADMIN_PASSWORD, { cookie: own.cookie });
    expect(second.sessionId).not.toBe(own.sessionId);
    expect((await me(own.read)).body.user.id).toBe(mallory.id);
    expect((await me(second.read)).body.user.email).toBe(ADMIN_EMAIL);
  });

  it("cookie-authenticated changes need this session's X-CSRF-Token; reads do not", async () => {
    const session = await login(inject, ADMIN_EMAIL, ADMIN_PASSWORD);
    const other = await login(inject, ADMIN_EMAIL, ADMIN_PASSWORD);
    const create = (headers: Record<string, string>) =>
      t.post('/api/v1/auth/tokens', { name: 'csrf-check', role: 'Reader' }, { token: null, headers });
    const tokensBefore = (await t.get('/api/v1/auth/tokens')).body.items.length;

    expect((await t.get(t.ws('/incidents'), session.read)).status).toBe(200);
    expect((await t.get('/api/v1/auth/tokens', session.read)).status).toBe(200);
    const attempts: Record<string, string>[] = [
      { cookie: session.cookie },
      { cookie: session.cookie, 'x-csrf-token': 'csrf_wrong' },
      { cookie: session.cookie, 'x-csrf-token': '' },
      { cookie: session.cookie, 'x-csrf-token': String(other.body.csrfToken) },
    ];
    for (const headers of attempts) {
      const res = await create(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await t.get('/api/v1/auth/tokens')).body.items.length).toBe(tokensBefore);
    const ok = await create(session.write.headers);
    expect(ok.status).toBe(201);
    expect((await t.delete(`/api/v1/auth/tokens/${ok.body.id}`, session.read)).status).toBe(403);
    expect((await t.delete(`/api/v1/auth/tokens/${ok.body.id}`, session.write)).status).toBe(200);
  });

  it('logout needs the CSRF token and ends only that session', async () => {
    const one = await login(inject, ADMIN_EMAIL, ADMIN_PASSWORD);
    const two = await login(inject, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await t.post('/api/v1/auth/logout', undefined, one.read)).status).toBe(403);
    expect((await me(one.read)).status).toBe(200);
    const out = await t.post('/api/v1/auth/logout', undefined, one.write);
    expect(out.status).toBe(204);
    expect((await me(one.read)).status).toBe(401);
    expect((await t.get(t.ws('/incidents'), one.read)).status).toBe(401);
    expect((await t.post('/api/v1/auth/logout', undefined, one.write)).status).toBe(401);
    expect((await me(two.read)).status).toBe(200);
  });

  it('a session ends after 8 hours without use; use keeps it alive', async () => {
    const session = await login(inject, ADMIN_EMAIL, ADMIN_PASSWORD);
    clock += 8 * HOUR - MINUTE;
    expect((await me(session.read)).status).toBe(200);
    clock += 8 * HOUR - MINUTE;
    expect((await me(session.read)).status).toBe(200);
    clock += 8 * HOUR;
    const expired = await me(session.read);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('unauthorized');
    clock -= HOUR; // even if the clock steps back, the expired session is gone
    expect((await me(session.read)).status).toBe(401);
    clock += HOUR;
  });

  it('a session ends 7 days after sign-in however often it is used', async () => {
    const start = clock;
    const session = await login(inject, ADMIN_EMAIL, ADMIN_PASSWORD);
    while (clock + 7 * HOUR < start + 7 * DAY) {
      clock += 7 * HOUR;
      expect((await me(session.read)).status).toBe(200);
    }
    clock = start + 7 * DAY - MINUTE;
    expect((await t.get(t.ws('/incidents'), session.read)).status).toBe(200);
    clock = start + 7 * DAY + MINUTE;
    expect((await me(session.read)).status).toBe(401);
    expect((await t.get(t.ws('/incidents'), session.read)).status).toBe(401);
  });

  it('10 wrong passwords lock one account (429, even with the right password) for 15 minutes; others are unaffected', async () => {
    const victim = await person('Victor');
    const bystander = await person('Bea');
    const ips = Array.from({ length: 11 }, () => nextAddress());
    for (let i = 0; i < 10; i += 1) {
      expect((await login(inject, victim.email, `wrong guess ${i}`, { ip: ips[i] })).status, `attempt ${i + 1}`).toBe(401);
    }
    const locked = await login(inject, victim.email.toUpperCase(), victim.password, { ip: ips[10] });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    expect(locked.body.error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(locked.body.error.details.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(locked.setCookie).toBe('');
    // Another account signs in fine, even from an address used in the attack.
    expect((await login(inject, bystander.email, bystander.password, { ip: ips[0] })).status).toBe(200);
    clock += 5 * MINUTE;
    expect((await login(inject, victim.email, victim.password)).status).toBe(429);
    clock += 10 * MINUTE + 1000;
    expect((await login(inject, victim.email, victim.password)).status).toBe(200);
  });

  it('answers a wrong password, an unknown email, a disabled account and one without a password alike', async () => {
    const disabled = await person('Dora');
    expect((await t.patch(`/api/v1/users/${disabled.id}`, { disabled: true })).status).toBe(200);
    const noPassword = await createUser(t, { role: 'Reader' });
    const answers = [
      await login(inject, ADMIN_EMAIL, 'not the admin password'),
      await login(inject, 'nobody-at-all@example.test', ADMIN_PASSWORD),
      await login(inject, disabled.email, disabled.password),
      await login(inject, noPassword.email, 'anything long enough'),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.setCookie).toBe('');
      expect(answer.body).toEqual(answers[0]!.body);
    }
    expect(answers[0]!.body.error.message).not.toMatch(/exist|unknown|disabled/i);
  });

  it('never writes a password, a session id, a CSRF token or a hash to the log', async () => {
    const lines: string[] = [];
    const database = await createTestDatabase(dialect);
    const config = loadConfig({
      DATABASE_URL: database.target.kind === 'postgres' ? database.target.url : undefined,
      DATA_DIR: database.target.kind === 'sqlite' ? database.target.file.replace(/\/vigil\.db$/, '') : undefined,
      VIGIL_ADMIN_EMAIL: ADMIN_EMAIL,
      VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PUBLIC_URL: 'http://vigil.test',
    });
    const app = await createApp(config, { logger: createLogger('trace', { write: (line: string) => void lines.push(line) }) });
    const logInject: Inject = ((opts: any) => app.server.inject(opts)) as Inject;
    try {
      const admin = await login(logInject, ADMIN_EMAIL, ADMIN_PASSWORD);
      expect(admin.status).toBe(200);
      const failedPassword = 'Failed-Login-Password-314';
      expect((await login(logInject, ADMIN_EMAIL, failedPassword)).status).toBe(401);
      const userPassword = 'Created-User-Password-271';
      const call = (method: string, url: string, body?: unknown) =>
        app.server.inject({
          method: method as 'POST',
          url,
          headers: { ...admin.write.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          payload: body === undefined ? undefined : JSON.stringify(body),
        });
      const created = await call('POST', '/api/v1/users', {
        email: 'logged@example.test',
        displayName: 'Logged',
        password: userPassword,
      });
      expect(created.statusCode).toBe(201);
      const generated = await call('POST', '/api/v1/users', { email: 'otp@example.test', displayName: 'Otp' });
      const oneTime: string = JSON.parse(generated.body).oneTimePassword;
      const resetTo = 'Reset-To-Password-161';
      expect((await call('POST', '/api/v1/users/logged@example.test/reset-password', { password: resetTo })).statusCode).toBe(
        200,
      );
      const user = await login(logInject, 'logged@example.test', resetTo);
      const changedTo = 'Changed-To-Password-141';
      const change = await logInject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: { ...user.write.headers, 'content-type': 'application/json' },
        payload: JSON.stringify({ currentPassword: resetTo, newPassword: changedTo }),
      });
      expect(change.statusCode).toBe(204);
      const tooShort = 'Short-Pw-577';
      expect(
        (await call('POST', '/api/v1/users', { email: 's@example.test', displayName: 'S', password: tooShort.slice(0, 10) }))
          .statusCode,
      ).toBe(400);
      const token = await call('POST', '/api/v1/auth/tokens', { name: 'logged', role: 'Reader' });
      const secret: string = JSON.parse(token.body).token;
      await app.server.inject({
        method: 'GET',
        url: '/api/v1/workspaces/default/incidents',
        headers: { authorization: `Bearer ${secret}` },
      });
      await app.server.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: 'Bearer vgl_unknown-token-value-000' },
      });

      const log = lines.join('');
      expect(log).toContain('/api/v1/auth/login'); // the log was written and captured
      for (const forbidden of [
        ADMIN_PASSWORD,
        failedPassword,
        userPassword,
        oneTime,
        resetTo,
        changedTo,
        tooShort.slice(0, 10),
        admin.sessionId,
        user.sessionId,
        String(admin.body.csrfToken),
        secret,
        'vgl_unknown-token-value-000',
        'scrypt$',
      ]) {
        expect(log, forbidden).not.toContain(forbidden);
      }
    } finally {
      await app.close();
      await database.drop();
    }
  });
});
