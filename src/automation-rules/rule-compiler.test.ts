import { describe, expect, it } from 'vitest';
import { compileConditions, compileOperator, countConditions } from './rule-compiler.js';
import { compileRule, ruleMatches, rulesToRun } from './rule-engine.js';
import type { Operator } from './rule-properties.js';
import type { Condition } from './rule-schemas.js';
import {
  buildSubject,
  updateSource,
  type RuleSubject,
  type RuleUpdate,
  type SubjectExtras,
  type SubjectFacts,
} from './rule-subject.js';

const FACTS: SubjectFacts = {
  title: 'Suspicious Sign-In from TOR',
  description: 'Impossible travel detected',
  severity: 'High',
  status: 'New',
  owner: null,
  analyticsRuleNames: ['rule-1', 'Brute force', '/subscriptions/s/alertRules/ABC-123', 'ABC-123'],
  tactics: ['InitialAccess'],
  labels: ['Critical-Asset', 'VIP'],
  alertProducts: ['Microsoft Defender for Endpoint'],
};
const EXTRAS: SubjectExtras = {
  entities: [
    { kind: 'Host', properties: { hostName: 'web01' } },
    { kind: 'Host', properties: { hostName: 'FIN-WS-07', osVersion: '' } },
    { kind: 'Account', properties: { accountName: 'Alice', upnSuffix: 'Contoso.com' } },
    { kind: 'MailMessage', properties: { p1Sender: 'Boss@Evil.example' } },
  ],
  customDetails: [{ Country: ['FR'], Users: ['alice', 'bob'] }, { City: ['Paris'] }],
  alertTitles: ['Sign-in from TOR exit node'],
};

const subject = (facts: Partial<SubjectFacts> = {}, extras: Partial<SubjectExtras> = {}, source = 'User' as const): RuleSubject =>
  buildSubject({ ...FACTS, ...facts }, { ...EXTRAS, ...extras }, source);
const test = (conditions: Condition[], s: RuleSubject = subject(), update?: RuleUpdate) =>
  compileConditions(conditions).test({ subject: s, update });
const prop = (property: string, operator: Operator, values: string[]) =>
  ({ type: 'property', property, operator, values }) as Condition;

describe('operators', () => {
  it.each<[Operator, string[], boolean]>([
    ['Equals', ['nope', 'SUSPICIOUS SIGN-IN FROM tor'], true],
    ['Equals', ['suspicious sign-in'], false],
    ['NotEquals', ['nope', 'suspicious sign-in from tor'], false],
    ['NotEquals', ['nope', 'suspicious sign-in'], true],
    ['Contains', ['xyz', 'SIGN-in'], true],
    ['Contains', ['xyz', 'vpn'], false],
    ['NotContains', ['xyz', 'tor'], false],
    ['NotContains', ['xyz', 'vpn'], true],
    ['StartsWith', ['xyz', 'SUSPICIOUS'], true],
    ['StartsWith', ['sign-in'], false],
    ['NotStartsWith', ['sign-in', 'suspicious s'], false],
    ['NotStartsWith', ['sign-in', 'tor'], true],
    ['EndsWith', ['abc', 'FROM TOR'], true],
    ['EndsWith', ['suspicious'], false],
    ['NotEndsWith', ['abc', 'tor'], false],
    ['NotEndsWith', ['abc', 'suspicious'], true],
  ])('%s %j on the title → %s (case-insensitive, any of / none of)', (operator, values, expected) => {
    expect(test([prop('IncidentTitle', operator, values)])).toBe(expected);
  });

  it('works on lists: positive operators when any item matches any value, Not… when none does', () => {
    const contains = compileOperator('Contains', ['B']);
    expect(contains(['a', 'xbx'])).toBe(true);
    expect(contains([])).toBe(false);
    expect(compileOperator('NotContains', ['b'])(['a', 'xbx'])).toBe(false);
    for (const op of ['NotEquals', 'NotContains', 'NotStartsWith', 'NotEndsWith'] as const)
      expect(compileOperator(op, ['x'])([])).toBe(true);
    for (const op of ['Equals', 'Contains', 'StartsWith', 'EndsWith'] as const)
      expect(compileOperator(op, ['x'])([])).toBe(false);
  });

  it.each(['Equals', 'Contains', 'StartsWith', 'EndsWith'] as const)(
    '%s on an absent entity property fails, its Not… holds',
    (operator) => {
      const noHosts = subject({}, { entities: [{ kind: 'Account', properties: { accountName: 'bob', hostName: 'web01' } }] });
      expect(test([prop('HostName', operator, ['web01'])], noHosts)).toBe(false);
      expect(test([prop('HostName', `Not${operator}` as Operator, ['web01'])], noHosts)).toBe(true);
      // an empty string is no value either
      expect(test([prop('HostOSVersion', operator, [''])])).toBe(false);
      expect(test([prop('HostOSVersion', `Not${operator}` as Operator, ['x'])])).toBe(true);
    },
  );
});

