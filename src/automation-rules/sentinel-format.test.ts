import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/errors.js';
import type { Condition, RuleInput } from './rule-schemas.js';
import { readRules } from './sentinel-documents.js';
import { toSentinel, type ExportableRule } from './sentinel-export.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/corpus/sentinel/automation-rules');
const corpus = (name: string) => JSON.parse(fs.readFileSync(path.join(CORPUS, name), 'utf8'));
const SPEC = 'spec-2024-09-01-AutomationRules_CreateOrUpdate.json';
const QUICKSTART = 'quickstart-sentinel-automation-rule-azuredeploy.json';

const prop = (propertyName: string, operator: string, propertyValues: unknown) => ({
  conditionType: 'Property',
  conditionProperties: { propertyName, operator, propertyValues },
});
const rule = (over: Record<string, unknown> = {}, logic: Record<string, unknown> = {}) => ({
  displayName: 'R',
  order: 5,
  triggeringLogic: {
    isEnabled: true,
    expirationTimeUtc: null,
    triggersOn: 'Incidents',
    triggersWhen: 'Created',
    conditions: [],
    ...logic,
  },
  actions: [{ order: 1, actionType: 'AddIncidentTask', actionConfiguration: { title: 'T', description: null } }],
  ...over,
});
const one = (doc: unknown, parameters?: unknown) => {
  const { rules } = readRules(doc, parameters);
  expect(rules).toHaveLength(1);
  return rules[0]!;
};
const inputError = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).details as { path: string; message: string }[];
  }
  throw new Error('expected an InputError');
};

