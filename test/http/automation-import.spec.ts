import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser, userWithToken } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/corpus/sentinel/automation-rules');
const FILES = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.json'));
const corpus = (name: string) => JSON.parse(fs.readFileSync(path.join(CORPUS, name), 'utf8'));
const SPEC = 'spec-2024-09-01-AutomationRules_CreateOrUpdate.json';
const QUICKSTART = 'quickstart-sentinel-automation-rule-azuredeploy.json';
const isTemplate = (doc: any) => Array.isArray(doc?.resources);

const WS_ARM =
  '/subscriptions/d0cfe6b2-9ac0-4464-9919-dccaee2e48c0/resourceGroups/myRg/providers/Microsoft.OperationalInsights/workspaces/myWorkspace';
const alertRule = (guid: string) => `${WS_ARM}/providers/Microsoft.SecurityInsights/alertRules/${guid}`;
const ANALYTICS = [
  { name: 'Impossible travel', externalId: alertRule('fab3d2d4-747f-46a7-8ef0-9c0be8112bf7') },
  { name: 'Password spray', externalId: alertRule('8deb8303-e94d-46ff-96e0-5fd94b33df1a') },
  { name: 'Urgent phishing', externalId: alertRule('5a3f0c1e-2b7d-4e8a-9c6f-1d2e3f4a5b6c') },
];
const PARAMS = {
  existingWorkspaceName: 'myWorkspace',
  automationRuleName: 'Close urgent high',
  existingRuleId: '5a3f0c1e-2b7d-4e8a-9c6f-1d2e3f4a5b6c',
};

/** What a rule does, without ids and times: what a round trip must keep. */
const meaning = (r: any) => ({
  name: r.name,
  order: r.order,
  enabled: r.enabled,
  expiresAt: r.expiresAt,
  trigger: r.trigger,
  analyticsRuleIds: r.analyticsRuleIds ? [...r.analyticsRuleIds].sort() : null,
  conditions: r.conditions,
  actions: r.actions,
});