describe('entity properties', () => {
  it('match when any entity of that kind matches', () => {
    expect(test([prop('HostName', 'Equals', ['fin-ws-07'])])).toBe(true);
    expect(test([prop('HostName', 'StartsWith', ['WEB'])])).toBe(true);
    expect(test([prop('HostName', 'NotEquals', ['web01'])])).toBe(false);
    expect(test([prop('HostName', 'NotStartsWith', ['db'])])).toBe(true);
    expect(test([prop('AccountName', 'Equals', ['alice'])])).toBe(true);
    expect(test([prop('AccountUPNSuffix', 'EndsWith', ['.COM'])])).toBe(true);
    expect(test([prop('MailMessageP1Sender', 'Contains', ['@evil.'])])).toBe(true);
    // another kind's property of the same name does not count
    expect(test([prop('HostName', 'Equals', ['alice'])])).toBe(false);
    expect(test([prop('IPAddress', 'NotEquals', ['10.0.0.1'])])).toBe(true);
  });
});

describe('incident properties', () => {
  it('read the incident fields case-insensitively', () => {
    const owned = subject({ owner: { id: 'u1', name: 'Dana Scully', email: 'Dana@Example.test' } });
    expect(test([prop('IncidentOwner', 'Equals', ['dana@example.test'])], owned)).toBe(true);
    expect(test([prop('IncidentOwner', 'Equals', ['dana scully'])], owned)).toBe(true);
    expect(test([prop('IncidentOwner', 'NotEquals', ['x'])])).toBe(true);
    expect(test([prop('IncidentOwner', 'Contains', ['a'])])).toBe(false);
    expect(test([prop('IncidentSeverity', 'Equals', ['low', 'HIGH'])])).toBe(true);
    expect(test([prop('IncidentStatus', 'Equals', ['active', 'closed'])])).toBe(false);
    expect(test([prop('IncidentDescription', 'Contains', ['travel'])])).toBe(true);
    expect(test([prop('IncidentTactics', 'Equals', ['initialaccess'])])).toBe(true);
    expect(test([prop('IncidentLabel', 'Equals', ['vip'])])).toBe(true);
    expect(test([prop('AlertProductNames', 'Contains', ['defender'])])).toBe(true);
    expect(test([prop('IncidentRelatedAnalyticRuleIds', 'Equals', ['abc-123'])])).toBe(true);
    expect(test([prop('IncidentCustomDetailsKey', 'Equals', ['country'])])).toBe(true);
    expect(test([prop('IncidentCustomDetailsValue', 'Equals', ['paris'])])).toBe(true);
    expect(test([prop('IncidentAlertTitle', 'Contains', ['exit node'])])).toBe(true);
  });

  it('reads who made the change (IncidentUpdatedBySource)', () => {
    const by = (actor: RuleUpdate['actor']) => subject({}, {}, updateSource(actor) as 'User');
    expect(test([prop('IncidentUpdatedBySource', 'Equals', ['user'])], by({ type: 'user', id: 'u', name: 'U' }))).toBe(true);
    expect(
      test(
        [prop('IncidentUpdatedBySource', 'Equals', ['AlertGrouping'])],
        by({ type: 'system', id: 'alert-grouping', name: 'g' }),
      ),
    ).toBe(true);
    expect(
      test([prop('IncidentUpdatedBySource', 'Equals', ['AutomationRule'])], by({ type: 'automationRule', id: 'r', name: 'r' })),
    ).toBe(true);
    expect(
      test([prop('IncidentUpdatedBySource', 'Equals', ['User'])], by({ type: 'system', id: 'alert-grouping', name: 'g' })),
    ).toBe(false);
  });
});