describe('reading documents', () => {
  it('takes the request rule of a REST example file', () => {
    const r = one(corpus(SPEC));
    expect(r).toMatchObject({ source: 'document.parameters.automationRule', sourceId: '73e01a99-5cd7-4139-a149-9f2736ff2ab5' });
    expect(r.input).toMatchObject({
      name: 'Suspicious user sign-in events',
      order: 1,
      trigger: 'incidentCreated',
      conditions: [],
    });
    expect(r.input!.actions).toEqual([
      { type: 'addTask', title: 'Reset user passwords', description: 'Reset passwords for compromised users.' },
    ]);
    expect(r.scope!.values).toHaveLength(2);
    expect(r.scope!.values[0]).toMatch(/alertRules\/fab3d2d4-747f-46a7-8ef0-9c0be8112bf7$/);
    expect(r.notRepresentable).toEqual([]);
  });

  it('reads the response of an example without a request rule, and list bodies', () => {
    const example = corpus(SPEC);
    const get = { parameters: { 'api-version': '2024-09-01' }, responses: { 200: { body: example.responses['200'].body } } };
    expect(one(get).source).toBe('document.responses.200.body');
    const list = {
      parameters: {},
      responses: { 200: { body: { value: [example.responses['200'].body, example.responses['201'].body] } } },
    };
    expect(readRules(list).rules.map((r) => r.source)).toEqual([
      'document.responses.200.body.value[0]',
      'document.responses.200.body.value[1]',
    ]);
  });

  it('accepts a REST resource, bare properties, a list response, an array, and Vigil definitions', () => {
    expect(one({ id: '/x/automationRules/abc', name: 'abc', properties: rule() }).sourceId).toBe('abc');
    expect(one(rule()).input!.name).toBe('R');
    expect(readRules({ value: [{ properties: rule() }, rule({ displayName: 'S' })] }).rules.map((r) => r.name)).toEqual([
      'R',
      'S',
    ]);
    expect(readRules([rule(), rule()]).rules).toHaveLength(2);
    const vigil = one({
      value: [{ name: 'V', order: 2, trigger: 'incidentUpdated', actions: [{ type: 'addTags', tags: ['x'] }] }],
    });
    expect(vigil.input).toMatchObject({ name: 'V', enabled: true, conditions: [], analyticsRuleIds: null });
  });

  it('resolves ARM templates with supplied parameters and reports what cannot be resolved', () => {
    const params = { existingWorkspaceName: 'ws', automationRuleName: 'Close urgent', existingRuleId: 'guid-1' };
    const r = one(corpus(QUICKSTART), params);
    expect(r.source).toBe('document.resources[0]');
    expect(r.sourceId).toMatch(/^[a-z2-7]{13}$/);
    expect(r.input).toMatchObject({ name: 'Close urgent', order: 2, trigger: 'incidentCreated', enabled: true, expiresAt: null });
    expect(r.scope!.values[0]).toMatch(/workspaces\/ws\/providers\/Microsoft\.SecurityInsights\/alertRules\/guid-1$/);
    expect(r.input!.conditions.map((c) => (c as { property: string }).property)).toEqual([
      'IncidentSeverity',
      'IncidentTactics',
      'IncidentTitle',
    ]);
    expect(r.input!.actions).toEqual([
      {
        type: 'changeStatus',
        status: 'Closed',
        classification: 'Undetermined',
        classificationComment: 'Closed by automation rule Close urgent',
      },
      { type: 'addTags', tags: ['tag'] },
    ]);
    expect(r.notes.map((n) => n.path)).toEqual([
      'document.resources[0].properties.actions[0].actionConfiguration.classificationComment',
    ]);

    const bare = one(corpus(QUICKSTART));
    expect(bare).toMatchObject({ input: null, skipped: expect.stringMatching(/could not be resolved/) });
    expect(bare.unresolved.map((u) => u.path)).toEqual([
      'document.resources[0].properties.displayName',
      'document.resources[0].properties.triggeringLogic.conditions[0].conditionProperties.propertyValues[0]',
      'document.resources[0].name',
    ]);
    expect(bare.unresolved[0]!.message).toMatch(/automationRuleName/);
  });

  it('warns about resources that are not rules and parameters the template does not declare', () => {
    const t = corpus(QUICKSTART);
    t.resources.push({ type: 'Microsoft.Logic/workflows', name: 'pb' });
    const { warnings } = readRules(t, { existingWorkspaceName: 'w', automationRuleName: 'n', existingRuleId: 'g', extra: 1 });
    expect(warnings.map((w) => w.path)).toEqual(['parameters.extra', 'document.resources[1]']);
  });

  it('rejects malformed documents with the path', () => {
    expect(inputError(() => readRules(42))[0]!.path).toBe('document');
    expect(inputError(() => readRules({ foo: 1 }))[0]!.message).toMatch(/not an automation rule/);
    expect(inputError(() => readRules({ value: [rule(), 'x'] }))[0]!.path).toBe('document.value[1]');
    expect(inputError(() => readRules(rule({}, { conditions: 'x' })))[0]!.path).toBe('document.triggeringLogic.conditions');
    expect(inputError(() => readRules(rule({ displayName: null })))[0]!).toEqual({
      path: 'document.displayName',
      message: 'is required',
    });
    expect(inputError(() => readRules({ properties: rule({ order: 'first' }) }))[0]!.path).toBe('document.properties.order');
    expect(inputError(() => readRules(rule({}, { conditions: [prop('IncidentTitle', 'Equals', [{ a: 1 }])] })))[0]!.path).toBe(
      'document.triggeringLogic.conditions[0].conditionProperties.propertyValues[0]',
    );
    expect(inputError(() => readRules({ value: [{ name: 'V', trigger: 'x', actions: [] }] }))[0]!.path).toBe(
      'document.value[0].order',
    );
  });
});

