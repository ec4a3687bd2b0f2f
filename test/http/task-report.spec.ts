import { afterAll, beforeAll, expect, it } from 'vitest';
import { findIncident } from '../../src/incidents/index.js';
import { addTasks } from '../../src/tasks/index.js';
import { alert, incidentBody } from '../support/fixtures.js';
import { createUser, tokenFor, type TestUser } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, any>;
const MIN = 60_000;
const T0 = Date.parse('2026-03-02T00:00:00Z');
const FROM = '2026-03-02T00:00:00.000Z';
const TO = '2026-03-09T00:00:00.000Z';
const RULE_ACTOR = { type: 'automationRule' as const, id: 'r1', name: 'Standard triage' };
const FORMULA = '=SUM(A1:A2)';

describeEachDialect('task report', (dialect) => {
  let t: TestApp;
  let clock = T0 - 24 * 60 * MIN;
  let ana: TestUser;
  let bo: TestUser;
  let anaToken: string;
  let boToken: string;
  let adminName: string;
  const ruleIds: Record<string, string> = {};
  const inc: Record<string, Json> = {};

  const tasksUrl = (n: number, task?: string) => t.ws(`/incidents/${n}/tasks${task ? `/${task}` : ''}`);
  const report = async (params: Record<string, string> = {}) => {
    const res = await t.get(`${t.ws('/reports/tasks')}?${new URLSearchParams({ from: FROM, to: TO, ...params })}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  /** title → [created, completed, open] */
  const summary = (body: Json) => Object.fromEntries(body.rows.map((r: Json) => [r.title, [r.created, r.completed, r.open]]));
  const row = (body: Json, title: string) => body.rows.find((r: Json) => r.title === title);
  const completers = (r: Json) => [...r.completedBy].sort((a: Json, b: Json) => a.name.localeCompare(b.name));

  async function fromAlert(name: string, rule: string, host: string) {
    const res = await t.post(
      t.ws('/alerts'),
      alert({ title: `Alert ${name}`, analyticsRuleName: rule, entities: [{ kind: 'Host', hostName: host }] }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    inc[name] = (await t.get(t.ws(`/incidents/${res.body.results[0].incidentNumber}`))).body;
    expect(inc[name]!.analyticsRuleIds).toEqual([ruleIds[rule]]);
  }
  async function patchIncident(name: string, body: Json) {
    const res = await t.patch(t.ws(`/incidents/${inc[name]!.number}`), body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  /** Adds a task at `createdAt` (by a person, or by the automation rule) and optionally completes it `done.minutes` later. */
  async function task(
    name: string,
    title: string,
    createdAt: number,
    options: { token?: string; rule?: boolean; done?: { minutes: number; token?: string }; reopen?: boolean } = {},
  ) {
    const n = inc[name]!.number as number;
    clock = createdAt;
    let id: string;
    if (options.rule) {
      const { db, dialect: sqlDialect } = t.app.storage;
      const record = (await findIncident(db, 'default', n))!;
      const [added] = await db
        .transaction()
        .execute((trx) => addTasks(trx, sqlDialect, record, [{ title, description: '' }], RULE_ACTOR, createdAt));
      id = added!.id;
    } else {
      const res = await t.post(tasksUrl(n), { title }, { token: options.token });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      id = res.body.id;
    }
    if (options.done) {
      clock = createdAt + options.done.minutes * MIN;
      const res = await t.patch(tasksUrl(n, id), { status: 'Completed' }, { token: options.done.token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      if (!options.done.token) adminName = res.body.completedBy.name;
    }
    if (options.reopen) {
      clock += MIN;
      expect((await t.patch(tasksUrl(n, id), { status: 'New' })).status).toBe(200);
    }
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { now: () => clock });
    ana = await createUser(t, { email: 'ana@example.test', name: 'Ana Analyst', role: 'Responder' });
    bo = await createUser(t, { email: 'bo@example.test', name: 'Bo Berg', role: 'Responder' });
    anaToken = await tokenFor(t, ana);
    boToken = await tokenFor(t, bo);
    for (const name of ['Rule A', 'Rule B']) ruleIds[name] = (await t.post(t.ws('/analytics-rules'), { name })).body.id;

    clock = Date.parse('2025-12-31T00:00:00Z');
    await fromAlert('I6', 'Rule A', 'host-6');
    await patchIncident('I6', { owner: { email: ana.email } });
    clock = T0 - 60 * MIN;
    await fromAlert('I1', 'Rule A', 'host-1');
    await fromAlert('I2', 'Rule A', 'host-2');
    await fromAlert('I3', 'Rule B', 'host-3');
    await fromAlert('I4', 'Rule B', 'host-4');
    const manual = await t.post(t.ws('/incidents'), incidentBody({ title: 'Closed with open tasks' }));
    inc.I5 = manual.body;
    await patchIncident('I1', { owner: { email: ana.email } });
    await patchIncident('I2', { owner: { type: 'user', id: t.adminId } });
    await patchIncident('I3', { owner: { email: ana.email } });

    // I1 (Rule A, Ana)
    await task('I1', 'Reset password', T0, { done: { minutes: 10, token: anaToken } });
    await task('I1', 'Isolate host', T0, { done: { minutes: 60, token: boToken } });
    await task('I1', 'Notify user', T0, { rule: true });
    // I2 (Rule A, admin): ten "Collect logs" completed after 1..10 minutes, in shuffled order.
    await task('I2', 'Reset password', T0 + 60 * MIN, { done: { minutes: 20 } });
    await task('I2', 'Isolate host', T0 + 60 * MIN);
    await task('I2', 'Notify user', T0 + 60 * MIN, { rule: true, done: { minutes: 5, token: anaToken } });
    for (const minutes of [7, 3, 10, 1, 9, 2, 8, 4, 6, 5]) await task('I2', 'Collect logs', T0 + 60 * MIN, { done: { minutes } });
    // I3 (Rule B, Ana): everything done, then closed.
    await task('I3', 'Reset password', T0 + 120 * MIN, { done: { minutes: 30, token: anaToken } });
    await task('I3', 'Isolate host', T0 + 120 * MIN, { rule: true, done: { minutes: 90, token: boToken } });
    // I4 (Rule B, unassigned): a task completed then re-opened counts as open.
    await task('I4', 'Reset password', T0 + 180 * MIN, { done: { minutes: 40.5, token: boToken } });
    await task('I4', 'Notify user', T0 + 180 * MIN, { done: { minutes: 3 }, reopen: true });
    // I5 (manual, unassigned): closed with two open tasks.
    await task('I5', 'Reset password', T0 + 240 * MIN);
    await task('I5', 'Isolate host', T0 + 240 * MIN, { done: { minutes: 15 } });
    await task('I5', FORMULA, T0 + 240 * MIN);
    // Outside the range: before `from` (I6), and exactly at `to` (excluded).
    await task('I6', 'Reset password', Date.parse('2026-01-01T00:00:00Z'), { done: { minutes: 1000 } });
    await task('I2', 'Reset password', Date.parse(TO), { done: { minutes: 1 } });

    clock = T0 + 300 * MIN;
    await patchIncident('I3', { status: 'Closed', classification: 'TruePositive' });
    await patchIncident('I5', { status: 'Closed', classification: 'FalsePositive' });
  });
  afterAll(() => t.close());

  it('counts per title: created, completed, open, nearest-rank median and p90, who completed and who created', async () => {
    const body = await report();
    expect(body.from).toBe(FROM);
    expect(body.to).toBe(TO);
    expect(body.rows.map((r: Json) => r.title)).toEqual([
      'Collect logs',
      'Reset password',
      'Isolate host',
      'Notify user',
      FORMULA,
    ]);

    expect(row(body, 'Collect logs')).toMatchObject({
      created: 10,
      completed: 10,
      open: 0,
      openOnClosedIncidents: 0,
      medianMinutesToComplete: 5,
      p90MinutesToComplete: 9,
    });
    expect(row(body, 'Collect logs').completedBy).toEqual([{ name: adminName, type: 'user', count: 10 }]);

    const reset = row(body, 'Reset password');
    // Durations 10, 20, 30, 40.5: nearest rank gives 20 (not 25) and 40.5; the task at `to` and the one in January are out.
    expect(reset).toMatchObject({
      created: 5,
      completed: 4,
      open: 1,
      openOnClosedIncidents: 1,
      medianMinutesToComplete: 20,
      p90MinutesToComplete: 40.5,
      createdBy: { user: 5 },
    });
    expect(reset.completedBy[0]).toEqual({ name: 'Ana Analyst', type: 'user', count: 2 });
    expect(completers(reset)).toEqual(
      [
        { name: 'Ana Analyst', type: 'user', count: 2 },
        { name: 'Bo Berg', type: 'user', count: 1 },
        { name: adminName, type: 'user', count: 1 },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );

    const isolate = row(body, 'Isolate host');
    expect(isolate).toMatchObject({
      created: 4,
      completed: 3,
      open: 1,
      openOnClosedIncidents: 0,
      medianMinutesToComplete: 60,
      p90MinutesToComplete: 90,
      createdBy: { user: 3, automationRule: 1 },
    });
    expect(isolate.completedBy[0]).toEqual({ name: 'Bo Berg', type: 'user', count: 2 });
    expect(completers(isolate)).toHaveLength(2);

    // The re-opened task is open and its earlier completion does not count.
    expect(row(body, 'Notify user')).toMatchObject({
      created: 3,
      completed: 1,
      open: 2,
      medianMinutesToComplete: 5,
      p90MinutesToComplete: 5,
      createdBy: { automationRule: 2, user: 1 },
      completedBy: [{ name: 'Ana Analyst', type: 'user', count: 1 }],
    });
    expect(row(body, FORMULA)).toEqual({
      title: FORMULA,
      created: 1,
      completed: 0,
      open: 1,
      openOnClosedIncidents: 1,
      medianMinutesToComplete: null,
      p90MinutesToComplete: null,
      createdBy: { user: 1 },
      completedBy: [],
    });
    // I3 is closed with every task done; I5 is closed with two open tasks.
    expect(body.incidentsClosedWithOpenTasks).toEqual([
      { id: inc.I5!.id, number: inc.I5!.number, title: 'Closed with open tasks', openTasks: 2 },
    ]);
  });

  it('filters by analytics rule', async () => {
    const a = await report({ analyticsRule: ruleIds['Rule A']! });
    expect(summary(a)).toEqual({
      'Collect logs': [10, 10, 0],
      'Reset password': [2, 2, 0],
      'Isolate host': [2, 1, 1],
      'Notify user': [2, 1, 1],
    });
    expect(row(a, 'Reset password')).toMatchObject({ medianMinutesToComplete: 10, p90MinutesToComplete: 20 });
    expect(a.incidentsClosedWithOpenTasks).toEqual([]);
    const b = await report({ analyticsRule: ruleIds['Rule B']! });
    expect(summary(b)).toEqual({ 'Reset password': [2, 2, 0], 'Isolate host': [1, 1, 0], 'Notify user': [1, 0, 1] });
    expect(row(b, 'Reset password')).toMatchObject({ medianMinutesToComplete: 30, p90MinutesToComplete: 40.5 });
    expect((await report({ analyticsRule: 'no-such-rule' })).rows).toEqual([]);
  });

  it('filters by owner: email (any case), unassigned', async () => {
    const anas = await report({ owner: 'ANA@example.test' });
    expect(summary(anas)).toEqual({ 'Reset password': [2, 2, 0], 'Isolate host': [2, 2, 0], 'Notify user': [1, 0, 1] });
    expect(row(anas, 'Isolate host')).toMatchObject({ medianMinutesToComplete: 60, p90MinutesToComplete: 90 });
    const unassigned = await report({ owner: 'unassigned' });
    expect(summary(unassigned)).toEqual({
      'Reset password': [2, 1, 1],
      'Isolate host': [1, 1, 0],
      'Notify user': [1, 0, 1],
      [FORMULA]: [1, 0, 1],
    });
    expect(row(unassigned, 'Reset password').openOnClosedIncidents).toBe(1);
    expect(unassigned.incidentsClosedWithOpenTasks.map((i: Json) => i.number)).toEqual([inc.I5!.number]);
    expect(summary(await report({ owner: 'nobody@example.test' }))).toEqual({});
  });

  it('filters by the kind of actor that created the tasks', async () => {
    const rule = await report({ createdByType: 'automationRule' });
    expect(summary(rule)).toEqual({ 'Notify user': [2, 1, 1], 'Isolate host': [1, 1, 0] });
    expect(row(rule, 'Isolate host')).toMatchObject({ medianMinutesToComplete: 90, createdBy: { automationRule: 1 } });
    const users = await report({ createdByType: 'user' });
    expect(summary(users)).toEqual({
      'Collect logs': [10, 10, 0],
      'Reset password': [5, 4, 1],
      'Isolate host': [3, 2, 1],
      'Notify user': [1, 0, 1],
      [FORMULA]: [1, 0, 1],
    });
    expect((await report({ createdByType: 'playbook' })).rows).toEqual([]);
    const combined = await report({ createdByType: 'automationRule', owner: ana.email });
    expect(summary(combined)).toEqual({ 'Notify user': [1, 0, 1], 'Isolate host': [1, 1, 0] });
  });

  it('counts only tasks created in [from, to)', async () => {
    const window = await report({ from: new Date(T0 + 90 * MIN).toISOString(), to: new Date(T0 + 210 * MIN).toISOString() });
    expect(summary(window)).toEqual({ 'Reset password': [2, 2, 0], 'Isolate host': [1, 1, 0], 'Notify user': [1, 0, 1] });
    const january = await report({ from: '2025-12-15T00:00:00Z', to: '2026-01-15T00:00:00Z' });
    expect(january.rows).toEqual([
      expect.objectContaining({ title: 'Reset password', created: 1, completed: 1, medianMinutesToComplete: 1000 }),
    ]);
    // Without from/to: the 30 days before now.
    clock = T0 + 24 * 60 * MIN;
    const res = await t.get(t.ws('/reports/tasks'));
    expect(res.status).toBe(200);
    expect(res.body.to).toBe(new Date(clock).toISOString());
    expect(res.body.from).toBe(new Date(clock - 30 * 24 * 60 * MIN).toISOString());
    expect(summary(res.body)).toEqual(summary(await report()));
  });

  it('exports CSV: a header and one quoted row per title, formulas neutralised', async () => {
    const res = await t.get(`${t.ws('/reports/tasks')}?${new URLSearchParams({ from: FROM, to: TO, format: 'csv' })}`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/csv/);
    const lines = (res.body as string).split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe(
      '"title","created","completed","open","open_on_closed_incidents","median_minutes_to_complete","p90_minutes_to_complete","created_by","completed_by"',
    );
    expect(lines).toHaveLength(6);
    expect(lines[1]).toBe(`"Collect logs","10","10","0","0","5","9","user: 10","${adminName} (10)"`);
    expect(lines[2]).toMatch(/^"Reset password","5","4","1","1","20","40\.5","user: 5","Ana Analyst \(2\); /);
    expect(lines[4]).toBe('"Notify user","3","1","2","0","5","5","automationRule: 2; user: 1","Ana Analyst (1)"');
    expect(lines[5]).toBe(`"'${FORMULA}","1","0","1","1","","","user: 1",""`);
    for (const line of lines) expect(line).toMatch(/^"(?:[^"]|"")*"(?:,"(?:[^"]|"")*"){8}$/);
  });

  it('refuses bad ranges with 400', async () => {
    const get = (params: Record<string, string>) => t.get(`${t.ws('/reports/tasks')}?${new URLSearchParams(params)}`);
    const same = await get({ from: FROM, to: FROM });
    expect(same.status).toBe(400);
    expect(same.body.error.message).toMatch(/from/);
    expect((await get({ from: TO, to: FROM })).status).toBe(400);
    const long = await get({ from: '2025-03-01T00:00:00Z', to: '2026-03-03T00:00:00Z' }); // 367 days
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/366/);
    expect((await get({ from: '2025-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' })).status).toBe(200); // 366 days
    expect((await get({ from: 'yesterday' })).status).toBe(400);
    expect((await get({ createdByType: 'robot' })).status).toBe(400);
  });
});
