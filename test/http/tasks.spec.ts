import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserById } from '../../src/users/user-repository.js';
import { findIncident } from '../../src/incidents/index.js';
import { addTasks } from '../../src/tasks/index.js';
import { incidentBody } from '../support/fixtures.js';
import { createUser, tokenFor, type TestUser } from '../support/people.js';
import { ADMIN_EMAIL, describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, any>;

describeEachDialect('incident tasks', (dialect) => {
  let t: TestApp;
  let responder: TestUser;
  let responderToken: string;
  let readerToken: string;
  // Every read of the clock moves it one second on, so no two writes share a time.
  let clock = Date.parse('2026-11-02T00:00:00Z');

  const tasksUrl = (incident: number | string, task?: string, ws = 'default') =>
    t.ws(`/incidents/${incident}/tasks${task ? `/${task}` : ''}`, ws);
  const ifMatch = (etag: string) => ({ headers: { 'if-match': etag } });
  const newIncident = async (title = 'Task incident'): Promise<Json> => {
    const res = await t.post(t.ws('/incidents'), incidentBody({ title }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const addTask = async (n: number, body: Json, token?: string): Promise<Json> => {
    const res = await t.post(tasksUrl(n), body, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const list = async (n: number): Promise<Json[]> => {
    const res = await t.get(tasksUrl(n));
    expect(res.status).toBe(200);
    return res.body.items;
  };
  const counts = async (n: number) => (await t.get(t.ws(`/incidents/${n}`))).body.taskCounts;
  /** The incident's task activity, newest first. */
  const taskActivity = async (n: number): Promise<Json[]> =>
    (await t.get(t.ws(`/incidents/${n}/activity?limit=500`))).body.items.filter((e: Json) => e.action.startsWith('task'));
  const RULE = { type: 'automationRule' as const, id: 'r1', name: 'Standard triage' };
  /** Adds tasks as automation rules and playbooks do: through addTasks, in one transaction. */
  const addAs = async (n: number, inputs: { title: string; description: string }[], actor: typeof RULE | Json) => {
    const { db, dialect: sqlDialect } = t.app.storage;
    const record = (await findIncident(db, 'default', n))!;
    return db.transaction().execute((trx) => addTasks(trx, sqlDialect, record, inputs, actor as typeof RULE, Date.now()));
  };
  /** Everything a refused request must leave as it was. */
  const state = async (n: number) => ({ tasks: await list(n), counts: await counts(n), activity: await taskActivity(n) });

  beforeAll(async () => {
    t = await startTestApp(dialect, { now: () => (clock += 1000) });
    responder = await createUser(t, { name: 'Rita Responder', role: 'Responder' });
    responderToken = await tokenFor(t, responder);
    const reader = await createUser(t, { name: 'Rudi Reader', role: 'Reader' });
    readerToken = await tokenFor(t, reader, 'Reader');
  });
  afterAll(() => t.close());

  describe('the lifecycle of a task', () => {
    let incident: Json;
    let first: Json;
    let second: Json;

    beforeAll(async () => {
      incident = await newIncident('Lifecycle');
    });

    it('adds tasks with order, creator, manual flag and etag; lists them in order and gets one', async () => {
      const res = await t.post(tasksUrl(incident.number), { title: 'Reset the password', description: 'Use **SSPR**' });
      expect(res.status).toBe(201);
      first = res.body;
      expect(first).toMatchObject({
        incidentId: incident.id,
        order: 1,
        title: 'Reset the password',
        description: 'Use **SSPR**',
        status: 'New',
        createdBy: { type: 'user', id: t.adminId },
        lastModifiedBy: { type: 'user', id: t.adminId },
        manual: true,
        completedBy: null,
        completedAt: null,
        etag: '"1"',
      });
      expect(res.headers.etag).toBe(first.etag);
      expect(first.descriptionHtml).toContain('<strong>SSPR</strong>');
      second = await addTask(incident.number, { title: 'Isolate the host' }, responderToken);
      expect(second).toMatchObject({
        order: 2,
        description: '',
        createdBy: { type: 'user', id: responder.id, name: responder.name },
      });
      const third = await addTask(incident.number, { title: 'Reset the password' }); // titles need not be unique
      expect(third.order).toBe(3);

      const items = await list(incident.number);
      expect(items.map((x) => [x.order, x.title])).toEqual([
        [1, 'Reset the password'],
        [2, 'Isolate the host'],
        [3, 'Reset the password'],
      ]);
      const one = await t.get(tasksUrl(incident.number, second.id));
      expect(one.status).toBe(200);
      expect(one.body).toEqual(items[1]);
      expect(one.headers.etag).toBe('"1"');
      expect(await counts(incident.number)).toEqual({ total: 3, completed: 0 });

      const activity = await taskActivity(incident.number);
      expect(activity.map((e) => [e.action, e.actor.id])).toEqual([
        ['taskAdded', t.adminId],
        ['taskAdded', responder.id],
        ['taskAdded', t.adminId],
      ]);
      expect(activity[1].changes).toEqual([
        { field: 'task', from: null, to: { id: second.id, title: 'Isolate the host', status: 'New' } },
      ]);
    });

    it('edits the title and description (taskUpdated)', async () => {
      const res = await t.patch(
        tasksUrl(incident.number, first.id),
        { title: 'Reset the password via SSPR', description: 'Call the user first' },
        ifMatch(first.etag),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        title: 'Reset the password via SSPR',
        description: 'Call the user first',
        status: 'New',
        etag: '"2"',
      });
      expect(res.headers.etag).toBe('"2"');
      first = res.body;
      expect((await t.get(tasksUrl(incident.number, first.id))).body.title).toBe('Reset the password via SSPR');
      const [entry] = await taskActivity(incident.number);
      expect(entry).toMatchObject({ action: 'taskUpdated', actor: { type: 'user', id: t.adminId } });
      expect(entry.changes).toEqual([
        {
          field: 'task',
          from: { id: first.id, title: 'Reset the password', status: 'New', description: 'Use **SSPR**' },
          to: { id: first.id, title: 'Reset the password via SSPR', status: 'New', description: 'Call the user first' },
        },
      ]);
    });

    it('completes a task: completedBy/At set, counts updated, taskCompleted recorded', async () => {
      const before = clock;
      const res = await t.patch(
        tasksUrl(incident.number, second.id),
        { status: 'Completed' },
        { token: responderToken, ...ifMatch(second.etag) },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        status: 'Completed',
        completedBy: { type: 'user', id: responder.id, name: responder.name },
        lastModifiedBy: { type: 'user', id: responder.id },
        createdBy: { type: 'user', id: responder.id },
      });
      const completedAt = Date.parse(res.body.completedAt);
      expect(completedAt).toBeGreaterThan(before);
      expect(completedAt).toBeLessThanOrEqual(clock);
      second = res.body;
      expect((await t.get(tasksUrl(incident.number, second.id))).body).toMatchObject({
        status: 'Completed',
        completedAt: second.completedAt,
      });
      expect(await counts(incident.number)).toEqual({ total: 3, completed: 1 });
      const [entry] = await taskActivity(incident.number);
      expect(entry).toMatchObject({ action: 'taskCompleted', actor: { type: 'user', id: responder.id } });
      expect(entry.changes).toEqual([
        {
          field: 'task',
          from: { id: second.id, title: 'Isolate the host', status: 'New' },
          to: { id: second.id, title: 'Isolate the host', status: 'Completed' },
        },
      ]);
      // Completing it again changes nothing: no double count, no entry.
      const again = await t.patch(tasksUrl(incident.number, second.id), { status: 'Completed' });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ completedBy: { id: responder.id }, completedAt: second.completedAt, etag: second.etag });
      expect(await counts(incident.number)).toEqual({ total: 3, completed: 1 });
      expect((await taskActivity(incident.number))[0].id).toBe(entry.id);
    });

    it('re-opens a task: completedBy/At cleared, counts updated, taskReopened recorded', async () => {
      const res = await t.patch(tasksUrl(incident.number, second.id), { status: 'New' }, ifMatch(second.etag));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'New', completedBy: null, completedAt: null, lastModifiedBy: { id: t.adminId } });
      expect((await t.get(tasksUrl(incident.number, second.id))).body).toMatchObject({ completedBy: null, completedAt: null });
      expect(await counts(incident.number)).toEqual({ total: 3, completed: 0 });
      const [entry] = await taskActivity(incident.number);
      expect(entry).toMatchObject({ action: 'taskReopened', actor: { id: t.adminId } });
      expect(entry.changes[0]).toMatchObject({ field: 'task', from: { status: 'Completed' }, to: { status: 'New' } });
    });

    it('refuses a stale If-Match with 412 and changes nothing', async () => {
      const snapshot = await state(incident.number);
      const res = await t.patch(
        tasksUrl(incident.number, first.id),
        { status: 'Completed', title: 'Overwritten' },
        ifMatch('"1"'),
      );
      expect(res.status).toBe(412);
      expect(res.body.error.code).toBe('precondition_failed');
      expect(await state(incident.number)).toEqual(snapshot);
    });

    it('deletes a task: gone, counts updated, taskDeleted recorded', async () => {
      const done = await t.patch(tasksUrl(incident.number, second.id), { status: 'Completed' });
      expect(done.status).toBe(200);
      expect(await counts(incident.number)).toEqual({ total: 3, completed: 1 });
      const res = await t.delete(tasksUrl(incident.number, second.id), { token: responderToken });
      expect(res.status).toBe(204);
      expect((await t.get(tasksUrl(incident.number, second.id))).status).toBe(404);
      expect((await list(incident.number)).map((x) => x.id)).not.toContain(second.id);
      expect(await counts(incident.number)).toEqual({ total: 2, completed: 0 });
      const [entry] = await taskActivity(incident.number);
      expect(entry).toMatchObject({ action: 'taskDeleted', actor: { id: responder.id } });
      expect(entry.changes).toEqual([
        { field: 'task', from: { id: second.id, title: 'Isolate the host', status: 'Completed' }, to: null },
      ]);
      expect((await t.delete(tasksUrl(incident.number, second.id))).status).toBe(404);
    });
  });

  it('refuses the 41st task with 422 naming the limit, writing nothing', async () => {
    const incident = await newIncident('Forty tasks');
    for (let i = 1; i <= 40; i++) await addTask(incident.number, { title: 'Same step' });
    const snapshot = await state(incident.number);
    expect(snapshot.tasks).toHaveLength(40);
    expect(snapshot.counts).toEqual({ total: 40, completed: 0 });
    const res = await t.post(tasksUrl(incident.number), { title: 'One too many' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/\b40\b/);
    expect(await state(incident.number)).toEqual(snapshot);
    // Automation rules and playbooks are held to the same limit.
    await expect(addAs(incident.number, [{ title: 'From a rule', description: '' }], RULE)).rejects.toThrow(/\b40\b/);
    expect(await state(incident.number)).toEqual(snapshot);
  });

  it('concurrent adds get distinct orders and never pass 40', async () => {
    const incident = await newIncident('Race');
    for (let i = 1; i <= 36; i++) await addTask(incident.number, { title: `Step ${i}` });
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => t.post(tasksUrl(incident.number), { title: `Racer ${i}` })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 422, 422]);
    const items = await list(incident.number);
    expect(items.map((x) => x.order)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await counts(incident.number)).toEqual({ total: 40, completed: 0 });
    const completions = await Promise.all(
      items.slice(0, 10).map((x) => t.patch(tasksUrl(incident.number, x.id), { status: 'Completed' })),
    );
    expect(completions.every((r) => r.status === 200)).toBe(true);
    expect(await counts(incident.number)).toEqual({ total: 40, completed: 10 });
  });

  describe('bad input is refused with 400 naming the field, writing nothing', () => {
    let incident: Json;
    let task: Json;
    beforeAll(async () => {
      incident = await newIncident('Bad input');
      task = await addTask(incident.number, { title: 'Keep me' });
    });

    const cases: [string, 'post' | 'patch', Json, RegExp][] = [
      ['missing title', 'post', { description: 'x' }, /title/],
      ['empty title', 'post', { title: '' }, /title/],
      ['blank title', 'post', { title: '   ' }, /title/],
      ['151-character title', 'post', { title: 'x'.repeat(151) }, /title/],
      ['3001-character description', 'post', { title: 'ok', description: 'd'.repeat(3001) }, /description/],
      ['unknown field on add', 'post', { title: 'ok', priority: 'High' }, /priority/],
      ['unknown status "Done"', 'patch', { status: 'Done' }, /status/],
      ['empty title on edit', 'patch', { title: '' }, /title/],
      ['151-character title on edit', 'patch', { title: 'y'.repeat(151) }, /title/],
      ['3001-character description on edit', 'patch', { description: 'd'.repeat(3001) }, /description/],
      ['unknown field on edit', 'patch', { status: 'Completed', assignee: 'bob' }, /assignee/],
    ];
    it.each(cases)('%s', async (_name, method, body, field) => {
      const snapshot = await state(incident.number);
      const res =
        method === 'post'
          ? await t.post(tasksUrl(incident.number), body)
          : await t.patch(tasksUrl(incident.number, task.id), body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.message).toMatch(field);
      expect(await state(incident.number)).toEqual(snapshot);
    });

    it('accepts the limits themselves: a 150-character title and a 3000-character description', async () => {
      const res = await t.post(tasksUrl(incident.number), { title: 't'.repeat(150), description: 'd'.repeat(3000) });
      expect(res.status).toBe(201);
      expect(res.body.title).toHaveLength(150);
      expect(res.body.description).toHaveLength(3000);
    });
  });

  it('a Reader reads tasks but cannot add, edit, complete or delete them (403)', async () => {
    const incident = await newIncident('Reader');
    const task = await addTask(incident.number, { title: 'Look only' });
    const snapshot = await state(incident.number);
    expect((await t.get(tasksUrl(incident.number), { token: readerToken })).status).toBe(200);
    const attempts = [
      await t.post(tasksUrl(incident.number), { title: 'Sneaky' }, { token: readerToken }),
      await t.patch(tasksUrl(incident.number, task.id), { status: 'Completed' }, { token: readerToken }),
      await t.patch(tasksUrl(incident.number, task.id), { title: 'Renamed' }, { token: readerToken }),
      await t.delete(tasksUrl(incident.number, task.id), { token: readerToken }),
    ];
    expect(attempts.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(await state(incident.number)).toEqual(snapshot);
  });

  it("another incident's or another workspace's task ids are 404", async () => {
    expect((await t.post('/api/v1/workspaces', { id: 'other', name: 'Other', owner: { email: ADMIN_EMAIL } })).status).toBe(201);
    const admin = (await findUserById(t.app.storage.db, t.adminId))!;
    const otherToken = (
      await t.app.services.auth.createToken({ user: admin, via: 'session' }, { name: 'o', workspaceId: 'other', role: 'Owner' })
    ).token;
    const otherIncident = await t.post(t.ws('/incidents', 'other'), incidentBody({ title: 'Elsewhere' }), { token: otherToken });
    expect(otherIncident.status).toBe(201);
    const otherTask = await t.post(
      tasksUrl(otherIncident.body.number, undefined, 'other'),
      { title: 'Secret step' },
      { token: otherToken },
    );
    expect(otherTask.status).toBe(201);
    const mine = await newIncident('Mine');
    const sibling = await newIncident('Sibling');
    const siblingTask = await addTask(sibling.number, { title: 'Sibling step' });

    const attempts = [
      await t.get(tasksUrl(otherIncident.body.id)),
      await t.post(tasksUrl(otherIncident.body.id), { title: 'x' }),
      await t.get(tasksUrl(mine.number, otherTask.body.id)),
      await t.patch(tasksUrl(mine.number, otherTask.body.id), { status: 'Completed' }),
      await t.delete(tasksUrl(mine.number, otherTask.body.id)),
      await t.get(tasksUrl(mine.number, siblingTask.id)),
      await t.patch(tasksUrl(mine.number, siblingTask.id), { status: 'Completed' }),
      await t.delete(tasksUrl(mine.number, siblingTask.id)),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('Secret step');
    }
    const still = await t.get(tasksUrl(otherIncident.body.number, otherTask.body.id, 'other'), { token: otherToken });
    expect(still.body).toMatchObject({ status: 'New', etag: '"1"' });
    expect((await t.get(tasksUrl(sibling.number, siblingTask.id))).body).toMatchObject({ status: 'New', etag: '"1"' });
    expect(await counts(mine.number)).toEqual({ total: 0, completed: 0 });
  });

  it('renders HTML descriptions (as playbooks write them) sanitized and markdown rendered', async () => {
    const incident = await newIncident('Descriptions');
    const html =
      '<p>Reset the password</p><ul><li>Call the <b>user</b></li><li><a href="javascript:alert(1)">runbook</a></li></ul>' +
      '<script>alert(1)</script><img src="x" onerror="alert(2)"><p onclick="alert(3)">end</p>';
    const fromPlaybook = await addTask(incident.number, { title: 'HTML', description: html });
    expect(fromPlaybook.description).toBe(html);
    const rendered = fromPlaybook.descriptionHtml as string;
    expect(rendered).toContain('<p>Reset the password</p>');
    expect(rendered).toContain('<ul><li>Call the <b>user</b></li>');
    expect(rendered).toContain('runbook');
    expect(rendered).not.toMatch(/<script/i);
    expect(rendered).not.toMatch(/onerror|onclick/i);
    expect(rendered).not.toMatch(/javascript:/i);
    expect((await t.get(tasksUrl(incident.number, fromPlaybook.id))).body.descriptionHtml).toBe(rendered);

    const md = await addTask(incident.number, {
      title: 'Markdown',
      description: '**Bold** step, see [runbook](https://example.com/rb)\n\n- one\n- two',
    });
    expect(md.descriptionHtml).toContain('<strong>Bold</strong>');
    expect(md.descriptionHtml).toMatch(/<a href="https:\/\/example\.com\/rb"[^>]*>runbook<\/a>/);
    expect(md.descriptionHtml).toMatch(/<li>one<\/li>\s*<li>two<\/li>/);
    const evil = await addTask(incident.number, {
      title: 'Evil markdown',
      description: '[x](javascript:alert(1)) <script>alert(1)</script>',
    });
    expect(evil.descriptionHtml).not.toMatch(/<script/i);
    expect(evil.descriptionHtml).not.toMatch(/href="javascript:/i);
  });

  it('orders tasks across sources: automation rule (action order), then playbook, then manual', async () => {
    const incident = await newIncident('Triage');
    const playbook = { type: 'playbook' as const, id: 'pb1', name: 'Enrich IPs' };
    const mfa = '<p>Look at <b>MFA</b> logs</p>';
    await addAs(
      incident.number,
      [
        { title: 'Verify the sign-in', description: '' },
        { title: 'Check MFA', description: mfa },
        { title: 'Ask the user', description: '' },
      ],
      RULE,
    );
    expect((await addTask(incident.number, { title: 'Look at the mailbox' })).order).toBe(4);
    await addAs(incident.number, [{ title: 'Enrich the IPs', description: '' }], playbook);
    const last = await addTask(incident.number, { title: 'Write the summary' }, responderToken);

    const items = await list(incident.number);
    expect(items.map((x) => [x.order, x.title, x.createdBy.type, x.manual])).toEqual([
      [1, 'Verify the sign-in', 'automationRule', false],
      [2, 'Check MFA', 'automationRule', false],
      [3, 'Ask the user', 'automationRule', false],
      [4, 'Look at the mailbox', 'user', true],
      [5, 'Enrich the IPs', 'playbook', false],
      [6, 'Write the summary', 'user', true],
    ]);
    expect(items[0].createdBy).toEqual(RULE);
    expect(items[4].createdBy).toEqual(playbook);
    expect(items[5].createdBy).toMatchObject({ type: 'user', id: responder.id });
    expect(items[1].descriptionHtml).toContain('<b>MFA</b>');
    expect(last.order).toBe(6);
    expect(await counts(incident.number)).toEqual({ total: 6, completed: 0 });
    const added = (await taskActivity(incident.number)).reverse();
    expect(added.map((e) => [e.action, e.actor.type, e.changes[0].to.title])).toEqual([
      ['taskAdded', 'automationRule', 'Verify the sign-in'],
      ['taskAdded', 'automationRule', 'Check MFA'],
      ['taskAdded', 'automationRule', 'Ask the user'],
      ['taskAdded', 'user', 'Look at the mailbox'],
      ['taskAdded', 'playbook', 'Enrich the IPs'],
      ['taskAdded', 'user', 'Write the summary'],
    ]);
    expect(added[0].actor).toEqual(RULE);
    // The rule's task is completed by a person like any other.
    const done = await t.patch(tasksUrl(incident.number, items[0].id), { status: 'Completed' });
    expect(done.body).toMatchObject({ createdBy: RULE, completedBy: { type: 'user', id: t.adminId }, manual: false });
  });

  it('filters the queue on open tasks, and the queue carries taskCounts', async () => {
    const open = await newIncident('Has an open task');
    await addTask(open.number, { title: 'Open step' });
    const done = await newIncident('All tasks done');
    const step = await addTask(done.number, { title: 'Done step' });
    expect((await t.patch(tasksUrl(done.number, step.id), { status: 'Completed' })).status).toBe(200);
    const none = await newIncident('No tasks');

    const all = (await t.get(t.ws('/incidents?limit=500'))).body.items as Json[];
    const byNumber = new Map(all.map((i) => [i.number, i]));
    expect(byNumber.get(open.number)!.taskCounts).toEqual({ total: 1, completed: 0 });
    expect(byNumber.get(done.number)!.taskCounts).toEqual({ total: 1, completed: 1 });
    expect(byNumber.get(none.number)!.taskCounts).toEqual({ total: 0, completed: 0 });
    const numbers = async (value: string) =>
      ((await t.get(t.ws(`/incidents?limit=500&hasOpenTasks=${value}`))).body.items as Json[])
        .map((i) => i.number)
        .sort((a, b) => a - b);
    const withOpen = await numbers('true');
    const withoutOpen = await numbers('false');
    expect(withOpen).toContain(open.number);
    expect(withoutOpen).toEqual(expect.arrayContaining([done.number, none.number]));
    const expected = all
      .filter((i) => i.taskCounts.total > i.taskCounts.completed)
      .map((i) => i.number)
      .sort((a, b) => a - b);
    expect(withOpen).toEqual(expected);
    expect(withOpen.length + withoutOpen.length).toBe(all.length);
  });
});