describe('conditions and actions', () => {
  it('converts every condition type; a group of one is its condition; no values on a change means any change', () => {
    const conditions = [
      prop('HostName', 'startsWith', ['web', 7]),
      {
        conditionType: 'PropertyArray',
        conditionProperties: {
          arrayType: 'CustomDetails',
          arrayConditionType: null,
          itemConditions: [prop('IncidentCustomDetailsKey', 'Equals', ['env'])],
        },
      },
      {
        conditionType: 'Boolean',
        conditionProperties: {
          operator: 'Or',
          innerConditions: [
            prop('IncidentTitle', 'Contains', ['a']),
            {
              conditionType: 'Boolean',
              conditionProperties: { operator: 'And', innerConditions: [prop('Url', 'EndsWith', ['.ru'])] },
            },
          ],
        },
      },
      {
        conditionType: 'PropertyChanged',
        conditionProperties: {
          propertyName: 'IncidentSeverity',
          changeType: 'ChangedTo',
          operator: 'Equals',
          propertyValues: ['High'],
        },
      },
      {
        conditionType: 'PropertyChanged',
        conditionProperties: { propertyName: 'IncidentOwner', changeType: 'ChangedFrom', operator: null, propertyValues: [] },
      },
      { conditionType: 'PropertyArrayChanged', conditionProperties: { arrayType: 'Comments', changeType: 'Added' } },
    ];
    const r = one(rule({}, { triggersWhen: 'Updated', conditions }));
    expect(r.input!.conditions).toEqual<Condition[]>([
      { type: 'property', property: 'HostName', operator: 'StartsWith', values: ['web', '7'] },
      {
        type: 'propertyArray',
        array: 'CustomDetails',
        match: 'AnyItem',
        conditions: [{ type: 'property', property: 'IncidentCustomDetailsKey', operator: 'Equals', values: ['env'] }],
      },
      {
        type: 'boolean',
        operator: 'Or',
        conditions: [
          { type: 'property', property: 'IncidentTitle', operator: 'Contains', values: ['a'] },
          { type: 'property', property: 'Url', operator: 'EndsWith', values: ['.ru'] },
        ],
      },
      { type: 'propertyChanged', property: 'IncidentSeverity', change: 'ChangedTo', operator: 'Equals', values: ['High'] },
      { type: 'propertyChanged', property: 'IncidentOwner', change: 'Changed' },
      { type: 'propertyArrayChanged', array: 'Comments', change: 'Added' },
    ]);
    expect(r).toMatchObject({ incomplete: false, notRepresentable: [], scope: null });
    expect(r.input!.trigger).toBe('incidentUpdated');
  });

  it('splits ModifyProperties by field, tolerating nulls and the "Classification - Reason" form', () => {
    const actions = [
      {
        order: 2,
        actionType: 'ModifyProperties',
        actionConfiguration: {
          severity: null,
          status: 'Closed',
          classification: 'BenignPositive - SuspiciousButExpected',
          classificationReason: null,
          classificationComment: 'ok',
          owner: null,
          labels: null,
        },
      },
      {
        order: 1,
        actionType: 'ModifyProperties',
        actionConfiguration: {
          severity: 'Low',
          owner: { email: 'a@x', userPrincipalName: 'a@corp', objectId: null, ownerType: 'User' },
          labels: [{ labelName: 'x', labelType: null }, 'y'],
        },
      },
      {
        order: 3,
        actionType: 'RunPlaybook',
        actionConfiguration: {
          logicAppResourceId: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Logic/workflows/Notify-Team',
          tenantId: null,
        },
      },
      {
        order: 4,
        actionType: 'ModifyProperties',
        actionConfiguration: { owner: { assignedTo: 'SOC Tier 1', ownerType: 'Group' } },
      },
      { order: 5, actionType: 'ModifyProperties', actionConfiguration: { status: 'Closed', classification: 'TruePositive' } },
    ];
    const r = one(rule({ actions }));
    expect(r.input!.actions).toEqual([
      { type: 'changeSeverity', severity: 'Low' },
      { type: 'assignOwner', owner: { email: 'a@x' } },
      { type: 'addTags', tags: ['x', 'y'] },
      {
        type: 'changeStatus',
        status: 'Closed',
        classification: 'BenignPositive',
        classificationReason: 'SuspiciousButExpected',
        classificationComment: 'ok',
      },
      { type: 'runPlaybook', playbook: 'Notify-Team' },
      { type: 'assignOwner', owner: { type: 'group', name: 'SOC Tier 1' } },
      {
        type: 'changeStatus',
        status: 'Closed',
        classification: 'TruePositive',
        classificationReason: 'SuspiciousActivity',
        classificationComment: 'Closed by automation rule R',
      },
    ]);
    expect(r.owners.map((o) => [o.index, o.candidates])).toEqual([
      [1, [{ email: 'a@x' }, { email: 'a@corp' }]],
      [5, [{ type: 'group', name: 'SOC Tier 1' }]],
    ]);
    expect(r.actionSources[4]).toBe('document.actions[2]');
    expect(r.notes.map((n) => n.message)).toContain('playbook Notify-Team will run when a playbook of that name exists');
    expect(r.notRepresentable).toEqual([]);
  });

  it('reports, by path, everything it cannot represent; an incomplete rule is flagged', () => {
    const conditions = [
      prop('IncidentMood', 'Equals', ['grumpy']),
      prop('IncidentTitle', 'Matches', ['x']),
      prop('IncidentTitle', 'Equals', []),
      { conditionType: 'Regex', conditionProperties: {} },
      { conditionType: 'PropertyArrayChanged', conditionProperties: { arrayType: 'Alerts', changeType: 'Added' } },
    ];
    const actions = [
      { order: 1, actionType: 'SendEmail', actionConfiguration: {} },
      { order: 2, actionType: 'ModifyProperties', actionConfiguration: { status: 'Closed' } },
      {
        order: 3,
        actionType: 'ModifyProperties',
        actionConfiguration: { status: 'Closed', classification: 'FalsePositive', classificationComment: 'x' },
      },
      { order: 4, actionType: 'ModifyProperties', actionConfiguration: { severity: 'Critical', labels: [{ labelName: null }] } },
      { order: 5, actionType: 'ModifyProperties', actionConfiguration: { owner: { assignedTo: 'Bob', ownerType: 'User' } } },
      { order: 6, actionType: 'RunPlaybook', actionConfiguration: { logicAppResourceId: null } },
      { order: 7, actionType: 'AddIncidentTask', actionConfiguration: { title: 'x'.repeat(200) } },
    ];
    const r = one(rule({ actions }, { conditions }));
    const at = (p: string) => r.notRepresentable.find((n) => n.path === p)?.message;
    const c = 'document.triggeringLogic.conditions';
    expect(at(`${c}[0].conditionProperties.propertyName`)).toMatch(/property "IncidentMood" is not one Vigil supports/);
    expect(at(`${c}[1].conditionProperties.operator`)).toMatch(/operator "Matches"/);
    expect(at(`${c}[2].conditionProperties.propertyValues`)).toMatch(/no values/);
    expect(at(`${c}[3].conditionType`)).toMatch(/"Regex" has no Vigil equivalent/);
    expect(at(`${c}[4]`)).toMatch(/only to rules on incident updates/);
    expect(at('document.actions[0].actionType')).toMatch(/"SendEmail" has no Vigil equivalent/);
    expect(at('document.actions[1].actionConfiguration.status')).toMatch(/closing needs a classification/);
    expect(at('document.actions[2].actionConfiguration.classificationReason')).toMatch(/FalsePositive needs a reason/);
    expect(at('document.actions[3].actionConfiguration.severity')).toMatch(/"Critical"/);
    expect(at('document.actions[3].actionConfiguration.labels[0]')).toMatch(/without a name/);
    expect(at('document.actions[4].actionConfiguration.owner')).toMatch(/"Bob" has no email/);
    expect(at('document.actions[5].actionConfiguration.logicAppResourceId')).toMatch(/no playbook/);
    expect(at('document.actions[6].actionConfiguration.title')).toMatch(/cut to 150/);
    expect(r.incomplete).toBe(true);
    expect(r.input!.conditions).toEqual([]);
    expect(r.input!.actions).toEqual([{ type: 'addTask', title: 'x'.repeat(150), description: '' }]);
  });

  it('skips rules with no Vigil trigger or no action left; alert rules keep only playbooks', () => {
    expect(one(rule({}, { triggersOn: 'Alerts', triggersWhen: 'Updated' })).skipped).toMatch(/has no Vigil trigger/);
    expect(one(rule({ actions: [] })).skipped).toBe('no action could be represented');
    const alerts = one(
      rule(
        {
          actions: [
            { order: 1, actionType: 'AddIncidentTask', actionConfiguration: { title: 'T' } },
            { order: 2, actionType: 'RunPlaybook', actionConfiguration: { logicAppResourceId: '/x/workflows/pb' } },
          ],
        },
        { triggersOn: 'Alerts', conditions: [prop('AlertAnalyticRuleIds', 'Contains', ['r1'])] },
      ),
    );
    expect(alerts.input).toMatchObject({ trigger: 'alertCreated', actions: [{ type: 'runPlaybook', playbook: 'pb' }] });
    expect(alerts.scope!.values).toEqual(['r1']);
    expect(alerts.notRepresentable).toEqual([{ path: 'document.actions[0]', message: 'rules on alerts can only run playbooks' }]);
  });
});