describe('array conditions', () => {
  const details = (match: 'AnyItem' | 'AllItems', conditions: Condition[]) =>
    ({ type: 'propertyArray', array: 'CustomDetails', match, conditions }) as Condition;
  const labels = (match: 'AnyItem' | 'AllItems', conditions: Condition[]) =>
    ({ type: 'propertyArray', array: 'IncidentLabels', match, conditions }) as Condition;

  it('CustomDetails AnyItem evaluates key and value on the same item', () => {
    expect(
      test([
        details('AnyItem', [
          prop('IncidentCustomDetailsKey', 'Equals', ['USERS']),
          prop('IncidentCustomDetailsValue', 'Equals', ['bob']),
        ]),
      ]),
    ).toBe(true);
    expect(
      test([
        details('AnyItem', [
          prop('IncidentCustomDetailsKey', 'Equals', ['country']),
          prop('IncidentCustomDetailsValue', 'Equals', ['bob']),
        ]),
      ]),
    ).toBe(false);
    expect(
      test([
        details('AnyItem', [
          prop('IncidentCustomDetailsKey', 'Equals', ['city']),
          prop('IncidentCustomDetailsValue', 'NotEquals', ['london']),
        ]),
      ]),
    ).toBe(true);
  });

  it('CustomDetails AllItems needs every item to match', () => {
    expect(test([details('AllItems', [prop('IncidentCustomDetailsKey', 'NotEquals', ['password'])])])).toBe(true);
    expect(test([details('AllItems', [prop('IncidentCustomDetailsKey', 'StartsWith', ['c'])])])).toBe(false);
    expect(
      test(
        [details('AllItems', [prop('IncidentCustomDetailsKey', 'StartsWith', ['c'])])],
        subject({}, { customDetails: [{ Country: ['FR'], City: ['Paris'] }] }),
      ),
    ).toBe(true);
  });

  it('IncidentLabels any item / all items', () => {
    expect(test([labels('AnyItem', [prop('IncidentLabel', 'Equals', ['vip'])])])).toBe(true);
    expect(test([labels('AllItems', [prop('IncidentLabel', 'Equals', ['vip'])])])).toBe(false);
    expect(test([labels('AllItems', [prop('IncidentLabel', 'Contains', ['i'])])])).toBe(true);
    expect(test([labels('AnyItem', [prop('IncidentLabel', 'Equals', ['vip'])])], subject({ labels: [] }))).toBe(false);
  });
});

describe('boolean groups', () => {
  const group = (operator: 'And' | 'Or', conditions: Condition[]) => ({ type: 'boolean', operator, conditions }) as Condition;
  const yes = prop('HostName', 'Equals', ['web01']);
  const no = prop('HostName', 'Equals', ['db02']);

  it('Or holds when any inner condition does, And when all do, nested; the top level is ANDed', () => {
    expect(test([group('Or', [no, yes])])).toBe(true);
    expect(test([group('Or', [no, no])])).toBe(false);
    expect(test([group('And', [yes, no])])).toBe(false);
    expect(test([group('And', [yes, group('Or', [no, group('And', [yes, yes])])])])).toBe(true);
    expect(test([group('And', [yes, group('Or', [no, group('And', [yes, no])])])])).toBe(false);
    expect(test([yes, no])).toBe(false);
    expect(test([])).toBe(true);
  });

  it('counts nested conditions', () => {
    expect(countConditions([yes, group('Or', [no, group('And', [yes, yes])])])).toBe(6);
  });
});

