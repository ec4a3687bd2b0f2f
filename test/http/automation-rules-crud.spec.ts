import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, userWithToken } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const tag = (tags: string[] = ['x']) => ({ type: 'addTags', tags });
const prop = (property: string, operator = 'Equals', values = ['v']) => ({ type: 'property', property, operator, values });
const close = (extra: Record<string, unknown> = {}) => ({
  type: 'changeStatus',
  status: 'Closed',
  classification: 'BenignPositive',
  classificationReason: 'SuspiciousButExpected',
  classificationComment: 'expected',
  ...extra,
});

describeEachDialect('automation rules: CRUD and validation', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t.close());

  const body = (overrides: Record<string, unknown> = {}) => ({
    name: `rule ${randomUUID().slice(0, 8)}`,
    order: 500,
    trigger: 'incidentCreated',
    actions: [tag()],
    ...overrides,
  });
  const create = async (overrides: Record<string, unknown> = {}) => {
    const res = await t.post(t.ws('/automation-rules'), body(overrides));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const analyticsRule = async (extra: Record<string, unknown> = {}) => {
    const res = await t.post(t.ws('/analytics-rules'), { name: `ar ${randomUUID().slice(0, 8)}`, ...extra });
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string; externalId: string | null };
  };
  const list = async (query: string) => {
    const res = await t.get(t.ws(`/automation-rules?${query}`));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as { id: string; name: string; order: number }[];
  };

  it('creates, reads, lists, changes and deletes a rule', async () => {
    const ar = await analyticsRule();
    const created = await t.post(
      t.ws('/automation-rules'),
      body({
        name: 'Triage brute force',
        description: 'adds the checklist',
        order: 7,
        analyticsRuleIds: [ar.name],
        conditions: [prop('HostName', 'StartsWith', ['fin-'])],
        actions: [{ type: 'addTask', title: 'Reset the password' }, tag(['brute'])],
      }),
    );
    expect(created.status).toBe(201);
    const rule = created.body;
    expect(created.headers.etag).toBe(rule.etag);
    expect(rule).toMatchObject({
      name: 'Triage brute force',
      description: 'adds the checklist',
      order: 7,
      enabled: true,
      expiresAt: null,
      expired: false,
      trigger: 'incidentCreated',
      analyticsRuleIds: [ar.id],
      analyticsRules: [{ id: ar.id, name: ar.name }],
      conditions: [prop('HostName', 'StartsWith', ['fin-'])],
      actions: [{ type: 'addTask', title: 'Reset the password', description: '' }, tag(['brute'])],
      createdBy: { type: 'user', id: t.adminId },
      modifiedBy: { type: 'user', id: t.adminId },
    });

    const read = await t.get(t.ws(`/automation-rules/${rule.id}`));
    expect(read.status).toBe(200);
    expect(read.body).toEqual(rule);
    expect((await list('q=triage brute')).map((r) => r.id)).toEqual([rule.id]);

    const patched = await t.patch(t.ws(`/automation-rules/${rule.id}`), {
      name: 'Triage brute force (v2)',
      enabled: false,
      analyticsRuleIds: null,
      actions: [tag(['v2'])],
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'Triage brute force (v2)',
      enabled: false,
      order: 7,
      analyticsRuleIds: null,
      analyticsRules: null,
    });
    expect(patched.body.actions).toEqual([tag(['v2'])]);
    expect(patched.body.conditions).toEqual(rule.conditions);
    expect(patched.body.etag).not.toBe(rule.etag);

    expect((await t.delete(t.ws(`/automation-rules/${rule.id}`))).status).toBe(204);
    expect((await t.get(t.ws(`/automation-rules/${rule.id}`))).status).toBe(404);
    expect((await t.delete(t.ws(`/automation-rules/${rule.id}`))).status).toBe(404);
    expect((await t.patch(t.ws(`/automation-rules/${rule.id}`), { enabled: true })).status).toBe(404);
  });

  it('lists by trigger, by action type and by analytics rule covered, and shows the analytics rules of each', async () => {
    const key = randomUUID().slice(0, 8);
    const [ar1, ar2] = [await analyticsRule({ externalId: `/subscriptions/s/alertRules/${key}` }), await analyticsRule()];
    const tasks = await create({ name: `${key} tasks`, actions: [tag(), { type: 'addTask', title: 'Check' }] });
    const scoped1 = await create({ name: `${key} scoped1`, analyticsRuleIds: [`/subscriptions/s/alertRules/${key}`, ar2.id] });
    const scoped2 = await create({ name: `${key} scoped2`, analyticsRuleIds: [ar2.name] });
    const updated = await create({
      name: `${key} updated`,
      trigger: 'incidentUpdated',
      actions: [{ type: 'addTask', title: 'Look' }],
    });
    const alerts = await create({
      name: `${key} alerts`,
      trigger: 'alertCreated',
      actions: [{ type: 'runPlaybook', playbook: 'Notify' }],
    });

    const ids = (items: { id: string }[]) => items.map((r) => r.id).sort();
    expect(ids(await list(`q=${key}&trigger=incidentUpdated`))).toEqual([updated.id]);
    expect(ids(await list(`q=${key}&trigger=alertCreated`))).toEqual([alerts.id]);
    expect(ids(await list(`q=${key}&actionType=addTask`))).toEqual(ids([tasks, updated]));
    expect(ids(await list(`q=${key}&actionType=addTask&trigger=incidentCreated`))).toEqual([tasks.id]);
    // a rule for all analytics rules covers every one of them
    expect(ids(await list(`q=${key}&analyticsRule=${encodeURIComponent(ar1.name)}`))).toEqual(
      ids([tasks, scoped1, updated, alerts]),
    );
    expect(ids(await list(`q=${key}&analyticsRule=${ar2.id}`))).toEqual(ids([tasks, scoped1, scoped2, updated, alerts]));
    expect(ids(await list(`q=${key}&analyticsRule=${key}&trigger=incidentCreated`))).toEqual(ids([tasks, scoped1]));
    expect((await t.get(t.ws('/automation-rules?actionType=addStuff'))).status).toBe(400);

    const byId = new Map((await list(`q=${key}`)).map((r) => [r.id, r as Record<string, unknown>]));
    expect(byId.get(scoped1.id)).toMatchObject({
      analyticsRuleIds: [ar1.id, ar2.id],
      analyticsRules: [
        { id: ar1.id, name: ar1.name },
        { id: ar2.id, name: ar2.name },
      ],
    });
    expect(byId.get(scoped2.id)!.analyticsRules).toEqual([{ id: ar2.id, name: ar2.name }]);
    expect(byId.get(tasks.id)!.analyticsRules).toBeNull();
  });

  it('shows expired rules as expired', async () => {
    const past = await create({ expiresAt: new Date(Date.now() - 60_000).toISOString() });
    const future = await create({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(past.expired).toBe(true);
    expect(future.expired).toBe(false);
    expect((await t.get(t.ws(`/automation-rules/${past.id}`))).body.expired).toBe(true);
    const revived = await t.patch(t.ws(`/automation-rules/${past.id}`), { expiresAt: null });
    expect(revived.body).toMatchObject({ expiresAt: null, expired: false });
  });

  describe('validation names the offending path', () => {
    const group = (n: number, operator = 'Or') => ({
      type: 'boolean',
      operator,
      conditions: Array.from({ length: n }, (_, i) => prop('HostName', 'Equals', [`h${i}`])),
    });
    const changed = { type: 'propertyChanged', property: 'IncidentSeverity', change: 'Changed' };
    const cases: [string, Record<string, unknown>, number, string][] = [
      ['an unknown property', { conditions: [prop('HostColour')] }, 400, 'conditions[0].property'],
      ['an unknown key in a condition', { conditions: [{ ...prop('HostName'), negate: true }] }, 400, 'conditions[0]'],
      [
        'an unknown operator in a group',
        {
          conditions: [
            prop('HostName'),
            { type: 'boolean', operator: 'Or', conditions: [prop('HostName', 'Matches'), prop('IPAddress')] },
          ],
        },
        400,
        'conditions[1].conditions[0].operator',
      ],
      ['a group of 1', { conditions: [prop('HostName'), group(1)] }, 400, 'conditions[1].conditions'],
      ['a group of 11', { conditions: [group(11, 'And')] }, 400, 'conditions[0].conditions'],
      [
        '51 conditions, nested ones counted',
        { conditions: [group(10), group(10), group(10), group(10), ...Array(7).fill(prop('IPAddress'))] },
        400,
        'conditions',
      ],
      [
        'a change condition on incidentCreated',
        { conditions: [prop('HostName'), { type: 'boolean', operator: 'Or', conditions: [changed, prop('IPAddress')] }] },
        400,
        'conditions[1].conditions[0]',
      ],
      ['21 actions', { actions: Array(21).fill(tag()) }, 400, 'actions'],
      ['no action', { actions: [] }, 400, 'actions'],
      ['an unknown action type', { actions: [tag(), tag(), { type: 'sendEmail' }] }, 400, 'actions[2].type'],
      ['a name of 501 characters', { name: 'n'.repeat(501) }, 400, 'name'],
      ['order 0', { order: 0 }, 400, 'order'],
      ['order 1001', { order: 1001 }, 400, 'order'],
      [
        'an alertCreated rule that tags',
        { trigger: 'alertCreated', actions: [{ type: 'runPlaybook', playbook: 'p' }, tag()] },
        400,
        'actions[1].type',
      ],
      [
        'closing without a classification',
        { actions: [tag(), close({ classification: undefined })] },
        400,
        'actions[1].classification',
      ],
      ['closing without a comment', { actions: [close({ classificationComment: undefined })] }, 400, 'actions[0]'],
      [
        'closing as TruePositive without a reason',
        { actions: [close({ classification: 'TruePositive', classificationReason: undefined })] },
        400,
        'actions[0].classificationReason',
      ],
      [
        'ChangedTo without values',
        { trigger: 'incidentUpdated', conditions: [{ ...changed, change: 'ChangedTo' }] },
        400,
        'conditions[0].operator',
      ],
      ['an unknown analytics rule', { analyticsRuleIds: ['no such analytics rule'] }, 422, 'analyticsRuleIds[0]'],
    ];
    it.each(cases)('rejects %s', async (label, overrides, status, path) => {
      const res = await t.post(t.ws('/automation-rules'), body(overrides));
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      const details = res.body.error.details as { path: string; message: string }[];
      // the path itself, or a field of it (the comment case may name actions[0].classification…)
      expect(
        details.map((d) => d.path).find((p) => p === path || p.startsWith(`${path}.`)),
        JSON.stringify(details),
      ).toBeDefined();
      expect(res.body.error.message).toContain(path);
      if (label.includes('comment')) expect(JSON.stringify(details)).toContain('comment');
    });

    it('accepts the limits themselves', async () => {
      await create({ name: 'n'.repeat(500), order: 1000, actions: Array(20).fill(tag()) });
      await create({ order: 1, conditions: [group(10), group(10), group(10), group(10), ...Array(6).fill(prop('IPAddress'))] });
      await create({ actions: [close({ classification: 'Undetermined', classificationReason: undefined })] });
    });

    it('rejects an owner who is not a member (422) and a patch that breaks the trigger rules', async () => {
      const outsider = await createUser(t, { role: null });
      const res = await t.post(
        t.ws('/automation-rules'),
        body({ actions: [tag(), { type: 'assignOwner', owner: { email: outsider.email } }] }),
      );
      expect(res.status).toBe(422);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('actions[1].owner');

      const rule = await create();
      const patched = await t.patch(t.ws(`/automation-rules/${rule.id}`), { trigger: 'alertCreated' });
      expect(patched.status).toBe(400);
      expect(patched.body.error.details.map((d: { path: string }) => d.path)).toContain('actions[0].type');
      const changeCondition = await t.patch(t.ws(`/automation-rules/${rule.id}`), {
        conditions: [{ type: 'propertyArrayChanged', array: 'Comments', change: 'Added' }],
      });
      expect(changeCondition.status).toBe(400);
      expect(changeCondition.body.error.details.map((d: { path: string }) => d.path)).toContain('conditions[0]');
      expect((await t.get(t.ws(`/automation-rules/${rule.id}`))).body.etag).toBe(rule.etag);
    });
  });

  it('reorders: the listed rules run first, in that order', async () => {
    const key = randomUUID().slice(0, 8);
    const a = await create({ name: `${key} a`, order: 3 });
    const b = await create({ name: `${key} b`, order: 3 });
    const c = await create({ name: `${key} c`, order: 9 });
    expect((await list(`q=${key}`)).map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    const res = await t.post(t.ws('/automation-rules/reorder'), { ids: [c.id, a.id, b.id] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const mine = (await list(`q=${key}`)).map((r) => [r.id, r.order]);
    expect(mine).toEqual([
      [c.id, 1],
      [a.id, 2],
      [b.id, 3],
    ]);
    const missing = await t.post(t.ws('/automation-rules/reorder'), { ids: [a.id, 'nope'] });
    expect(missing.status).toBe(404);
    expect(missing.body.error.details[0].path).toBe('ids[1]');
    expect((await t.post(t.ws('/automation-rules/reorder'), { ids: [a.id, a.id] })).status).toBe(400);
  });

  it('refuses a change made on a stale etag (412)', async () => {
    const rule = await create();
    const first = await t.patch(t.ws(`/automation-rules/${rule.id}`), { order: 12 }, { headers: { 'if-match': rule.etag } });
    expect(first.status).toBe(200);
    const stale = await t.patch(t.ws(`/automation-rules/${rule.id}`), { order: 13 }, { headers: { 'if-match': rule.etag } });
    expect(stale.status).toBe(412);
    expect((await t.get(t.ws(`/automation-rules/${rule.id}`))).body.order).toBe(12);
  });

  it('lets Contributors write rules and Readers only read them', async () => {
    const reader = await userWithToken(t, 'RuleReader', 'Reader');
    const contributor = await userWithToken(t, 'RuleContributor', 'Contributor');
    const denied = await t.post(t.ws('/automation-rules'), body(), { token: reader.token });
    expect(denied.status).toBe(403);
    expect((await t.get(t.ws('/automation-rules'), { token: reader.token })).status).toBe(200);
    const made = await t.post(t.ws('/automation-rules'), body(), { token: contributor.token });
    expect(made.status).toBe(201);
    expect(made.body.createdBy).toMatchObject({ type: 'user', id: contributor.id });
    expect((await t.patch(t.ws(`/automation-rules/${made.body.id}`), { enabled: false }, { token: reader.token })).status).toBe(
      403,
    );
    expect((await t.delete(t.ws(`/automation-rules/${made.body.id}`), { token: reader.token })).status).toBe(403);
  });

  it('holds at most 512 rules per workspace (413 naming the limit)', async () => {
    const existing = (await list('')).length;
    for (let i = existing; i < 512; i++) await create({ enabled: false });
    const res = await t.post(t.ws('/automation-rules'), body());
    expect(res.status).toBe(413);
    expect(res.body.error.message).toContain('512');
    expect((await list('')).length).toBe(512);
  });
});
