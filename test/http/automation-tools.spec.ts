import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { createUser, type TestUser } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const DAY = 86_400_000;
const host = (hostName: string) => [{ kind: 'Host', hostName }];
const prop = (property: string, operator: string, values: string[]) => ({ type: 'property', property, operator, values });
const close = {
  type: 'changeStatus',
  status: 'Closed',
  classification: 'BenignPositive',
  classificationReason: 'SuspiciousButExpected',
  classificationComment: 'Known scanner',
};
type Change = { field: string; from: unknown; to: unknown };
type DryRun = {
  evaluated: number;
  matched: number;
  items: {
    incident: { id: string; number: number; title: string };
    changes: Change[];
    tasks: { title: string; description: string }[];
    results: unknown[];
  }[];
};

describeEachDialect('automation rules: dry run and drafts', (dialect) => {
  let t: TestApp;
  let dana: TestUser;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    dana = await createUser(t, { name: 'Dana Scully', role: 'Responder' });
  });
  afterAll(() => t.close());
  afterEach(async () => {
    for (const rule of (await t.get(t.ws('/automation-rules'))).body.items) await t.delete(t.ws(`/automation-rules/${rule.id}`));
  });

  const analyticsRule = async (extra: Record<string, unknown> = {}) =>
    (await t.post(t.ws('/analytics-rules'), { name: `ar ${randomUUID()}`, ...extra })).body as {
      id: string;
      name: string;
      externalId: string | null;
    };
  const ingest = async (...alerts: Record<string, unknown>[]) => {
    const res = await t.post(t.ws('/alerts'), { alerts });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.results as { id: string; incidentNumber: number }[];
  };
  const incident = async (n: number) => (await t.get(t.ws(`/incidents/${n}`))).body;
  const dryRun = async (body: Record<string, unknown>) => {
    const res = await t.post(t.ws('/automation-rules/test'), body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as DryRun;
  };
  /** What could change: every incident's etag and task count, and the size of the activity log. */
  const snapshot = async (numbers: number[]) => ({
    incidents: await Promise.all(numbers.map(async (n) => ({ ...(await incident(n)), url: undefined }))),
    activity: (await t.get(t.ws('/activity?limit=500'))).body.items.length,
  });
  const draft = (extra: Record<string, unknown> = {}) => ({
    name: 'Suppress the scanner',
    order: 5,
    trigger: 'incidentCreated',
    conditions: [prop('HostName', 'Equals', ['scanner-01'])],
    actions: [close, { type: 'addTags', tags: ['suppressed'] }, { type: 'addTask', title: 'Verify the scan window' }],
    ...extra,
  });

  it('dry-runs a draft and a saved rule on existing incidents (a filter narrows them) without changing anything', async () => {
    const [ar, other] = [await analyticsRule(), await analyticsRule()];
    const results = await ingest(
      alert({ analyticsRuleName: ar.name, title: 'A', entities: host('scanner-01') }),
      alert({ analyticsRuleName: ar.name, title: 'B', entities: host('web01') }),
      alert({ analyticsRuleName: ar.name, title: 'C', entities: host('SCANNER-01') }),
      alert({ analyticsRuleName: other.name, title: 'D', entities: host('scanner-01') }),
    );
    const numbers = results.map((r) => r.incidentNumber);
    const before = await snapshot(numbers);

    const narrowed = await dryRun({ rule: draft(), filter: { analyticsRule: [ar.id] } });
    expect(narrowed.evaluated).toBe(3);
    expect(narrowed.matched).toBe(2);
    expect(narrowed.items.map((i) => i.incident.number).sort()).toEqual([numbers[0], numbers[2]].sort());
    for (const item of narrowed.items) {
      expect(item.changes).toEqual(
        expect.arrayContaining([
          { field: 'status', from: 'New', to: 'Closed' },
          { field: 'classification', from: null, to: 'BenignPositive' },
          { field: 'tags', from: [], to: ['suppressed'] },
        ]),
      );
      expect(item.tasks).toEqual([{ title: 'Verify the scan window', description: '' }]);
    }

    const all = await dryRun({ rule: draft() });
    expect(all.items.map((i) => i.incident.number)).toEqual(expect.arrayContaining([numbers[0], numbers[2], numbers[3]]));
    expect(all.items.map((i) => i.incident.number)).not.toContain(numbers[1]);
    const scoped = await dryRun({ rule: draft({ analyticsRuleIds: [other.name] }) });
    expect(scoped.items.map((i) => i.incident.number)).toEqual([numbers[3]]);

    const saved = await t.post(t.ws('/automation-rules'), draft({ enabled: false }));
    expect(saved.status).toBe(201);
    const bySaved = await dryRun({ ruleId: saved.body.id, filter: { analyticsRule: [ar.id] } });
    expect(bySaved).toEqual(narrowed);

    expect(await snapshot(numbers)).toEqual(before);
    expect((await t.get(t.ws(`/automation-rules/${saved.body.id}/runs`))).body.items).toEqual([]);
    expect((await t.get(t.ws(`/incidents/${numbers[0]}/tasks`))).body.items).toEqual([]);
  });

  it('dry-runs an incident-updated rule against the latest change by a person', async () => {
    const key = randomUUID().slice(0, 8);
    const [raised, lowered] = await Promise.all(
      [1, 2].map(async (i) => (await t.post(t.ws('/incidents'), { title: `${key} ${i}` })).body.number),
    );
    await t.patch(t.ws(`/incidents/${raised}`), { severity: 'High' });
    await t.patch(t.ws(`/incidents/${lowered}`), { severity: 'Low' });
    const result = await dryRun({
      rule: {
        name: 'On High',
        order: 1,
        trigger: 'incidentUpdated',
        conditions: [
          { type: 'propertyChanged', property: 'IncidentSeverity', change: 'ChangedTo', operator: 'Equals', values: ['High'] },
        ],
        actions: [{ type: 'addTags', tags: ['escalated'] }],
      },
      filter: { q: key },
    });
    expect(result.evaluated).toBe(2);
    expect(result.items.map((i) => [i.incident.number, i.changes])).toEqual([
      [raised, [{ field: 'tags', from: [], to: ['escalated'] }]],
    ]);
  });

  it('rejects a dry run with both or neither of rule and ruleId, or an invalid draft', async () => {
    expect((await t.post(t.ws('/automation-rules/test'), {})).status).toBe(400);
    const invalid = await t.post(t.ws('/automation-rules/test'), { rule: draft({ trigger: 'alertCreated' }) });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body.error.details)).toContain('actions[0].type');
    expect((await t.post(t.ws('/automation-rules/test'), { ruleId: 'nope' })).status).toBe(404);
  });

  it('dry run matches exactly what live execution then does', async () => {
    const ar = await analyticsRule();
    const alerts = [
      { title: 'Finance workstation 1', severity: 'Low', entities: host('fin-01') },
      { title: 'Web server', severity: 'Low', entities: host('web01') },
      {
        title: 'Finance workstation 2',
        severity: 'Medium',
        entities: [...host('FIN-02'), { kind: 'Account', accountName: 'carol' }],
      },
      { title: 'Finance laptop, owned', severity: 'High', entities: host('fin-laptop') },
    ].map((a) => ({ ...a, analyticsRuleName: ar.name }));
    await ingest(...alerts.map((a) => alert(a)));
    const rule = {
      name: 'Finance escalation',
      order: 1,
      trigger: 'incidentCreated',
      analyticsRuleIds: [ar.id],
      conditions: [prop('HostName', 'StartsWith', ['fin-'])],
      actions: [
        { type: 'changeSeverity', severity: 'High' },
        { type: 'assignOwner', owner: { email: dana.email } },
        { type: 'addTags', tags: ['finance'] },
        { type: 'addTask', title: 'Call the finance desk', description: 'Ask about **travel**' },
        { type: 'changeStatus', status: 'Active' },
      ],
    };
    const predicted = await dryRun({ rule, filter: { analyticsRule: [ar.id] } });
    expect(predicted.evaluated).toBe(4);
    expect(predicted.matched).toBe(3);
    const byTitle = new Map(predicted.items.map((i) => [i.incident.title, { changes: i.changes, tasks: i.tasks }]));

    const created = await t.post(t.ws('/automation-rules'), rule);
    expect(created.status).toBe(201);
    const live = await ingest(...alerts.map((a) => alert(a)));
    for (const [i, result] of live.entries()) {
      const n = result.incidentNumber;
      const entries = (await t.get(t.ws(`/incidents/${n}/activity?actorType=automationRule&limit=200`))).body.items as {
        action: string;
        changes: Change[];
      }[];
      const tasks = (await t.get(t.ws(`/incidents/${n}/tasks`))).body.items as { title: string; description: string }[];
      const actual = {
        // the rule's entry also lists the tasks it added; the dry run lists them apart
        changes: entries
          .filter((e) => e.action === 'incidentUpdated')
          .flatMap((e) => e.changes)
          .filter((c) => c.field !== 'task'),
        tasks: tasks.map(({ title, description }) => ({ title, description })),
      };
      expect(actual, alerts[i]!.title).toEqual(byTitle.get(alerts[i]!.title) ?? { changes: [], tasks: [] });
    }
  });

  it('drafts a suppression rule from an incident; created as is, it suppresses the next such incident', async () => {
    const ar = await analyticsRule({ externalId: `/subscriptions/s/alertRules/${randomUUID()}` });
    const entities = [
      { kind: 'Host', hostName: 'build-07' },
      { kind: 'Account', accountName: 'svc-build', upnSuffix: 'contoso.com' },
    ];
    const [first] = await ingest(alert({ analyticsRuleId: ar.externalId, title: 'Build agent scanning', entities }));
    const res = await t.get(t.ws(`/incidents/${first!.incidentNumber}/automation-rule-draft`));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const suggestion = res.body;
    expect(suggestion).toMatchObject({ trigger: 'incidentCreated', enabled: true, analyticsRuleIds: [ar.id] });
    expect(suggestion.name).toContain('Build agent scanning');
    expect(suggestion.conditions).toEqual(
      expect.arrayContaining([prop('HostName', 'Equals', ['build-07']), prop('AccountName', 'Equals', ['svc-build'])]),
    );
    expect(suggestion.actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'changeStatus',
          status: 'Closed',
          classification: expect.any(String),
          classificationComment: expect.any(String),
        }),
        expect.objectContaining({ type: 'addTags' }),
      ]),
    );
    expect(Math.abs(Date.parse(suggestion.expiresAt) - (Date.now() + 7 * DAY))).toBeLessThan(5 * 60_000);
    // untouched by drafting
    expect((await t.get(t.ws('/automation-rules'))).body.items).toEqual([]);

    const created = await t.post(t.ws('/automation-rules'), suggestion);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.analyticsRules).toEqual([{ id: ar.id, name: ar.name }]);
    const suppressionTags = suggestion.actions.find((a: { type: string }) => a.type === 'addTags').tags;

    const [same, otherHost] = await ingest(
      alert({ analyticsRuleId: ar.externalId, title: 'Build agent scanning', entities }),
      alert({ analyticsRuleId: ar.externalId, title: 'Build agent scanning', entities: [...host('build-08'), entities[1]] }),
    );
    const [otherRule] = await ingest(alert({ title: 'Build agent scanning', entities }));
    expect(await incident(same!.incidentNumber)).toMatchObject({ status: 'Closed', tags: suppressionTags });
    expect((await t.get(t.ws(`/incidents/${same!.incidentNumber}/alerts`))).body.items[0].status).toBe('Resolved');
    expect((await incident(otherHost!.incidentNumber)).status).toBe('New');
    expect((await incident(otherRule!.incidentNumber)).status).toBe('New');
  });

  it('drafts from the product when the incident has no analytics rule', async () => {
    const [one] = await ingest(alert({ productName: 'Contoso EDR', entities: host('kiosk-3') }));
    const suggestion = (await t.get(t.ws(`/incidents/${one!.incidentNumber}/automation-rule-draft`))).body;
    expect(suggestion.analyticsRuleIds).toBeNull();
    expect(suggestion.conditions).toEqual(
      expect.arrayContaining([prop('AlertProductNames', 'Equals', ['Contoso EDR']), prop('HostName', 'Equals', ['kiosk-3'])]),
    );
    expect((await t.post(t.ws('/automation-rules'), suggestion)).status).toBe(201);
    const [again, elsewhere] = await ingest(
      alert({ productName: 'Contoso EDR', entities: host('kiosk-3') }),
      alert({ productName: 'Other EDR', entities: host('kiosk-3') }),
    );
    expect((await incident(again!.incidentNumber)).status).toBe('Closed');
    expect((await incident(elsewhere!.incidentNumber)).status).toBe('New');
  });
});