describe('change conditions', () => {
  const owner = (email: string) => ({ type: 'user', id: email, name: email.split('@')[0], email });
  const update = (changes: RuleUpdate['changes'], action: RuleUpdate['action'] = 'incidentUpdated'): RuleUpdate => ({
    action,
    actor: { type: 'user', id: 'u', name: 'U' },
    changes,
  });
  const changed = (property: string, change: string, operator?: Operator, values?: string[]) =>
    ({ type: 'propertyChanged', property, change, operator, values }) as Condition;
  const sev = update([{ field: 'severity', from: 'Medium', to: 'High' }]);

  it('Changed / ChangedFrom / ChangedTo on severity, status, owner', () => {
    expect(test([changed('IncidentSeverity', 'Changed')], subject(), sev)).toBe(true);
    expect(test([changed('IncidentStatus', 'Changed')], subject(), sev)).toBe(false);
    expect(test([changed('IncidentSeverity', 'ChangedFrom', 'Equals', ['medium'])], subject(), sev)).toBe(true);
    expect(test([changed('IncidentSeverity', 'ChangedFrom', 'Equals', ['high'])], subject(), sev)).toBe(false);
    expect(test([changed('IncidentSeverity', 'ChangedTo', 'Equals', ['Low', 'HIGH'])], subject(), sev)).toBe(true);
    expect(test([changed('IncidentSeverity', 'ChangedTo', 'NotEquals', ['high'])], subject(), sev)).toBe(false);
    expect(test([changed('IncidentSeverity', 'Changed')], subject())).toBe(false);
    const status = update([{ field: 'status', from: 'New', to: 'Active' }]);
    expect(test([changed('IncidentStatus', 'ChangedTo', 'Equals', ['active'])], subject(), status)).toBe(true);
    const reassigned = update([{ field: 'owner', from: owner('a@x.test'), to: owner('B@x.test') }]);
    expect(test([changed('IncidentOwner', 'ChangedFrom', 'Equals', ['a@x.test'])], subject(), reassigned)).toBe(true);
    expect(test([changed('IncidentOwner', 'ChangedTo', 'Equals', ['b'])], subject(), reassigned)).toBe(true);
    const assigned = update([{ field: 'owner', from: null, to: owner('a@x.test') }]);
    expect(test([changed('IncidentOwner', 'ChangedFrom', 'NotEquals', ['a@x.test'])], subject(), assigned)).toBe(true);
    expect(test([changed('IncidentOwner', 'ChangedFrom', 'Contains', ['@'])], subject(), assigned)).toBe(false);
  });

  it('Added on alerts, labels (custom or system), tactics and comments', () => {
    const added = (array: string) => [{ type: 'propertyArrayChanged', array, change: 'Added' }] as Condition[];
    expect(test(added('Alerts'), subject(), update([{ field: 'alerts', from: null, to: ['a1'] }], 'alertsAdded'))).toBe(true);
    expect(test(added('Alerts'), subject(), sev)).toBe(false);
    expect(test(added('Labels'), subject(), update([{ field: 'tags', from: ['a'], to: ['a', 'b'] }]))).toBe(true);
    expect(test(added('Labels'), subject(), update([{ field: 'systemTags', from: [], to: ['vip'] }]))).toBe(true);
    // removing a tag, or re-spelling one, adds nothing
    expect(test(added('Labels'), subject(), update([{ field: 'tags', from: ['a', 'b'], to: ['a'] }]))).toBe(false);
    expect(test(added('Labels'), subject(), update([{ field: 'tags', from: ['a'], to: ['A'] }]))).toBe(false);
    expect(test(added('Tactics'), subject(), update([{ field: 'tactics', from: [], to: ['Execution'] }]))).toBe(true);
    expect(test(added('Tactics'), subject(), update([{ field: 'tactics', from: ['Execution'], to: [] }]))).toBe(false);
    expect(test(added('Comments'), subject(), update([], 'commentAdded'))).toBe(true);
    expect(test(added('Comments'), subject(), sev)).toBe(false);
  });
});

describe('rules', () => {
  const rule = (id: string, order: number, createdAt: number, extra: Partial<Parameters<typeof compileRule>[0]> = {}) =>
    compileRule({
      id,
      name: id,
      order,
      createdAt,
      trigger: 'incidentCreated',
      enabled: true,
      expiresAt: null,
      scopeIdentifiers: null,
      conditions: [],
      actions: [{ type: 'addTags', tags: ['x'] }],
      ...extra,
    });

  it('run enabled, unexpired rules of the trigger by order, then creation time', () => {
    const rules = [
      rule('c', 2, 1),
      rule('a', 1, 5),
      rule('b', 2, 0),
      rule('off', 1, 0, { enabled: false }),
      rule('old', 1, 0, { expiresAt: 1000 }),
      rule('later', 1, 0, { expiresAt: 1001 }),
      rule('upd', 1, 0, { trigger: 'incidentUpdated' }),
    ];
    expect(rulesToRun(rules, 'incidentCreated', 1000).map((r) => r.id)).toEqual(['later', 'a', 'b', 'c']);
  });

  it('apply to the analytics rules of their scope, named by id, name or source id', () => {
    expect(ruleMatches(rule('s', 1, 0, { scopeIdentifiers: ['RULE-1'] }), { subject: subject() })).toBe(true);
    expect(ruleMatches(rule('s', 1, 0, { scopeIdentifiers: ['rule-2'] }), { subject: subject() })).toBe(false);
    expect(ruleMatches(rule('s', 1, 0, { scopeIdentifiers: ['rule-2'] }), { subject: subject({ analyticsRuleNames: [] }) })).toBe(
      false,
    );
    expect(ruleMatches(rule('s', 1, 0), { subject: subject({ analyticsRuleNames: [] }) })).toBe(true);
  });
});
