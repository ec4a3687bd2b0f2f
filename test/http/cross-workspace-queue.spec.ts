import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../../src/auth/permissions.js';
import { hashPassword } from '../../src/auth/secrets.js';
import { findUserById } from '../../src/users/user-repository.js';
import { createUser, type TestUser } from '../support/people.js';
import { describeEachDialect, startTestApp, type RequestOptions, type TestApp } from '../support/test-app.js';

/** Workspaces: the analyst is Reader in qa, Responder in qb, nothing in qc, Ingestor in qd, Reader in qe (archived). */
const WS = {
  qa: 'Queue Alpha',
  qb: 'Queue Bravo',
  qc: 'Queue Charlie',
  qd: 'Queue Delta',
  qe: 'Queue Echo',
} as const;
type Ws = keyof typeof WS;
const ANALYST_ROLES: Partial<Record<Ws, Role>> = { qa: 'Reader', qb: 'Responder', qd: 'Ingestor', qe: 'Reader' };
const PASSWORD = 'analyst password for tests';

interface Seeded {
  id: string;
  ws: Ws;
  title: string;
  severity: string;
  status: string;
  mine: boolean;
}

const SEVERITIES = ['High', 'Medium', 'Low', 'Informational'];

describeEachDialect('cross-workspace incident queue', (dialect) => {
  let t: TestApp;
  let analyst: TestUser;
  let session: RequestOptions;
  const seeded: Seeded[] = [];
  const adminTokens = new Map<Ws, string>();

  const tokenIn = async (userId: string, ws: string, role: Role) => {
    const user = (await findUserById(t.app.storage.db, userId))!;
    return (await t.app.services.auth.createToken({ user, via: 'session' }, { name: 'q', workspaceId: ws, role })).token;
  };
  const across = async (query = '', opts: RequestOptions = session) => {
    const res = await t.get(`/api/v1/incidents${query}`, opts);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: any[]; nextCursor: string | null };
  };
  const countsAcross = async (query = '', opts: RequestOptions = session) => {
    const res = await t.get(`/api/v1/incidents/counts${query}`, opts);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { total: number; byStatus: Record<string, number>; bySeverity: Record<string, number> };
  };
  const idsOf = (items: { id: string }[]) => items.map((i) => i.id).sort();
  const expected = (keep: (s: Seeded) => boolean, workspaces: Ws[] = ['qa', 'qb']) =>
    seeded
      .filter((s) => workspaces.includes(s.ws) && keep(s))
      .map((s) => s.id)
      .sort();

  beforeAll(async () => {
    t = await startTestApp(dialect);
    analyst = await createUser(t, { name: 'Mara Analyst' });
    await t.app.storage.db
      .updateTable('users')
      .set({ password_hash: await hashPassword(PASSWORD) })
      .where('id', '=', analyst.id)
      .execute();
    for (const [id, name] of Object.entries(WS) as [Ws, string][]) {
      expect((await t.post('/api/v1/workspaces', { id, name })).status).toBe(201);
      adminTokens.set(id, await tokenIn(t.adminId, id, 'Owner'));
      const role = ANALYST_ROLES[id];
      if (role) {
        const res = await t.request('PUT', t.ws('/members', id), { email: analyst.email, roles: [role] });
        expect(res.status).toBe(200);
      }
    }
    // Interleave creation so the workspaces' incidents mix in every sort order.
    const order: Ws[] = ['qa', 'qb', 'qc', 'qd', 'qe'];
    for (let i = 0; i < 7; i++) {
      for (const ws of order) {
        if (ws === 'qe' && i >= 2) continue;
        const severity = SEVERITIES[(i + order.indexOf(ws)) % 4]!;
        const status = i % 3 === 0 ? 'Active' : 'New';
        const mine = i % 2 === 1 && ws !== 'qc';
        const title = `${i === 4 ? 'Phishing campaign' : 'Routine finding'} ${ws}-${i}`;
        const body: Record<string, unknown> = { title, severity, status, ...(mine ? { owner: { email: analyst.email } } : {}) };
        const res = await t.post(t.ws('/incidents', ws), body, { token: adminTokens.get(ws)! });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        seeded.push({ id: res.body.id, ws, title, severity, status, mine });
      }
    }
    const login = await t.app.services.auth.login(analyst.email, PASSWORD, { ip: '127.0.0.9' });
    session = { token: null, headers: { cookie: `vigil_session=${login.sessionId}` } };
    expect((await t.post('/api/v1/workspaces/qe/archive', undefined)).status).toBe(200);
  });
  afterAll(() => t.close());

  it('lists incidents of the readable workspaces only, each labelled with its workspace', async () => {
    const page = await across('?limit=500');
    expect(idsOf(page.items)).toEqual(expected(() => true));
    expect(page.nextCursor).toBeNull();
    const byId = new Map(seeded.map((s) => [s.id, s]));
    for (const item of page.items) {
      const source = byId.get(item.id)!;
      expect(item.workspace).toEqual({ id: source.ws, name: WS[source.ws] });
      expect(item).toMatchObject({ title: source.title, severity: source.severity, status: source.status });
    }
  });

  it('sorts across workspaces and walks pages without duplicates or gaps', async () => {
    for (const [sort, order] of [
      ['created', 'desc'],
      ['number', 'asc'],
      ['severity', 'desc'],
      ['updated', 'asc'],
    ] as const) {
      const all = (await across(`?limit=500&sort=${sort}&order=${order}`)).items;
      const key = (i: any) =>
        sort === 'number'
          ? i.number
          : sort === 'severity'
            ? 4 - SEVERITIES.indexOf(i.severity)
            : Date.parse(sort === 'created' ? i.createdAt : i.updatedAt);
      for (let k = 1; k < all.length; k++) {
        const [p, c] = [key(all[k - 1]), key(all[k])];
        if (order === 'asc') expect(p, sort).toBeLessThanOrEqual(c);
        else expect(p, sort).toBeGreaterThanOrEqual(c);
      }
      const walked: any[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q = `?limit=4&sort=${sort}&order=${order}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await across(q);
        expect(page.items.length).toBeLessThanOrEqual(4);
        walked.push(...page.items);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 20);
      expect(
        walked.map((i) => i.id),
        sort,
      ).toEqual(all.map((i) => i.id));
      expect(new Set(walked.map((i) => i.id)).size).toBe(walked.length);
      expect(new Set(walked.map((i) => i.workspace.id))).toEqual(new Set(['qa', 'qb']));
    }
  });

  it('filters (status, severity, q, owner=me) apply across workspaces', async () => {
    const cases: [string, (s: Seeded) => boolean][] = [
      ['?status=Active', (s) => s.status === 'Active'],
      ['?severity=High,Low', (s) => s.severity === 'High' || s.severity === 'Low'],
      ['?q=phish', (s) => s.title.startsWith('Phishing')],
      ['?owner=me', (s) => s.mine],
      ['?owner=me&status=New&severity=Medium', (s) => s.mine && s.status === 'New' && s.severity === 'Medium'],
    ];
    for (const [query, keep] of cases) {
      const want = expected(keep);
      expect(want.length, query).toBeGreaterThan(0);
      expect(idsOf((await across(`${query}&limit=500`)).items), query).toEqual(want);
      const counts = await countsAcross(query);
      expect(counts.total, query).toBe(want.length);
    }
  });

  it('?workspace= narrows to readable workspaces; one the caller cannot read returns nothing', async () => {
    expect(idsOf((await across('?workspace=qa&limit=500')).items)).toEqual(expected(() => true, ['qa']));
    expect(idsOf((await across('?workspace=qa,qc&limit=500')).items)).toEqual(expected(() => true, ['qa']));
    for (const ws of ['qc', 'qd', 'qe', 'nope']) {
      expect((await across(`?workspace=${ws}`)).items, ws).toEqual([]);
      expect((await countsAcross(`?workspace=${ws}`)).total, ws).toBe(0);
    }
    expect((await countsAcross('?workspace=qb')).total).toBe(expected(() => true, ['qb']).length);
  });

  it('counts across workspaces add up the per-workspace counts', async () => {
    for (const query of ['', '?status=New', '?severity=High', '?q=routine', '?owner=me']) {
      const total = await countsAcross(query);
      const parts = await Promise.all(
        (['qa', 'qb'] as const).map(async (ws) => {
          const res = await t.get(t.ws(`/incidents/counts${query}`, ws), session);
          expect(res.status).toBe(200);
          return res.body;
        }),
      );
      expect(total.total, query).toBe(parts[0].total + parts[1].total);
      for (const group of ['byStatus', 'bySeverity'] as const) {
        for (const key of Object.keys(total[group])) {
          expect(total[group][key], `${query} ${key}`).toBe(parts[0][group][key] + parts[1][group][key]);
        }
      }
    }
    expect((await countsAcross()).total).toBe(expected(() => true).length);
  });

  it('an Ingestor-only membership shows no incidents', async () => {
    const ingestorOnly = await createUser(t);
    expect((await t.request('PUT', t.ws('/members', 'qd'), { email: ingestorOnly.email, roles: ['Ingestor'] })).status).toBe(200);
    const token = await tokenIn(ingestorOnly.id, 'qd', 'Ingestor');
    expect((await across('', { token })).items).toEqual([]);
    expect((await countsAcross('', { token })).total).toBe(0);
    expect((await across('?workspace=qd', { token })).items).toEqual([]);
  });

  it('a token sees only the workspace it is scoped to', async () => {
    const qaToken = await tokenIn(analyst.id, 'qa', 'Reader');
    const qbToken = await tokenIn(analyst.id, 'qb', 'Responder');
    expect(idsOf((await across('?limit=500', { token: qaToken })).items)).toEqual(expected(() => true, ['qa']));
    expect(idsOf((await across('?limit=500', { token: qbToken })).items)).toEqual(expected(() => true, ['qb']));
    expect((await countsAcross('', { token: qaToken })).total).toBe(expected(() => true, ['qa']).length);
    expect((await across('?workspace=qb', { token: qaToken })).items).toEqual([]);
    // and on workspace routes, the other workspace is a 404
    const other = await t.get(t.ws(`/incidents/${seeded.find((s) => s.ws === 'qb')!.id}`, 'qb'), { token: qaToken });
    expect(other.status).toBe(404);
    // a read-only token narrows the role too: a Reader token of a Responder cannot change qb
    const readerInQb = await tokenIn(analyst.id, 'qb', 'Reader');
    const target = seeded.find((s) => s.ws === 'qb')!;
    expect((await t.patch(t.ws(`/incidents/${target.id}`, 'qb'), { severity: 'Low' }, { token: readerInQb })).status).toBe(403);
  });

  it('archived workspaces are left out, and come back when unarchived', async () => {
    const direct = await t.get(t.ws('/incidents?limit=500', 'qe'), session);
    expect(direct.status).toBe(200); // still readable in place
    expect(idsOf(direct.body.items)).toEqual(expected(() => true, ['qe']));
    expect((await across('?limit=500')).items.some((i) => i.workspace.id === 'qe')).toBe(false);
    expect((await across('?workspace=qe')).items).toEqual([]);
    expect((await countsAcross()).total).toBe(expected(() => true).length);

    expect((await t.post('/api/v1/workspaces/qe/unarchive', undefined)).status).toBe(200);
    try {
      const back = await across('?limit=500');
      expect(idsOf(back.items)).toEqual(expected(() => true, ['qa', 'qb', 'qe']));
      expect(back.items.find((i) => i.workspace.id === 'qe').workspace).toEqual({ id: 'qe', name: WS.qe });
      expect((await countsAcross()).total).toBe(expected(() => true, ['qa', 'qb', 'qe']).length);
    } finally {
      expect((await t.post('/api/v1/workspaces/qe/archive', undefined)).status).toBe(200);
    }
  });
});
