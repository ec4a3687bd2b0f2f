import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { createGroup, createUser, type TestUser } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const HOUR = 3_600_000;
const task = (title: string) => ({ type: 'addTask', title, description: `Do: ${title}` });
const tags = (...list: string[]) => ({ type: 'addTags', tags: list });
const host = (hostName: string) => ({ entities: [{ kind: 'Host', hostName }] });
const prop = (property: string, operator: string, values: string[]) => ({ type: 'property', property, operator, values });
const severity = (value: string) => ({ type: 'changeSeverity', severity: value });
const assign = (owner: Record<string, string>) => ({ type: 'assignOwner', owner });
const changedTo = (property: string, value: string) => ({
  type: 'propertyChanged',
  property,
  change: 'ChangedTo',
  operator: 'Equals',
  values: [value],
});
type Actor = { type: string; id: string; name: string };
type Entry = { action: string; actor: Actor; incidentNumber: number; changes: { field: string; from: unknown; to: any }[] };

describeEachDialect('automation rules: execution', (dialect) => {
  let t: TestApp;
  let offset = 0;
  let dana: TestUser;
  beforeAll(async () => {
    t = await startTestApp(dialect, { now: () => Date.now() + offset });
    dana = await createUser(t, { name: 'Dana Scully', role: 'Responder' });
  });
  afterAll(() => t.close());
  afterEach(async () => {
    for (const rule of (await t.get(t.ws('/automation-rules'))).body.items) await t.delete(t.ws(`/automation-rules/${rule.id}`));
  });

  const rule = async (body: Record<string, unknown>) => {
    const res = await t.post(t.ws('/automation-rules'), {
      name: `rule ${randomUUID()}`,
      order: 10,
      trigger: 'incidentCreated',
      ...body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; name: string };
  };
  const analyticsRule = async (extra: Record<string, unknown> = {}) =>
    (await t.post(t.ws('/analytics-rules'), { name: `ar ${randomUUID()}`, ...extra })).body as { id: string; name: string };
  const ingest = async (...alerts: Record<string, unknown>[]) => {
    const res = await t.post(t.ws('/alerts'), { alerts: alerts.map((a) => alert(a)) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.results as { id: string; incidentNumber: number }[];
  };
  const incident = async (n: number) => (await t.get(t.ws(`/incidents/${n}`))).body;
  const tasksOf = async (n: number) => (await t.get(t.ws(`/incidents/${n}/tasks`))).body.items;
  const activity = async (n: number) => (await t.get(t.ws(`/incidents/${n}/activity?limit=500`))).body.items as Entry[];
  const runs = async (id: string) => (await t.get(t.ws(`/automation-rules/${id}/runs`))).body.items;
  const titles = async (n: number) => (await tasksOf(n)).map((x: { title: string }) => x.title);
  const ranOn = async (id: string) => (await runs(id)).map((r: { incidentNumber: number }) => r.incidentNumber);
  const alertsOf = async (n: number) => (await t.get(t.ws(`/incidents/${n}/alerts`))).body.items;

  it('adds tasks in rule order: two from a rule for all analytics rules, a third from a later rule for one', async () => {
    const [phishing, other] = [await analyticsRule(), await analyticsRule()];
    // created first, but ordered after the triage rule
    const purge = await rule({
      name: 'Phishing: purge',
      order: 2,
      analyticsRuleIds: [phishing.name],
      actions: [task('Purge the email')],
    });
    const triage = await rule({
      name: 'Standard triage',
      order: 1,
      actions: [task('Review the alerts'), task('Check the user')],
    });
    const [first, second] = await ingest({ analyticsRuleName: phishing.name }, { analyticsRuleName: other.name });
    const list = await tasksOf(first!.incidentNumber);
    expect(list.map((x: { order: number; title: string }) => [x.order, x.title])).toEqual([
      [1, 'Review the alerts'],
      [2, 'Check the user'],
      [3, 'Purge the email'],
    ]);
    expect(list[0]).toMatchObject({
      description: 'Do: Review the alerts',
      manual: false,
      createdBy: { type: 'automationRule', id: triage.id, name: 'Standard triage' },
    });
    expect(list[1].createdBy).toEqual(list[0].createdBy);
    expect(list[2].createdBy).toEqual({ type: 'automationRule', id: purge.id, name: 'Phishing: purge' });
    expect(await titles(second!.incidentNumber)).toEqual(['Review the alerts', 'Check the user']);
    expect((await incident(first!.incidentNumber)).taskCounts).toEqual({ total: 3, completed: 0 });
    expect((await ranOn(triage.id)).sort()).toEqual([first!.incidentNumber, second!.incidentNumber].sort());
    expect(await runs(purge.id)).toMatchObject([
      { incidentNumber: first!.incidentNumber, trigger: 'incidentCreated', outcome: 'applied' },
    ]);
  });

  it('shapes the incident inside the write: ingest, the first queue read and manual creation already show the result', async () => {
    await rule({
      actions: [
        severity('High'),
        assign({ email: dana.email }),
        tags('auto'),
        { type: 'changeStatus', status: 'Active' },
        task('Triage'),
      ],
    });
    const expected = {
      severity: 'High',
      status: 'Active',
      owner: { type: 'user', id: dana.id, name: dana.name, email: dana.email },
      tags: ['auto'],
      taskCounts: { total: 1, completed: 0 },
    };
    const [ingested] = await ingest({ severity: 'Low' });
    const queue = (await t.get(t.ws('/incidents?limit=5'))).body.items;
    expect(queue.find((i: { number: number }) => i.number === ingested!.incidentNumber)).toMatchObject(expected);
    expect(await incident(ingested!.incidentNumber)).toMatchObject(expected);
    const created = await t.post(t.ws('/incidents'), { title: 'Manual', severity: 'Low' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(expected);
    expect((await incident(created.body.number)).etag).toBe(created.body.etag);
    expect((await alertsOf(ingested!.incidentNumber))[0].owner).toMatchObject({ type: 'user', id: dana.id });
  });

  it('a suppression rule closes and tags matching incidents until it expires', async () => {
    const suppress = await rule({
      name: 'Suppress scanner',
      expiresAt: new Date(Date.now() + offset + HOUR).toISOString(),
      conditions: [prop('HostName', 'Equals', ['scanner-01'])],
      actions: [
        {
          type: 'changeStatus',
          status: 'Closed',
          classification: 'BenignPositive',
          classificationReason: 'SuspiciousButExpected',
          classificationComment: 'Pen test',
        },
        tags('suppressed'),
      ],
    });
    const [noise, real] = await ingest(host('SCANNER-01'), host('web01'));
    const closed = await incident(noise!.incidentNumber);
    expect(closed).toMatchObject({
      status: 'Closed',
      classification: 'BenignPositive',
      classificationReason: 'SuspiciousButExpected',
      classificationComment: 'Pen test',
      tags: ['suppressed'],
    });
    expect(closed.closedAt).not.toBeNull();
    expect((await alertsOf(noise!.incidentNumber)).map((a: { status: string }) => a.status)).toEqual(['Resolved']);
    expect(await incident(real!.incidentNumber)).toMatchObject({ status: 'New', tags: [] });

    offset += 2 * HOUR;
    expect((await t.get(t.ws(`/automation-rules/${suppress.id}`))).body.expired).toBe(true);
    const [later] = await ingest(host('scanner-01'));
    expect(await incident(later!.incidentNumber)).toMatchObject({ status: 'New', tags: [], classification: null });
    expect((await alertsOf(later!.incidentNumber))[0].status).toBe('New');
    expect(await ranOn(suppress.id)).toEqual([noise!.incidentNumber]);
  });

  it('assigns owners by host name; the alerts get the owner', async () => {
    const fox = await createUser(t, { name: 'Fox Mulder' });
    const team = await createGroup(t, { members: [fox], role: 'Responder' });
    await rule({ conditions: [prop('HostName', 'StartsWith', ['fin-'])], actions: [assign({ email: dana.email })] });
    await rule({ conditions: [prop('HostName', 'StartsWith', ['hr-'])], actions: [assign({ type: 'group', name: team.name })] });
    const [fin, hr, web] = await ingest(host('FIN-WS-01'), host('hr-ws-02'), host('web01'));
    expect((await incident(fin!.incidentNumber)).owner).toEqual({
      type: 'user',
      id: dana.id,
      name: dana.name,
      email: dana.email,
    });
    expect((await incident(hr!.incidentNumber)).owner).toMatchObject({ type: 'group', id: team.id, name: team.name });
    expect((await incident(web!.incidentNumber)).owner).toBeNull();
    const alertOwner = async (n: number) => (await alertsOf(n))[0].owner;
    expect(await alertOwner(fin!.incidentNumber)).toMatchObject({ type: 'user', id: dana.id });
    expect(await alertOwner(hr!.incidentNumber)).toMatchObject({ type: 'group', id: team.id });
    expect(await alertOwner(web!.incidentNumber)).toBeNull();
  });

  it('runs rules in order, each seeing what the previous did; actions run in their order', async () => {
    await rule({ order: 1, conditions: [prop('IncidentLabel', 'Equals', ['stage-1'])], actions: [tags('too-early')] });
    await rule({ order: 2, actions: [tags('stage-1')] });
    await rule({
      order: 3,
      conditions: [prop('IncidentLabel', 'Equals', ['STAGE-1'])],
      actions: [severity('High'), tags('stage-2')],
    });
    await rule({ order: 4, conditions: [prop('IncidentSeverity', 'Equals', ['high'])], actions: [task('Escalate')] });
    await rule({ order: 5, actions: [tags('transient'), { type: 'removeTags', tags: ['transient'] }, tags('kept')] });
    const [one] = await ingest({ severity: 'Low' });
    const result = await incident(one!.incidentNumber);
    expect(result).toMatchObject({ severity: 'High', tags: ['stage-1', 'stage-2', 'kept'] });
    expect(await titles(one!.incidentNumber)).toEqual(['Escalate']);
  });

  it('reorder sets the execution order', async () => {
    const a = await rule({ order: 1, actions: [task('first')] });
    const b = await rule({ order: 2, actions: [task('second')] });
    expect((await t.post(t.ws('/automation-rules/reorder'), { ids: [b.id, a.id] })).status).toBe(200);
    const [one] = await ingest({});
    expect(await titles(one!.incidentNumber)).toEqual(['second', 'first']);
  });

  it("automation changes do not trigger incident-updated rules; people's changes, alert grouping and comments do", async () => {
    const key = randomUUID().slice(0, 8);
    const lower = await rule({ conditions: [prop('IncidentTitle', 'Contains', [key])], actions: [severity('Low')] });
    const escalate = await rule({
      order: 1,
      trigger: 'incidentUpdated',
      conditions: [changedTo('IncidentStatus', 'Active')],
      actions: [severity('High'), tags('escalated')],
    });
    const watcher = await rule({
      order: 2,
      trigger: 'incidentUpdated',
      conditions: [{ type: 'propertyChanged', property: 'IncidentSeverity', change: 'Changed' }],
      actions: [tags('severity-changed')],
    });
    const commented = await rule({
      order: 3,
      trigger: 'incidentUpdated',
      conditions: [{ type: 'propertyArrayChanged', array: 'Comments', change: 'Added' }],
      actions: [tags('commented')],
    });

    const created = await t.post(t.ws('/incidents'), { title: `${key} manual`, severity: 'Medium' });
    expect(created.body).toMatchObject({ severity: 'Low', tags: [] });
    const n = created.body.number;
    const patched = await t.patch(t.ws(`/incidents/${n}`), { status: 'Active' });
    expect(patched.body).toMatchObject({ status: 'Active', severity: 'High', tags: ['escalated'] });
    expect((await incident(n)).etag).toBe(patched.body.etag);
    expect(await runs(watcher.id)).toEqual([]);
    const byRules = (await activity(n)).filter((e) => e.actor.type === 'automationRule');
    expect(byRules.map((e) => e.actor.id)).toEqual([escalate.id, lower.id]);

    const byPerson = await t.patch(t.ws(`/incidents/${n}`), { severity: 'Medium' });
    expect(byPerson.body.tags).toEqual(['escalated', 'severity-changed']);
    expect((await t.post(t.ws(`/incidents/${n}/comments`), { message: 'noted' })).status).toBe(201);
    expect(await incident(n)).toMatchObject({ commentCount: 1, tags: ['escalated', 'severity-changed', 'commented'] });
    expect(await runs(commented.id)).toHaveLength(1);

    const grouped = await analyticsRule({ grouping: { mode: 'anyAlert' } });
    const [low] = await ingest({ analyticsRuleName: grouped.name, severity: 'Low' });
    expect((await incident(low!.incidentNumber)).tags).toEqual([]);
    const [high] = await ingest({ analyticsRuleName: grouped.name, severity: 'High' });
    expect(high!.incidentNumber).toBe(low!.incidentNumber);
    expect(await incident(low!.incidentNumber)).toMatchObject({ severity: 'High', tags: ['severity-changed'] });
  });

  it('bulk changes and manual creation run rules too', async () => {
    const key = randomUUID().slice(0, 8);
    const created = await rule({ conditions: [prop('IncidentTitle', 'StartsWith', [key])], actions: [task('Manual triage')] });
    await rule({ trigger: 'incidentUpdated', conditions: [changedTo('IncidentSeverity', 'High')], actions: [tags('bulk-high')] });
    const a = (await t.post(t.ws('/incidents'), { title: `${key} a` })).body;
    const b = (await t.post(t.ws('/incidents'), { title: `${key} b` })).body;
    expect(a.taskCounts).toEqual({ total: 1, completed: 0 });
    expect((await tasksOf(a.number))[0]).toMatchObject({
      title: 'Manual triage',
      createdBy: { type: 'automationRule', id: created.id },
    });
    const bulk = await t.post(t.ws('/incidents/bulk'), { ids: [a.id, b.number], changes: { severity: 'High' } });
    expect(bulk.body.succeeded).toBe(2);
    for (const [i, n] of [a.number, b.number].entries()) {
      const now = await incident(n);
      expect(now.tags).toEqual(['bulk-high']);
      expect(bulk.body.results[i].etag).toBe(now.etag);
    }
  });

  it('a disabled rule never runs', async () => {
    const off = await rule({ enabled: false, actions: [tags('from-disabled')] });
    const [first] = await ingest({});
    expect((await incident(first!.incidentNumber)).tags).toEqual([]);
    await t.patch(t.ws(`/automation-rules/${off.id}`), { enabled: true });
    const [second] = await ingest({});
    expect((await incident(second!.incidentNumber)).tags).toEqual(['from-disabled']);
    await t.patch(t.ws(`/automation-rules/${off.id}`), { enabled: false });
    const [third] = await ingest({});
    expect((await incident(third!.incidentNumber)).tags).toEqual([]);
    expect(await ranOn(off.id)).toEqual([second!.incidentNumber]);
  });

  it('a 41st task fails alone: recorded on the incident and in the run log; later actions and rules still run', async () => {
    const many = (prefix: string) => Array.from({ length: 20 }, (_, i) => task(`${prefix} ${i + 1}`));
    await rule({ order: 1, actions: many('A') });
    await rule({ order: 2, actions: many('B') });
    const over = await rule({ order: 3, name: 'One too many', actions: [task('Task 41'), tags('after-failure')] });
    const later = await rule({ order: 4, actions: [severity('High')] });
    const [one] = await ingest({ severity: 'Low' });
    const n = one!.incidentNumber;
    expect(await incident(n)).toMatchObject({
      taskCounts: { total: 40, completed: 0 },
      tags: ['after-failure'],
      severity: 'High',
    });
    const failures = (await activity(n)).filter((e) => e.action === 'automationFailed');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.actor).toEqual({ type: 'automationRule', id: over.id, name: 'One too many' });
    expect(failures[0]!.changes[0]!.to).toMatchObject({ index: 0, type: 'addTask' });
    expect(failures[0]!.changes[0]!.to.error).toContain('40');
    expect(await runs(over.id)).toMatchObject([
      {
        incidentNumber: n,
        outcome: 'partial',
        results: [
          { index: 0, type: 'addTask', outcome: 'failed' },
          { index: 1, type: 'addTags', outcome: 'applied' },
        ],
      },
    ]);
    expect((await runs(later.id))[0].outcome).toBe('applied');

    // the same on an update: the person's change stays, the failure is logged
    const onUpdate = await rule({ trigger: 'incidentUpdated', actions: [task('One more')] });
    const patched = await t.patch(t.ws(`/incidents/${n}`), { status: 'Active' });
    expect(patched.status).toBe(200);
    expect(await incident(n)).toMatchObject({ status: 'Active', taskCounts: { total: 40, completed: 0 } });
    expect(await runs(onUpdate.id)).toMatchObject([{ incidentNumber: n, trigger: 'incidentUpdated', outcome: 'failed' }]);
    expect((await activity(n)).filter((e) => e.action === 'automationFailed')).toHaveLength(2);
  });

  it('tasks of several incident-updated rules past 40: the one too many fails alone, the change stays', async () => {
    const n = (await t.post(t.ws('/incidents'), { title: 'Nearly full' })).body.number;
    for (let i = 1; i <= 39; i++)
      expect((await t.post(t.ws(`/incidents/${n}/tasks`), { title: `Manual ${i}` })).status).toBe(201);
    const fortieth = await rule({ order: 1, trigger: 'incidentUpdated', actions: [task('Task 40'), tags('first')] });
    const fortyFirst = await rule({ order: 2, trigger: 'incidentUpdated', actions: [task('Task 41'), tags('second')] });
    const patched = await t.patch(t.ws(`/incidents/${n}`), { severity: 'High' });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(await incident(n)).toMatchObject({
      severity: 'High',
      tags: ['first', 'second'],
      taskCounts: { total: 40, completed: 0 },
    });
    expect((await runs(fortieth.id))[0].outcome).toBe('applied');
    expect(await runs(fortyFirst.id)).toMatchObject([
      {
        outcome: 'partial',
        results: [
          { type: 'addTask', outcome: 'failed' },
          { type: 'addTags', outcome: 'applied' },
        ],
      },
    ]);
  });

  it('assigning an owner who left the workspace fails alone', async () => {
    const leaver = await createUser(t, { name: 'Leaver', role: 'Responder' });
    const assigning = await rule({ order: 1, actions: [assign({ email: leaver.email }), tags('assign-attempted')] });
    await rule({ order: 2, actions: [tags('later-rule')] });
    expect((await t.delete(t.ws(`/members/user/${leaver.id}`))).status).toBe(204);
    const [one] = await ingest({});
    const n = one!.incidentNumber;
    expect(await incident(n)).toMatchObject({ owner: null, tags: ['assign-attempted', 'later-rule'] });
    const failure = (await activity(n)).find((e) => e.action === 'automationFailed');
    expect(failure).toMatchObject({
      actor: { type: 'automationRule', id: assigning.id },
      changes: [{ field: 'action', to: { index: 0, type: 'assignOwner' } }],
    });
    expect(await runs(assigning.id)).toMatchObject([
      { outcome: 'partial', results: [{ outcome: 'failed' }, { outcome: 'applied' }] },
    ]);
  });

  it("records each rule's changes as one activity entry by the rule; /activity?actorType=automationRule lists them", async () => {
    const r = await rule({
      name: 'Escalate VIP',
      actions: [severity('High'), tags('vip'), assign({ email: dana.email }), { type: 'changeStatus', status: 'Active' }],
    });
    const [one] = await ingest({ severity: 'Low' });
    const n = one!.incidentNumber;
    const byRules = (await activity(n)).filter((e) => e.actor.type === 'automationRule');
    expect(byRules).toHaveLength(1);
    expect(byRules[0]).toMatchObject({
      action: 'incidentUpdated',
      actor: { type: 'automationRule', id: r.id, name: 'Escalate VIP' },
    });
    expect(byRules[0]!.changes.map((c) => c.field).sort()).toEqual(['owner', 'severity', 'status', 'tags']);
    expect(byRules[0]!.changes.find((c) => c.field === 'severity')).toEqual({ field: 'severity', from: 'Low', to: 'High' });
    const workspace = (await t.get(t.ws('/activity?actorType=automationRule&limit=500'))).body.items as Entry[];
    expect(workspace.every((e) => e.actor.type === 'automationRule')).toBe(true);
    expect(workspace.filter((e) => e.incidentNumber === n).map((e) => e.actor.id)).toEqual([r.id]);
  });

  it("a batch firing several rules on several incidents: each rule's entry and run stands alone, page by page", async () => {
    const key = randomUUID().slice(0, 8);
    const only = [prop('IncidentTitle', 'StartsWith', [key])];
    const first = await rule({ name: 'Batch: task', order: 1, conditions: only, actions: [task('Check the host')] });
    const second = await rule({ name: 'Batch: tag', order: 2, conditions: only, actions: [tags('batch')] });
    const third = await rule({ name: 'Batch: escalate', order: 3, conditions: only, actions: [severity('High')] });
    const results = await ingest(
      ...['h1', 'h2', 'h3'].map((h) => ({ title: `${key} on ${h}`, severity: 'Low', ...host(`${key}-${h}`) })),
    );
    const numbers = results.map((r) => r.incidentNumber);
    expect(new Set(numbers).size).toBe(3);

    for (const n of numbers) {
      const byRules = (await activity(n)).filter((e) => e.actor.type === 'automationRule');
      // Newest first: the rule that ran last comes first.
      expect(byRules.map((e) => e.actor.id)).toEqual([third.id, second.id, first.id]);
      expect(byRules.map((e) => e.changes.map((c) => c.field))).toEqual([['severity'], ['tags'], ['task']]);
      const ids = (await t.get(t.ws(`/incidents/${n}/activity?limit=500`))).body.items.map((e: { id: string }) => e.id);
      expect(new Set(ids).size).toBe(ids.length);

      // One entry per page: the same entries, in the same order, each once.
      const paged: { id: string }[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = (await t.get(t.ws(`/incidents/${n}/activity?${query}`))).body;
        expect(page.items.length).toBeLessThanOrEqual(1);
        paged.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && paged.length < 20);
      expect(paged.map((e) => e.id)).toEqual(ids);

      // Filters look inside: only the entry that changed the field, only the rules' entries.
      const tasksOnly = (await t.get(t.ws(`/incidents/${n}/activity?field=task`))).body.items as Entry[];
      expect(tasksOnly.map((e) => e.actor.id)).toEqual([first.id]);
      const tagsOnly = (await t.get(t.ws(`/incidents/${n}/activity?field=tags&limit=1`))).body;
      expect(tagsOnly.items.map((e: Entry) => e.actor.id)).toEqual([second.id]);
      expect(tagsOnly.nextCursor).toBeNull();
      const rulesOnly = (await t.get(t.ws(`/incidents/${n}/activity?actorType=automationRule`))).body.items as Entry[];
      expect(rulesOnly.map((e) => e.actor.id)).toEqual([third.id, second.id, first.id]);
    }

    // Each rule's run log lists one run per incident, newest first, across pages.
    for (const r of [first, second, third]) {
      const page1 = (await t.get(t.ws(`/automation-rules/${r.id}/runs?limit=2`))).body;
      expect(page1.items.map((x: { incidentNumber: number }) => x.incidentNumber)).toEqual([numbers[2], numbers[1]]);
      expect(page1.nextCursor).toEqual(expect.any(String));
      const page2 = (await t.get(t.ws(`/automation-rules/${r.id}/runs?limit=2&cursor=${page1.nextCursor}`))).body;
      expect(page2.items).toMatchObject([
        { incidentNumber: numbers[0], ruleId: r.id, ruleName: r.name, trigger: 'incidentCreated', outcome: 'applied' },
      ]);
      expect(page2.nextCursor).toBeNull();
      const ids = [...page1.items, ...page2.items].map((x: { id: string }) => x.id);
      expect(new Set(ids).size).toBe(3);
    }
    const forged = await t.get(
      t.ws(`/automation-rules/${first.id}/runs?cursor=${Buffer.from('["x", 0]').toString('base64url')}`),
    );
    expect(forged.status).toBe(400);
    expect(forged.body.error.details).toEqual([{ path: 'cursor', message: 'is not valid for this list' }]);
  });

  it('stores what rules did compactly, and reads rows in the earlier object forms the same way', async () => {
    const key = randomUUID().slice(0, 8);
    const only = [prop('IncidentTitle', 'StartsWith', [key])];
    const tagger = await rule({ name: 'Compact: tag', order: 1, conditions: only, actions: [tags('compact')] });
    const tasker = await rule({ name: 'Compact: task', order: 2, conditions: only, actions: [task('Look closer')] });
    const [one] = await ingest({ title: `${key} one`, severity: 'Low' });
    const n = one!.incidentNumber;
    const db = t.app.storage.db;
    const incidentId = (await incident(n)).id as string;
    const seen = { activity: await activity(n), tagRuns: await runs(tagger.id), tasks: await tasksOf(n) };
    expect(seen.tasks[0].lastModifiedBy).toEqual({ type: 'automationRule', id: tasker.id, name: 'Compact: task' });

    // The grouped activity row holds [rule id, rule name, [[field, from, to]]]; the run log the incident's id.
    const row = await db
      .selectFrom('activity')
      .select(['id', 'entries'])
      .where('incident_id', '=', incidentId)
      .where('entries', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.entries!)).toEqual([
      [tagger.id, 'Compact: tag', [['tags', [], ['compact']]]],
      [tasker.id, 'Compact: task', [['task', null, expect.objectContaining({ title: 'Look closer', status: 'New' })]]],
    ]);
    const group = await db
      .selectFrom('automation_rule_run_groups')
      .select(['id', 'runs'])
      .where('rule_id', '=', tagger.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(group.runs)).toEqual([incidentId]);
    const taskRow = await db
      .selectFrom('tasks')
      .select('last_modified_by')
      .where('incident_id', '=', incidentId)
      .executeTakeFirstOrThrow();
    expect(taskRow.last_modified_by).toBe('');

    // Rows as the previous release wrote them read the same.
    const objectForm = JSON.parse(row.entries!).map(([id, name, changes]: [string, string, unknown[][]]) => ({
      action: 'incidentUpdated',
      actor: { type: 'automationRule', id, name },
      changes: changes.map(([field, from, to]) => ({ field, from, to })),
    }));
    await db
      .updateTable('activity')
      .set({ entries: JSON.stringify(objectForm) })
      .where('id', '=', row.id)
      .execute();
    await db
      .updateTable('automation_rule_run_groups')
      .set({ runs: JSON.stringify([{ outcome: 'applied', incidentId }]) })
      .where('id', '=', group.id)
      .execute();
    const creator = JSON.stringify({ type: 'automationRule', id: tasker.id, name: 'Compact: task' });
    await db.updateTable('tasks').set({ last_modified_by: creator }).where('incident_id', '=', incidentId).execute();
    expect(await activity(n)).toEqual(seen.activity);
    expect(await runs(tagger.id)).toEqual(seen.tagRuns);
    expect(await tasksOf(n)).toEqual(seen.tasks);

    // A person's change to the task is stored in full.
    const taskId = seen.tasks[0].id as string;
    const done = await t.patch(
      t.ws(`/incidents/${n}/tasks/${taskId}`),
      { status: 'Completed' },
      { headers: { 'if-match': seen.tasks[0].etag } },
    );
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.lastModifiedBy).toMatchObject({ type: 'user' });
    expect((await tasksOf(n))[0].createdBy).toEqual({ type: 'automationRule', id: tasker.id, name: 'Compact: task' });
  });

  it('Run playbook actions start runs, and alert-created rules start one per alert', async () => {
    const playbook = async (name: string, trigger: string) => {
      const source = `name: ${name}\ntrigger: ${trigger}\nsteps:\n  - set: { started: true }\n`;
      const res = await t.post(t.ws('/playbooks'), { source });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; name: string };
    };
    const [notifySoc, enrichAlert] = [
      await playbook(`Notify SOC ${randomUUID()}`, 'incident'),
      await playbook(`Enrich ${randomUUID()}`, 'alert'),
    ];
    const [scoped, other] = [await analyticsRule(), await analyticsRule()];
    const notify = await rule({ actions: [{ type: 'runPlaybook', playbook: notifySoc.name }, tags('notified')] });
    const enrich = await rule({
      trigger: 'alertCreated',
      analyticsRuleIds: [scoped.id],
      conditions: [prop('HostName', 'Equals', ['web01'])],
      actions: [{ type: 'runPlaybook', playbook: enrichAlert.id }],
    });
    const [mine, theirs, otherHost] = await ingest(
      { analyticsRuleName: scoped.name, ...host('WEB01') },
      { analyticsRuleName: other.name, ...host('web01') },
      { analyticsRuleName: scoped.name, ...host('db02') },
    );
    expect((await incident(mine!.incidentNumber)).tags).toEqual(['notified']);
    const notifyRuns = await runs(notify.id);
    expect(notifyRuns).toHaveLength(3);
    const onMine = notifyRuns.find((x: { incidentNumber: number }) => x.incidentNumber === mine!.incidentNumber);
    expect(onMine).toMatchObject({
      outcome: 'applied',
      results: [
        { index: 0, type: 'runPlaybook', outcome: 'applied', detail: expect.stringMatching(/^run \S+ started$/) },
        { index: 1, type: 'addTags', outcome: 'applied' },
      ],
    });
    // this app has no worker: the run the rule started waits in the queue, on the incident
    const runId = /^run (\S+) started$/.exec(onMine.results[0].detail)![1];
    const started = (await t.get(t.ws(`/runs/${runId}`))).body;
    expect(started).toMatchObject({
      status: 'queued',
      playbook: { id: notifySoc.id },
      trigger: { kind: 'incident', incidentId: (await incident(mine!.incidentNumber)).id },
      startedBy: { type: 'automationRule', id: notify.id },
    });
    const alertRuns = await runs(enrich.id);
    expect(alertRuns).toMatchObject([
      {
        alertId: mine!.id,
        incidentId: null,
        trigger: 'alertCreated',
        results: [{ index: 0, type: 'runPlaybook', outcome: 'applied', detail: expect.stringMatching(/^run \S+ started$/) }],
      },
    ]);
    expect(alertRuns.some((x: { alertId: string }) => x.alertId === theirs!.id || x.alertId === otherHost!.id)).toBe(false);
    const enrichRuns = (await t.get(t.ws(`/playbooks/${enrichAlert.id}/runs`))).body.items;
    expect(enrichRuns).toMatchObject([{ status: 'queued', trigger: { kind: 'alert', alertId: mine!.id } }]);
  });
});