describeEachDialect('automation rules: Sentinel import and export', (dialect) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const rules = async () => (await t.get(t.ws('/automation-rules'))).body.items as any[];
  const importDoc = (body: Record<string, unknown>, token?: string) => t.post(t.ws('/automation-rules/import'), body, { token });
  const clear = async () => {
    for (const r of await rules()) expect((await t.delete(t.ws(`/automation-rules/${r.id}`))).status).toBe(204);
  };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    for (const a of ANALYTICS) {
      const res = await t.post(t.ws('/analytics-rules'), a);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids[a.name] = res.body.id;
    }
  });
  afterAll(() => t.close());

  it('imports every corpus file through POST /import, resolving the analytics rules it names', async () => {
    expect(FILES.length).toBeGreaterThanOrEqual(2);
    for (const file of FILES) {
      const doc = corpus(file);
      const res = await importDoc({ document: doc, ...(isTemplate(doc) ? { parameters: PARAMS } : {}) });
      expect(res.status, `${file}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.skipped, file).toBe(0);
      expect(res.body.created, file).toBeGreaterThanOrEqual(1);
      for (const r of res.body.rules) {
        expect(r.outcome, file).toBe('created');
        expect(r.notRepresentable, file).toEqual([]);
        expect(r.rule.analyticsRuleIds, `${file}: scope resolved`).not.toBeNull();
      }
    }
    const byName = Object.fromEntries((await rules()).map((r) => [r.name, r]));
    expect(byName['Suspicious user sign-in events']).toMatchObject({
      order: 1,
      enabled: true,
      trigger: 'incidentCreated',
      conditions: [],
      actions: [{ type: 'addTask', title: 'Reset user passwords', description: 'Reset passwords for compromised users.' }],
    });
    expect(byName['Suspicious user sign-in events'].analyticsRuleIds.sort()).toEqual(
      [ids['Impossible travel'], ids['Password spray']].sort(),
    );
    expect(byName['Close urgent high']).toMatchObject({
      order: 2,
      trigger: 'incidentCreated',
      analyticsRules: [{ id: ids['Urgent phishing'], name: 'Urgent phishing' }],
      conditions: [
        { type: 'property', property: 'IncidentSeverity', operator: 'Equals', values: ['High'] },
        { type: 'property', property: 'IncidentTactics', operator: 'Contains', values: ['InitialAccess', 'Execution'] },
        { type: 'property', property: 'IncidentTitle', operator: 'Contains', values: ['urgent'] },
      ],
      actions: [
        { type: 'changeStatus', status: 'Closed', classification: 'Undetermined' },
        { type: 'addTags', tags: ['tag'] },
      ],
    });
  });

  it('reports the quickstart template as skipped, with each unresolved expression, when parameters are missing', async () => {
    const res = await importDoc({ document: corpus(QUICKSTART) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 0, skipped: 1 });
    const [r] = res.body.rules;
    expect(r).toMatchObject({ outcome: 'skipped', rule: null, reason: expect.stringMatching(/supply the parameters/) });
    expect(r.unresolved.map((u: any) => u.path)).toEqual([
      'document.resources[0].properties.displayName',
      'document.resources[0].properties.triggeringLogic.conditions[0].conditionProperties.propertyValues[0]',
      'document.resources[0].name',
    ]);
    expect(r.unresolved.map((u: any) => u.message).join('\n')).toMatch(/automationRuleName[\s\S]*existingWorkspaceName/);
  });

  it('round-trips: export as Sentinel JSON, import again, same meaning (create and upsert)', async () => {
    const before = (await rules()).map(meaning);
    const exported = await t.get(t.ws('/automation-rules/export?format=sentinel'));
    expect(exported.status).toBe(200);
    expect(exported.body.value).toHaveLength(before.length);
    for (const resource of exported.body.value) {
      expect(resource).toMatchObject({ type: 'Microsoft.SecurityInsights/automationRules', name: expect.any(String) });
      expect(Object.keys(resource.properties.triggeringLogic).sort()).toEqual(
        ['conditions', 'expirationTimeUtc', 'isEnabled', 'triggersOn', 'triggersWhen'].sort(),
      );
      for (const action of resource.properties.actions.filter((a: any) => a.actionType === 'ModifyProperties'))
        expect(Object.keys(action.actionConfiguration).sort()).toEqual(
          ['classification', 'classificationComment', 'classificationReason', 'labels', 'owner', 'severity', 'status'].sort(),
        );
    }
    const scope = exported.body.value[0].properties.triggeringLogic.conditions[0].conditionProperties;
    expect(scope.propertyName).toBe('IncidentRelatedAnalyticRuleIds');
    expect(scope.propertyValues.every((v: string) => v.startsWith(WS_ARM))).toBe(true);

    const upsert = await importDoc({ document: exported.body, mode: 'upsert' });
    expect(upsert.body).toMatchObject({ created: 0, updated: before.length, skipped: 0 });
    expect((await rules()).map(meaning)).toEqual(before);

    await clear();
    const again = await importDoc({ document: JSON.parse(JSON.stringify(exported.body)) });
    expect(again.body).toMatchObject({ created: before.length, skipped: 0 });
    expect((await rules()).map(meaning)).toEqual(before);

    const vigil = await t.get(t.ws('/automation-rules/export?format=vigil'));
    expect(vigil.body.value[0]).not.toHaveProperty('id');
    await clear();
    expect((await importDoc({ document: vigil.body })).body).toMatchObject({ created: before.length });
    expect((await rules()).map(meaning)).toEqual(before);
  });

  it('skips a taken name in create mode and updates it in upsert mode', async () => {
    const doc = corpus(SPEC);
    const taken = await importDoc({ document: doc });
    expect(taken.body.rules[0]).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(/exists; import with mode "upsert"/),
    });
    doc.parameters.automationRule.properties.order = 9;
    const updated = await importDoc({ document: doc, mode: 'upsert' });
    expect(updated.body.rules[0]).toMatchObject({ outcome: 'updated', rule: { order: 9 } });
  });

  it('reports, per rule, what it could not represent — never dropping it silently', async () => {
    const member = await createUser(t, { email: 'tier1@example.test', role: 'Responder' });
    const base = {
      order: 50,
      triggeringLogic: { isEnabled: true, triggersOn: 'Incidents', triggersWhen: 'Created', expirationTimeUtc: null },
    };
    const prop = (propertyName: string, propertyValues: string[], operator = 'Equals') => ({
      conditionType: 'Property',
      conditionProperties: { propertyName, operator, propertyValues },
    });
    const modify = (order: number, cfg: object) => ({ order, actionType: 'ModifyProperties', actionConfiguration: cfg });
    const document = {
      value: [
        {
          name: 'g1',
          properties: {
            ...base,
            displayName: 'Odd one',
            triggeringLogic: {
              ...base.triggeringLogic,
              conditions: [prop('IncidentMood', ['grumpy']), prop('HostName', ['web01'])],
            },
            actions: [
              modify(1, { owner: { email: 'nobody@example.test', objectId: null, ownerType: 'User' } }),
              modify(2, { owner: { email: member.email, ownerType: 'User' } }),
              { order: 3, actionType: 'SendTeamsMessage', actionConfiguration: {} },
              {
                order: 4,
                actionType: 'RunPlaybook',
                actionConfiguration: {
                  logicAppResourceId: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Logic/workflows/Block-User',
                },
              },
            ],
          },
        },
        {
          properties: {
            ...base,
            displayName: 'Alert updates',
            triggeringLogic: { ...base.triggeringLogic, triggersOn: 'Alerts', triggersWhen: 'Updated' },
            actions: [],
          },
        },
        {
          displayName: 'Partly scoped',
          ...base,
          triggeringLogic: {
            ...base.triggeringLogic,
            conditions: [prop('IncidentRelatedAnalyticRuleIds', ['Password spray', alertRule('no-such-rule')], 'Contains')],
          },
          actions: [modify(1, { labels: [{ labelName: 'spray' }] })],
        },
        {
          displayName: 'Unknown scope',
          ...base,
          triggeringLogic: { ...base.triggeringLogic, conditions: [prop('IncidentRelatedAnalyticRuleIds', [alertRule('gone')])] },
          actions: [modify(1, { severity: 'High' })],
        },
      ],
    };
    const res = await importDoc({ document });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ created: 3, skipped: 1 });
    const [odd, alerts, partly, unknown] = res.body.rules;
    expect(odd).toMatchObject({ outcome: 'created', sourceId: 'g1', rule: { enabled: false } });
    expect(odd.rule.conditions).toEqual([{ type: 'property', property: 'HostName', operator: 'Equals', values: ['web01'] }]);
    expect(odd.rule.actions).toEqual([
      { type: 'assignOwner', owner: { type: 'user', id: member.id, name: member.name, email: member.email } },
      { type: 'runPlaybook', playbook: 'Block-User' },
    ]);
    const p = 'document.value[0].properties';
    expect(odd.notRepresentable).toEqual([
      {
        path: `${p}.triggeringLogic.conditions[0].conditionProperties.propertyName`,
        message: expect.stringMatching(/IncidentMood/),
      },
      { path: `${p}.actions[2].actionType`, message: expect.stringMatching(/SendTeamsMessage/) },
      {
        path: `${p}.actions[0].actionConfiguration.owner`,
        message: expect.stringMatching(/nobody@example.test is not a member/),
      },
    ]);
    expect(odd.notes.map((n: any) => n.message)).toEqual(
      expect.arrayContaining([
        'playbook Block-User will run when a playbook of that name exists',
        expect.stringMatching(/imported disabled/),
      ]),
    );
    expect(alerts).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/Alerts with triggersWhen Updated/) });
    expect(partly.rule.analyticsRuleIds).toEqual([ids['Password spray']]);
    expect(partly.notRepresentable).toEqual([
      {
        path: 'document.value[2].triggeringLogic.conditions[0].conditionProperties.propertyValues',
        message: expect.stringMatching(/no-such-rule matches no analytics rule/),
      },
    ]);
    expect(unknown.rule).toMatchObject({ analyticsRuleIds: null, enabled: true });
    expect(unknown.rule.conditions).toEqual([
      { type: 'property', property: 'IncidentRelatedAnalyticRuleIds', operator: 'Equals', values: [alertRule('gone')] },
    ]);

    const exported = await t.get(t.ws('/automation-rules/export'));
    expect(exported.body.notRepresentable).toEqual([]);
  });

  it('rejects bad input with 400 naming the path', async () => {
    const missing = await importDoc({});
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ path: 'document', message: 'is required' }]);
    const doc = corpus(SPEC);
    doc.parameters.automationRule.properties.triggeringLogic.conditions[0].conditionProperties = 'oops';
    const bad = await importDoc({ document: doc });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /^document\.parameters\.automationRule\.properties\.triggeringLogic\.conditions\[0\]\.conditionProperties: must be an object/,
    );
    expect((await importDoc({ document: { hello: 'world' } })).body.error.message).toMatch(
      /^document: is not an automation rule/,
    );
    const mode = await importDoc({ document: corpus(SPEC), mode: 'merge' });
    expect(mode.status).toBe(400);
    expect(mode.body.error.message).toMatch(/mode/);
    const format = await t.get(t.ws('/automation-rules/export?format=yaml'));
    expect(format.status).toBe(400);
    expect(format.body.error.message).toMatch(/format/);
  });

  it('needs rules.write to import and rules.read to export', async () => {
    const reader = await userWithToken(t, 'Rita', 'Reader');
    expect((await importDoc({ document: corpus(SPEC) }, reader.token)).status).toBe(403);
    expect((await t.get(t.ws('/automation-rules/export'), { token: reader.token })).status).toBe(200);
    const ingestor = await userWithToken(t, 'Ingo', 'Ingestor');
    expect((await t.get(t.ws('/automation-rules/export'), { token: ingestor.token })).status).toBe(403);
  });
});
