import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/permissions.js';
import { grantRole } from '../../src/auth/membership.js';
import { findUserById } from '../../src/users/user-repository.js';
import { alert, incidentBody } from '../support/fixtures.js';
import { createUser, tokenFor, type TestUser } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp, type TestResponse } from '../support/test-app.js';

const B = 'tok-bravo';

describeEachDialect('API tokens', (dialect) => {
  let t: TestApp;
  let clockOffset = 0;
  let incident: { id: string; number: number };
  let bToken: string;

  const incidentUrl = (ws = 'default') => t.ws(`/incidents/${incident.number}`, ws);
  const mint = (body: Record<string, unknown>, token?: string) =>
    t.post('/api/v1/auth/tokens', { name: `tok-${randomUUID().slice(0, 6)}`, ...body }, { token });
  const listAll = async () => (await t.get('/api/v1/auth/tokens?all=true')).body.items as any[];

  async function tokenIn(user: TestUser, workspaceId: string, role: Role): Promise<string> {
    const record = (await findUserById(t.app.storage.db, user.id))!;
    return (await t.app.services.auth.createToken({ user: record, via: 'session' }, { name: 'svc', workspaceId, role })).token;
  }
  async function grant(user: TestUser, workspaceId: string, role: Role) {
    await grantRole(t.app.storage.db, {
      workspaceId,
      principalType: 'user',
      principalId: user.id,
      role,
      grantedBy: null,
      at: Date.now(),
    });
  }
  function expectError(res: TestResponse, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { now: () => Date.now() + clockOffset });
    incident = (await t.post(t.ws('/incidents'), incidentBody({ title: 'Token target' }))).body;
    expect((await t.post('/api/v1/workspaces', { id: B, name: 'Bravo' })).status).toBe(201);
    bToken = await tokenIn({ id: t.adminId } as TestUser, B, 'Owner');
    expect((await t.post(t.ws('/incidents', B), incidentBody({ title: 'bravosecret' }), { token: bToken })).status).toBe(201);
  });
  afterAll(() => t.close());

  describe('validity', () => {
    it('an expired token is refused with 401 (clock moved past expiresAt, or expires_at set in the past)', async () => {
      const expiresAt = new Date(Date.now() + 60_000).toISOString();
      const created = await mint({ role: 'Owner', expiresAt });
      expect(created.status).toBe(201);
      expect(Date.parse(created.body.expiresAt)).toBe(Date.parse(expiresAt));
      expect((await t.get(t.ws('/incidents'), { token: created.body.token })).status).toBe(200);
      clockOffset = 120_000;
      try {
        expectError(await t.get(t.ws('/incidents'), { token: created.body.token }), 401, 'unauthorized');
        expectError(await t.patch(incidentUrl(), { severity: 'High' }, { token: created.body.token }), 401, 'unauthorized');
      } finally {
        clockOffset = 0;
      }
      const other = await mint({ role: 'Reader' });
      expect((await t.get(t.ws('/incidents'), { token: other.body.token })).status).toBe(200);
      await t.app.storage.db
        .updateTable('api_tokens')
        .set({ expires_at: Date.now() - 1000 })
        .where('id', '=', other.body.id)
        .execute();
      expectError(await t.get(t.ws('/incidents'), { token: other.body.token }), 401, 'unauthorized');
      expect((await t.get(incidentUrl())).body.severity).toBe('Medium');
    });

    it('a revoked token is refused with 401 immediately; another member cannot revoke it', async () => {
      const user = await createUser(t, { role: 'Responder' });
      const stranger = await tokenFor(t, await createUser(t, { role: 'Responder' }), 'Responder');
      const created = await mint({ role: 'Responder' }, await tokenFor(t, user, 'Responder'));
      expect(created.status).toBe(201);
      const secret = created.body.token;
      expect((await t.get(incidentUrl(), { token: secret })).status).toBe(200);
      expectError(await t.delete(`/api/v1/auth/tokens/${created.body.id}`, { token: stranger }), 404, 'not_found');
      expect((await t.get(incidentUrl(), { token: secret })).status).toBe(200);
      const revoked = await t.delete(`/api/v1/auth/tokens/${created.body.id}`, { token: secret });
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).not.toBeNull();
      expectError(await t.get(incidentUrl(), { token: secret }), 401, 'unauthorized');
      expectError(await t.post(`${incidentUrl()}/comments`, { message: 'after revoke' }, { token: secret }), 401, 'unauthorized');
    });

    it("a disabled user's token is refused with 401", async () => {
      const user = await createUser(t, { role: 'Responder' });
      const token = await tokenFor(t, user, 'Responder');
      expect((await t.get(incidentUrl(), { token })).status).toBe(200);
      expect((await t.patch(`/api/v1/users/${user.id}`, { disabled: true })).status).toBe(200);
      expectError(await t.get(incidentUrl(), { token }), 401, 'unauthorized');
      expectError(await t.get('/api/v1/auth/me', { token }), 401, 'unauthorized');
    });

    it("removing the user's membership makes their token useless (404 on the workspace)", async () => {
      const removed = await createUser(t, { role: 'Responder' });
      const emptied = await createUser(t, { role: 'Responder' });
      const tokens = [await tokenFor(t, removed, 'Responder'), await tokenFor(t, emptied, 'Responder')];
      for (const token of tokens) expect((await t.get(incidentUrl(), { token })).status).toBe(200);
      expect((await t.delete(t.ws(`/members/user/${removed.id}`))).status).toBe(204);
      expect((await t.request('PUT', t.ws('/members'), { id: emptied.id, roles: [] })).status).toBe(200);
      for (const token of tokens) {
        expectError(await t.get(incidentUrl(), { token }), 404, 'not_found');
        expectError(await t.patch(incidentUrl(), { severity: 'Low' }, { token }), 404, 'not_found');
        const queue = await t.get('/api/v1/incidents', { token });
        expect(JSON.stringify(queue.body)).not.toContain('Token target');
      }
      expect((await t.get(incidentUrl())).body.severity).toBe('Medium');
    });
  });

  describe('scope', () => {
    it('a token for workspace A used on workspace B is a 404, like a workspace that does not exist', async () => {
      const user = await createUser(t, { role: 'Owner' });
      await grant(user, B, 'Owner');
      const token = await tokenFor(t, user, 'Owner');
      const me = await t.get('/api/v1/auth/me', { token });
      expect(me.body.workspaces.map((w: any) => w.id)).toEqual(['default']);
      for (const path of ['', '/members', '/incidents', '/analytics-rules', '/activity']) {
        const res = await t.get(t.ws(path, B), { token });
        expectError(res, 404, 'not_found');
        expect(JSON.stringify(res.body)).not.toContain('bravosecret');
        const missing = await t.get(t.ws(path, 'no-such-ws'), { token });
        expect(res.body.error.message.replace(B, 'X')).toBe(missing.body.error.message.replace('no-such-ws', 'X'));
      }
      expectError(await t.post(t.ws('/incidents', B), incidentBody(), { token }), 404, 'not_found');
      expectError(await t.request('PUT', t.ws('/members', B), { id: user.id, roles: ['Reader'] }, { token }), 404, 'not_found');
      expectError(await t.post('/api/v1/auth/tokens', { name: 'hop', workspace: B, role: 'Owner' }, { token }), 404, 'not_found');
      expect((await t.get(t.ws('/incidents', B), { token: bToken })).body.items).toHaveLength(1);
      expect(JSON.stringify((await t.get('/api/v1/incidents', { token })).body)).not.toContain('bravosecret');
    });

    it('an Ingestor token posts alerts to its workspace, cannot read incidents (403), and gets 404 in another', async () => {
      const user = await createUser(t, { role: 'Ingestor' });
      await grant(user, B, 'Ingestor');
      const token = await tokenFor(t, user, 'Ingestor');
      const sent = await t.post(t.ws('/alerts'), { alerts: [alert({ title: 'via ingestor' })] }, { token });
      expect(sent.status).toBe(201);
      expect(sent.body.counts.new).toBe(1);
      for (const path of ['/incidents', `/incidents/${incident.number}`, '/alerts', `/alerts/${sent.body.results[0].id}`]) {
        expectError(await t.get(t.ws(path), { token }), 403, 'forbidden');
      }
      expectError(await t.patch(incidentUrl(), { severity: 'High' }, { token }), 403, 'forbidden');
      const bAlerts = async () => (await t.get(t.ws('/alerts', B), { token: bToken })).body.items.length;
      const before = await bAlerts();
      expectError(await t.post(t.ws('/alerts', B), { alerts: [alert()] }, { token }), 404, 'not_found');
      expect(await bAlerts()).toBe(before);
    });
  });

  describe('creating tokens', () => {
    it('a Responder cannot mint an Owner (or Contributor) token, nor one for another user', async () => {
      const responder = await createUser(t, { role: 'Responder' });
      const other = await createUser(t, { role: 'Responder' });
      const token = await tokenFor(t, responder, 'Responder');
      expectError(await mint({ role: 'Owner' }, token), 403, 'forbidden');
      expectError(await mint({ role: 'Contributor' }, token), 403, 'forbidden');
      expectError(await mint({ role: 'Responder', userId: other.id }, token), 403, 'forbidden');
      expectError(await mint({ role: 'Reader', userId: other.id }, token), 403, 'forbidden');
      expect((await listAll()).filter((i) => i.userId === other.id)).toEqual([]);
      const lesser = await mint({ role: 'Reader' }, token);
      expect(lesser.status).toBe(201);
      expect(lesser.body).toMatchObject({ userId: responder.id, workspaceId: 'default', role: 'Reader' });
      expectError(await t.patch(incidentUrl(), { severity: 'Low' }, { token: lesser.body.token }), 403, 'forbidden');
    });

    it('a token cannot mint a token with more rights than its own role (a Responder token of an Owner)', async () => {
      const owner = await createUser(t, { role: 'Owner' });
      const scoped = await tokenFor(t, owner, 'Responder');
      const res = await mint({ role: 'Owner' }, scoped);
      expectError(res, 403, 'forbidden');
      expect((await listAll()).filter((i) => i.userId === owner.id && i.role === 'Owner')).toEqual([]);
    });

    it('an Owner can mint a token for a member (acting as that member), not beyond their roles or for a non-member', async () => {
      const owner = await createUser(t, { role: 'Owner' });
      const member = await createUser(t, { role: 'Responder' });
      const outsider = await createUser(t);
      const ownerToken = await tokenFor(t, owner, 'Owner');
      const res = await mint({ role: 'Responder', userId: member.id }, ownerToken);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ userId: member.id, workspaceId: 'default', role: 'Responder' });
      const me = await t.get('/api/v1/auth/me', { token: res.body.token });
      expect(me.body.user.id).toBe(member.id);
      expectError(await mint({ role: 'Owner', userId: member.id }, ownerToken), 403, 'forbidden');
      expect((await mint({ role: 'Reader', userId: outsider.id }, ownerToken)).status).not.toBe(201);
      expect((await listAll()).filter((i) => i.userId === outsider.id)).toEqual([]);
    });

    it('a token stops carrying a role its owner no longer holds (Owner token, owner demoted to Reader)', async () => {
      const user = await createUser(t, { role: 'Owner' });
      const token = await tokenFor(t, user, 'Owner');
      expect((await t.get(t.ws(''), { token })).status).toBe(200);
      expect((await t.request('PUT', t.ws('/members'), { id: user.id, roles: ['Reader'] })).status).toBe(200);
      const before = (await t.get(t.ws(''))).body;
      expectError(await t.patch(t.ws(''), { name: 'Renamed by a demoted token' }, { token }), 403, 'forbidden');
      expectError(await t.patch(incidentUrl(), { severity: 'Low' }, { token }), 403, 'forbidden');
      expect((await t.get(t.ws(''))).body).toEqual(before);
      expect((await t.get(incidentUrl())).body.severity).toBe('Medium');
    });

    it('the secret is returned once: never listed, and the stored row holds only its SHA-256', async () => {
      const created = await mint({ role: 'Reader' });
      expect(created.status).toBe(201);
      const secret: string = created.body.token;
      expect(secret).toMatch(/^vgl_[\w-]{20,}$/);
      const own = await t.get('/api/v1/auth/tokens');
      const listed = own.body.items.find((i: any) => i.id === created.body.id);
      expect(listed).toBeDefined();
      expect(listed).not.toHaveProperty('token');
      expect(Object.keys(listed).sort()).toEqual(
        ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'role', 'userId', 'workspaceId'].sort(),
      );
      expect(JSON.stringify(own.body)).not.toContain(secret);
      expect(JSON.stringify(await listAll())).not.toContain(secret);
      const row = await t.app.storage.db
        .selectFrom('api_tokens')
        .selectAll()
        .where('id', '=', created.body.id)
        .executeTakeFirstOrThrow();
      expect(row.token_hash).toBe(createHash('sha256').update(secret).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(secret);
      expect(JSON.stringify(row)).not.toContain(secret.slice(4, 24));
      const revoked = await t.delete(`/api/v1/auth/tokens/${created.body.id}`);
      expect(JSON.stringify(revoked.body)).not.toContain(secret);
    });

    it('lastUsedAt is null until the token is used, then set to the time of use', async () => {
      const created = await mint({ role: 'Reader' });
      expect(created.body.lastUsedAt).toBeNull();
      const find = async () => (await t.get('/api/v1/auth/tokens')).body.items.find((i: any) => i.id === created.body.id);
      expect((await find()).lastUsedAt).toBeNull();
      const before = Date.now();
      expect((await t.get(t.ws('/incidents'), { token: created.body.token })).status).toBe(200);
      const after = Date.now();
      const used = Date.parse((await find()).lastUsedAt);
      expect(used).toBeGreaterThanOrEqual(before - 5);
      expect(used).toBeLessThanOrEqual(after + 5);
    });
  });

  describe('listing tokens', () => {
    it('an administrator lists all tokens; a member only their own; an Owner their workspace', async () => {
      const user = await createUser(t, { role: 'Owner' });
      const token = await tokenFor(t, user, 'Owner');
      const all = await listAll();
      expect(all.map((i) => i.userId)).toEqual(expect.arrayContaining([t.adminId, user.id]));
      expect(new Set(all.map((i) => i.workspaceId))).toEqual(new Set(['default', B]));
      const own = await t.get('/api/v1/auth/tokens', { token });
      expect(own.status).toBe(200);
      expect(own.body.items.length).toBeGreaterThan(0);
      expect(own.body.items.every((i: any) => i.userId === user.id)).toBe(true);
      expectError(await t.get('/api/v1/auth/tokens?all=true', { token }), 403, 'forbidden');
      const ws = await t.get('/api/v1/auth/tokens?all=true&workspace=default', { token });
      expect(ws.status).toBe(200);
      expect(ws.body.items.map((i: any) => i.userId)).toEqual(expect.arrayContaining([t.adminId, user.id]));
      expect(ws.body.items.every((i: any) => i.workspaceId === 'default')).toBe(true);
      const reader = await tokenFor(t, await createUser(t, { role: 'Reader' }), 'Reader');
      expectError(await t.get('/api/v1/auth/tokens?all=true&workspace=default', { token: reader }), 403, 'forbidden');
    });
  });

  describe('activity', () => {
    it("entries made with a token name the token's owner as actor", async () => {
      const user = await createUser(t, { role: 'Responder', name: 'Tara Token' });
      const owner = await createUser(t, { role: 'Owner' });
      const minted = await mint({ role: 'Responder', userId: user.id }, await tokenFor(t, owner, 'Owner'));
      for (const token of [await tokenFor(t, user, 'Responder'), minted.body.token]) {
        expect((await t.patch(incidentUrl(), { severity: 'Low' }, { token })).status).toBe(200);
        expect((await t.post(`${incidentUrl()}/comments`, { message: `by token ${randomUUID()}` }, { token })).status).toBe(201);
        const log = await t.get(t.ws(`/incidents/${incident.number}/activity?limit=2`));
        expect(log.body.items).toHaveLength(2);
        for (const entry of log.body.items) expect(entry.actor).toEqual({ type: 'user', id: user.id, name: 'Tara Token' });
        expect((await t.patch(incidentUrl(), { severity: 'Medium' })).status).toBe(200);
      }
    });
  });
});