describe('export and round trip', () => {
  const saved = (input: RuleInput, extra: Partial<ExportableRule> = {}): ExportableRule => ({
    ...input,
    id: 'rule1',
    etag: '"3"',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    createdBy: { type: 'user', id: 'u', name: 'Ann' },
    modifiedBy: { type: 'user', id: 'u', name: 'Ann' },
    ...extra,
  });
  const scope = { workspace: 'default', analyticsRuleRef: (id: string) => `/arm/alertRules/${id}` };

  it('writes Sentinel resources with every key, null when unset, and reads them back to the same rule', () => {
    const input: RuleInput = {
      name: 'Everything',
      description: '',
      order: 7,
      enabled: false,
      expiresAt: '2030-01-01T00:00:00.000Z',
      trigger: 'incidentUpdated',
      analyticsRuleIds: ['a1', 'a2'],
      conditions: [
        { type: 'property', property: 'AccountUPNSuffix', operator: 'NotEndsWith', values: ['corp.com'] },
        {
          type: 'propertyArray',
          array: 'IncidentLabels',
          match: 'AllItems',
          conditions: [{ type: 'property', property: 'IncidentLabel', operator: 'NotEquals', values: ['x'] }],
        },
        { type: 'propertyChanged', property: 'IncidentStatus', change: 'Changed' },
        { type: 'propertyChanged', property: 'IncidentSeverity', change: 'ChangedFrom', operator: 'Equals', values: ['Low'] },
        { type: 'propertyArrayChanged', array: 'Tactics', change: 'Added' },
        {
          type: 'boolean',
          operator: 'Or',
          conditions: [
            { type: 'property', property: 'HostName', operator: 'Equals', values: ['a'] },
            { type: 'property', property: 'IPAddress', operator: 'StartsWith', values: ['10.'] },
          ],
        },
      ],
      actions: [
        {
          type: 'changeStatus',
          status: 'Closed',
          classification: 'FalsePositive',
          classificationReason: 'InaccurateData',
          classificationComment: 'noise',
        },
        { type: 'changeSeverity', severity: 'Informational' },
        { type: 'addTags', tags: ['a', 'b'] },
        { type: 'addTask', title: 'Check', description: 'Look' },
        { type: 'runPlaybook', playbook: 'Notify' },
      ],
    };
    const { resource, notRepresentable } = toSentinel(saved(input), scope);
    expect(notRepresentable).toEqual([]);
    const props = (resource as any).properties;
    expect(resource).toMatchObject({ name: 'rule1', type: 'Microsoft.SecurityInsights/automationRules', etag: '"3"' });
    expect((resource as any).id).toMatch(
      /\/workspaces\/default\/providers\/Microsoft\.SecurityInsights\/automationRules\/rule1$/,
    );
    expect(props.triggeringLogic).toMatchObject({
      isEnabled: false,
      expirationTimeUtc: input.expiresAt,
      triggersOn: 'Incidents',
      triggersWhen: 'Updated',
    });
    expect(props.triggeringLogic.conditions[0].conditionProperties).toEqual({
      propertyName: 'IncidentRelatedAnalyticRuleIds',
      operator: 'Contains',
      propertyValues: ['/arm/alertRules/a1', '/arm/alertRules/a2'],
    });
    expect(props.actions[1]).toEqual({
      order: 2,
      actionType: 'ModifyProperties',
      actionConfiguration: {
        severity: 'Informational',
        status: null,
        classification: null,
        classificationReason: null,
        classificationComment: null,
        owner: null,
        labels: null,
      },
    });
    const back = one(JSON.parse(JSON.stringify({ value: [resource] })));
    expect(back.input).toEqual({ ...input, analyticsRuleIds: null });
    expect(back.scope!.values).toEqual(['/arm/alertRules/a1', '/arm/alertRules/a2']);
    expect(back.notRepresentable).toEqual([]);
  });

  it('reports what Sentinel cannot hold', () => {
    const input: RuleInput = {
      name: 'Extras',
      description: 'Vigil only',
      order: 1,
      enabled: true,
      expiresAt: null,
      trigger: 'incidentCreated',
      analyticsRuleIds: null,
      conditions: [],
      actions: [
        { type: 'removeTags', tags: ['x'] },
        { type: 'unassignOwner' },
        {
          type: 'changeStatus',
          status: 'Closed',
          classification: 'TruePositive',
          classificationReason: 'SuspiciousActivity',
          classificationComment: 'c',
          determination: 'Phishing',
        },
        { type: 'assignOwner', owner: { type: 'group', id: 'g1', name: 'Tier 1', email: null } as never },
      ],
    };
    const { resource, notRepresentable } = toSentinel(saved(input), scope);
    expect(notRepresentable.map((p) => p.path)).toEqual(['description', 'actions[0]', 'actions[1]', 'actions[2].determination']);
    const actions = (resource as any).properties.actions;
    expect(actions.map((a: any) => a.order)).toEqual([3, 4]);
    expect(actions[1].actionConfiguration.owner).toEqual({
      objectId: null,
      email: null,
      assignedTo: 'Tier 1',
      userPrincipalName: null,
      ownerType: 'Group',
    });
  });
});
