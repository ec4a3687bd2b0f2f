import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { createUser, type TestUser } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Each case is a rule tagging the incidents it matches; its first element says, per incident of the
 * test in order, whether it should match: 'y' or 'n' ('yn': the first incident only).
 */
type Cases = Record<string, [expected: string, ...conditions: unknown[]]>;
const p = (property: string, operator: string, ...values: string[]) => ({ type: 'property', property, operator, values });
const group = (operator: 'And' | 'Or', ...conditions: unknown[]) => ({ type: 'boolean', operator, conditions });
const array = (array: string, match: string, ...conditions: unknown[]) => ({ type: 'propertyArray', array, match, conditions });
const detail = (key: string, value: string) => [
  p('IncidentCustomDetailsKey', 'Equals', key),
  p('IncidentCustomDetailsValue', 'Equals', value),
];
const changed = (property: string, change: string, operator?: string, ...values: string[]) => ({
  type: 'propertyChanged',
  property: `Incident${property}`,
  change,
  ...(operator ? { operator, values } : {}),
});
const added = (array: string) => ({ type: 'propertyArrayChanged', array, change: 'Added' });
const host = (hostName: string) => ({ kind: 'Host', hostName });

describeEachDialect('automation rules: conditions on real incidents', (dialect) => {
  let t: TestApp;
  let dana: TestUser;
  let fox: TestUser;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    dana = await createUser(t, { name: 'Dana Scully', email: 'dana.scully@example.test', role: 'Responder' });
    fox = await createUser(t, { name: 'Fox Mulder', email: 'fox.mulder@example.test', role: 'Responder' });
  });
  afterAll(() => t.close());

  /** Creates one rule per case (on the analytics rule, or on incidents whose title holds the key); returns a checker. */
  async function rules(trigger: string, cases: Cases, scope: { analyticsRuleIds?: string[]; titleKey?: string }) {
    const ids: string[] = [];
    for (const [label, [, ...conditions]] of Object.entries(cases)) {
      const res = await t.post(t.ws('/automation-rules'), {
        name: `${trigger} ${label}`,
        order: 10,
        trigger,
        analyticsRuleIds: scope.analyticsRuleIds ?? null,
        conditions: scope.titleKey ? [...conditions, p('IncidentTitle', 'Contains', scope.titleKey)] : conditions,
        actions: [{ type: 'addTags', tags: [`case:${label}`] }],
      });
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(201);
      ids.push(res.body.id);
    }
    /** Checks which cases matched each incident, against the cases' expectations (or `only` of them). */
    const check = async (numbers: number[], only?: Record<string, string>) => {
      const tags = await Promise.all(numbers.map(async (n) => (await t.get(t.ws(`/incidents/${n}`))).body.tags as string[]));
      const labels = Object.keys(only ?? cases);
      const actual = labels.map((label) => [label, tags.map((list) => (list.includes(`case:${label}`) ? 'y' : 'n')).join('')]);
      const expected = labels.map((label) => [label, only ? only[label] : cases[label]![0]]);
      expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    };
    const remove = async () => {
      for (const id of ids) await t.delete(t.ws(`/automation-rules/${id}`));
    };
    return { check, remove };
  }

  /** Runs incident-created cases on alerts of a fresh analytics rule (one incident per alert). */
  async function onAlerts(cases: Cases, alerts: Record<string, unknown>[], analyticsRule: Record<string, unknown> = {}) {
    const ar = (await t.post(t.ws('/analytics-rules'), { name: `conditions ${randomUUID()}`, ...analyticsRule })).body;
    const { check, remove } = await rules('incidentCreated', cases, { analyticsRuleIds: [ar.id] });
    const via = ar.externalId ? { analyticsRuleId: ar.externalId } : { analyticsRuleName: ar.name };
    const ingest = await t.post(t.ws('/alerts'), { alerts: alerts.map((a) => alert({ ...via, ...a })) });
    expect(ingest.status, JSON.stringify(ingest.body)).toBe(201);
    await check(ingest.body.results.map((r: { incidentNumber: number }) => r.incidentNumber));
    await remove();
  }

  describe('incident created', () => {
    it('every operator, case-insensitively, with several values (any of / none of)', async () => {
      const title = (operator: string, ...values: string[]) => p('IncidentTitle', operator, ...values);
      await onAlerts(
        {
          Equals: ['yn', title('Equals', 'nope', 'suspicious SIGN-IN from tor')],
          NotEquals: ['ny', title('NotEquals', 'nope', 'SUSPICIOUS SIGN-IN FROM TOR')],
          Contains: ['yn', title('Contains', 'xyz', 'sign-IN')],
          NotContains: ['ny', title('NotContains', 'xyz', 'TOR')],
          StartsWith: ['yy', title('StartsWith', 'MASS', 'suspicious')],
          StartsWithNone: ['nn', title('StartsWith', 'sign', 'download')],
          NotStartsWith: ['yn', title('NotStartsWith', 'xyz', 'mass')],
          EndsWith: ['yn', title('EndsWith', 'FROM tor', 'xyz')],
          NotEndsWith: ['yn', title('NotEndsWith', 'DOWNLOAD', 'xyz')],
        },
        [{ title: 'Suspicious Sign-In from TOR' }, { title: 'Mass download' }],
      );
    });

    it('Not… operators match an absent entity property, positive ones do not', async () => {
      await onAlerts(
        {
          Equals: ['yn', p('HostName', 'Equals', 'WEB01')],
          NotEquals: ['ny', p('HostName', 'NotEquals', 'web01')],
          NotEqualsOther: ['yy', p('HostName', 'NotEquals', 'db02')],
          Contains: ['yn', p('HostName', 'Contains', 'eb')],
          NotContains: ['ny', p('HostName', 'NotContains', 'eb')],
          StartsWith: ['yn', p('HostName', 'StartsWith', 'w')],
          NotStartsWith: ['ny', p('HostName', 'NotStartsWith', 'w')],
          EndsWith: ['yn', p('HostName', 'EndsWith', '01')],
          NotEndsWith: ['ny', p('HostName', 'NotEndsWith', '01')],
        },
        [{ entities: [host('web01')] }, { entities: [{ kind: 'Account', accountName: 'web01' }] }],
      );
    });

    it('entity properties match when any entity of that kind matches, in any entity shape', async () => {
      const rich = [
        host('web01'),
        { kind: 'Host', properties: { hostName: 'FIN-WS-07' } },
        { kind: 'Account', accountName: 'Alice', upnSuffix: 'contoso.com' },
        { kind: 'Ip', address: '10.0.0.5' },
        { kind: 'Ip', address: '192.168.1.9' },
        { kind: 'Url', url: 'https://evil.example/login' },
        { kind: 'FileHash', algorithm: 'SHA256', hashValue: 'ABCDEF0123' },
        { $id: '7', Type: 'mailMessage', P1Sender: 'boss@evil.example', NetworkMessageId: 'm1', Recipient: 'alice@contoso.com' },
        { kind: 'Process', commandLine: 'powershell -enc AAAA' },
        { kind: 'DnsResolution', domainName: 'c2.evil.example' },
      ];
      await onAlerts(
        {
          HostName: ['yn', p('HostName', 'Equals', 'fin-ws-07')],
          AccountName: ['yn', p('AccountName', 'Equals', 'ALICE', 'carol')],
          AccountUPNSuffix: ['ny', p('AccountUPNSuffix', 'EndsWith', 'FABRIKAM.com')],
          IPAddress: ['yn', p('IPAddress', 'StartsWith', '192.168.')],
          Url: ['yn', p('Url', 'Contains', 'evil.example')],
          FileHashValue: ['yn', p('FileHashValue', 'Equals', 'abcdef0123')],
          MailMessageP1Sender: ['yn', p('MailMessageP1Sender', 'EndsWith', '@EVIL.EXAMPLE')],
          MailMessageRecipient: ['yn', p('MailMessageRecipient', 'Equals', 'alice@contoso.com')],
          ProcessCommandLine: ['yn', p('ProcessCommandLine', 'Contains', '-ENC')],
          DNSDomainName: ['yn', p('DNSDomainName', 'EndsWith', 'evil.example')],
          NoSuchIp: ['ny', p('IPAddress', 'NotEquals', '10.0.0.5')],
        },
        [{ entities: rich }, { entities: [{ kind: 'Account', accountName: 'bob', upnSuffix: 'fabrikam.com' }] }],
      );
    });

    it('incident properties of ingested incidents: severity, status, description, tactics, labels, products, analytics rule, custom details', async () => {
      const externalId = `/subscriptions/s1/providers/Microsoft.SecurityInsights/alertRules/${randomUUID()}`;
      await onAlerts(
        {
          severity: ['yn', p('IncidentSeverity', 'Equals', 'high', 'informational')],
          status: ['yy', p('IncidentStatus', 'Equals', 'new')],
          description: ['yn', p('IncidentDescription', 'Contains', 'CLICKED')],
          tactics: ['yn', p('IncidentTactics', 'Equals', 'initialaccess')],
          label: ['yn', p('IncidentLabel', 'Equals', 'vip')],
          notLabel: ['ny', p('IncidentLabel', 'NotEquals', 'vip')],
          product: ['yn', p('AlertProductNames', 'Contains', 'defender')],
          ruleById: ['yy', p('IncidentRelatedAnalyticRuleIds', 'Equals', externalId)],
          ruleByLastSegment: ['yy', p('IncidentRelatedAnalyticRuleIds', 'Equals', externalId.split('/').pop()!.toUpperCase())],
          otherRule: ['nn', p('IncidentRelatedAnalyticRuleIds', 'Equals', 'some-other-rule')],
          detailKey: ['yn', p('IncidentCustomDetailsKey', 'Equals', 'COUNTRY')],
          detailValue: ['yn', p('IncidentCustomDetailsValue', 'Equals', 'bob')],
          cityValue: ['ny', p('IncidentCustomDetailsValue', 'StartsWith', 'par')],
          unowned: ['yy', p('IncidentOwner', 'NotEquals', 'dana.scully@example.test')],
          owned: ['nn', p('IncidentOwner', 'Contains', '@')],
        },
        [
          {
            title: 'Phish',
            description: 'User clicked a link',
            severity: 'High',
            tactics: ['InitialAccess'],
            tags: ['VIP', 'Critical-Asset'],
            productName: 'Microsoft Defender for Office 365',
            customDetails: { Country: 'FR', Users: ['alice', 'bob'] },
          },
          {
            title: 'Other',
            severity: 'Low',
            tactics: ['Execution'],
            tags: ['x'],
            productName: 'Okta',
            customDetails: { City: 'Paris' },
          },
        ],
        { externalId },
      );
    });

    it('array conditions over custom details (key and value on the same item) and labels; nested And/Or groups', async () => {
      await onAlerts(
        {
          // first: the later cases' rules add labels (case:…) that these would see
          allLabelsI: ['yn', array('IncidentLabels', 'AllItems', p('IncidentLabel', 'Contains', 'i'))],
          anyLabelVip: ['yn', array('IncidentLabels', 'AnyItem', p('IncidentLabel', 'Equals', 'vip'))],
          anyUsersBob: ['yn', array('CustomDetails', 'AnyItem', ...detail('users', 'BOB'))],
          anyCountryBob: ['nn', array('CustomDetails', 'AnyItem', ...detail('country', 'bob'))],
          allNotSecret: ['yy', array('CustomDetails', 'AllItems', p('IncidentCustomDetailsKey', 'NotEquals', 'secret'))],
          allStartC: ['ny', array('CustomDetails', 'AllItems', p('IncidentCustomDetailsKey', 'StartsWith', 'c'))],
          or: ['yy', group('Or', p('HostName', 'Equals', 'web01'), p('AccountName', 'Equals', 'bob'))],
          and: ['nn', group('And', p('HostName', 'Equals', 'web01'), p('AccountName', 'Equals', 'bob'))],
          nested: [
            'yn',
            group(
              'And',
              p('IncidentSeverity', 'NotEquals', 'Low'),
              group(
                'Or',
                p('HostName', 'Equals', 'db02'),
                group('And', p('AccountName', 'StartsWith', 'al'), p('IPAddress', 'NotEquals', '1.1.1.1')),
              ),
            ),
          ],
          topLevelAnd: ['nn', p('HostName', 'Equals', 'web01'), p('IncidentSeverity', 'Equals', 'Low')],
        },
        [
          {
            severity: 'High',
            tags: ['VIP', 'Critical-Asset'],
            customDetails: { Country: 'FR', Users: ['alice', 'bob'] },
            entities: [host('web01'), { kind: 'Account', accountName: 'alice' }],
          },
          {
            severity: 'Low',
            tags: ['Low-Value'],
            customDetails: { City: 'Paris', Country: 'DE' },
            entities: [{ kind: 'Account', accountName: 'bob' }],
          },
        ],
      );
    });

    it('manual incidents: title, owner, status, tags and the person who created them', async () => {
      const key = randomUUID().slice(0, 8);
      const { check, remove } = await rules(
        'incidentCreated',
        {
          ownerEmail: ['yn', p('IncidentOwner', 'Equals', dana.email.toUpperCase())],
          ownerName: ['yn', p('IncidentOwner', 'Equals', 'dana scully')],
          notOwner: ['ny', p('IncidentOwner', 'NotEquals', dana.email)],
          active: ['yn', p('IncidentStatus', 'Equals', 'Active')],
          label: ['yn', p('IncidentLabel', 'Equals', 'escalated')],
          title: ['ny', p('IncidentTitle', 'EndsWith', 'BETA')],
          byUser: ['yy', p('IncidentUpdatedBySource', 'Equals', 'User')],
        },
        { titleKey: key },
      );
      const a = await t.post(t.ws('/incidents'), {
        title: `${key} alpha`,
        status: 'Active',
        owner: { email: dana.email },
        tags: ['Escalated'],
      });
      const b = await t.post(t.ws('/incidents'), { title: `${key} beta` });
      expect(a.status).toBe(201);
      await check([a.body.number, b.body.number]);
      await remove();
    });
  });

  describe('incident updated', () => {
    const manual = async (key: string, extra: Record<string, unknown> = {}) => {
      const res = await t.post(t.ws('/incidents'), { title: `${key} incident`, severity: 'Medium', ...extra });
      expect(res.status).toBe(201);
      return res.body.number as number;
    };
    const patch = async (n: number, body: Record<string, unknown>) => {
      const res = await t.patch(t.ws(`/incidents/${n}`), body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const none = (cases: Cases, length: number) =>
      Object.fromEntries(Object.keys(cases).map((label) => [label, 'n'.repeat(length)]));

    it('Changed, ChangedFrom and ChangedTo on severity and status; updated by a person', async () => {
      const key = randomUUID().slice(0, 8);
      const cases: Cases = {
        sevChanged: ['yn', changed('Severity', 'Changed')],
        sevFromMedium: ['yn', changed('Severity', 'ChangedFrom', 'Equals', 'MEDIUM')],
        sevFromHigh: ['nn', changed('Severity', 'ChangedFrom', 'Equals', 'high')],
        sevToHigh: ['yn', changed('Severity', 'ChangedTo', 'Equals', 'low', 'high')],
        sevToNotHigh: ['nn', changed('Severity', 'ChangedTo', 'NotEquals', 'high')],
        statusChanged: ['ny', changed('Status', 'Changed')],
        statusFromNew: ['ny', changed('Status', 'ChangedFrom', 'Equals', 'new')],
        statusToActive: ['ny', changed('Status', 'ChangedTo', 'StartsWith', 'act')],
        statusToClosed: ['nn', changed('Status', 'ChangedTo', 'Equals', 'closed')],
        ownerChanged: ['nn', changed('Owner', 'Changed')],
        byUser: ['yy', p('IncidentUpdatedBySource', 'Equals', 'user')],
        byGrouping: ['nn', p('IncidentUpdatedBySource', 'Equals', 'AlertGrouping')],
        labelsAdded: ['nn', added('Labels')],
        alertsAdded: ['nn', added('Alerts')],
      };
      const { check } = await rules('incidentUpdated', cases, { titleKey: key });
      const [severity, status] = [await manual(key), await manual(key)];
      await check([severity, status], none(cases, 2));
      await patch(severity, { severity: 'High' });
      await patch(status, { status: 'Active' });
      await check([severity, status]);
    });

    it('Changed, ChangedFrom and ChangedTo on the owner', async () => {
      const key = randomUUID().slice(0, 8);
      const { check } = await rules(
        'incidentUpdated',
        {
          changed: ['y', changed('Owner', 'Changed')],
          toDana: ['y', changed('Owner', 'ChangedTo', 'Equals', dana.email)],
          toDanaByName: ['y', changed('Owner', 'ChangedTo', 'Contains', 'SCULLY')],
          fromDana: ['n', changed('Owner', 'ChangedFrom', 'Equals', dana.email)],
          fromNotDana: ['y', changed('Owner', 'ChangedFrom', 'NotEquals', dana.email)],
          toFox: ['n', changed('Owner', 'ChangedTo', 'Equals', fox.email)],
        },
        { titleKey: key },
      );
      const n = await manual(key);
      await patch(n, { owner: { email: dana.email } });
      await check([n]);
      await patch(n, { owner: { email: fox.email } });
      await check([n], { fromDana: 'y', toFox: 'y' });
    });

    it('Added on labels and tactics (by a person) and on comments', async () => {
      const key = randomUUID().slice(0, 8);
      const { check } = await rules(
        'incidentUpdated',
        {
          labels: ['ynnn', added('Labels')],
          tactics: ['nnyn', added('Tactics')],
          comments: ['nnny', added('Comments')],
          alerts: ['nnnn', added('Alerts')],
        },
        { titleKey: key },
      );
      const [tagged, untagged, tactics, commented] = [
        await manual(key),
        await manual(key, { tags: ['noise'] }),
        await manual(key),
        await manual(key),
      ];
      await patch(tagged, { addTags: ['reviewed'] });
      await patch(untagged, { removeTags: ['noise'] });
      await patch(tactics, { tactics: ['Execution'] });
      const comment = await t.post(t.ws(`/incidents/${commented}/comments`), { message: 'Looked at it' });
      expect(comment.status, JSON.stringify(comment.body)).toBe(201);
      await check([tagged, untagged, tactics, commented]);
    });

    it('Added on alerts, labels and tactics when alert grouping adds alerts; updated by AlertGrouping', async () => {
      const key = randomUUID().slice(0, 8);
      const ar = (await t.post(t.ws('/analytics-rules'), { name: `grouping ${key}`, grouping: { mode: 'anyAlert' } })).body;
      const cases: Cases = {
        alerts: ['y', added('Alerts')],
        labels: ['y', added('Labels')],
        tactics: ['y', added('Tactics')],
        byGrouping: ['y', p('IncidentUpdatedBySource', 'Equals', 'AlertGrouping')],
        byUser: ['n', p('IncidentUpdatedBySource', 'Equals', 'User')],
        host: ['y', p('HostName', 'Equals', 'db02')],
      };
      const { check } = await rules('incidentUpdated', cases, { analyticsRuleIds: [ar.id] });
      const first = await t.post(t.ws('/alerts'), alert({ analyticsRuleName: ar.name, tactics: ['InitialAccess'] }));
      const n = first.body.results[0].incidentNumber;
      await check([n], none(cases, 1));
      const second = await t.post(
        t.ws('/alerts'),
        alert({ analyticsRuleName: ar.name, tactics: ['Execution'], tags: ['VIP'], entities: [host('db02')] }),
      );
      expect(second.body.results[0]).toMatchObject({ outcome: 'grouped', incidentNumber: n });
      expect((await t.get(t.ws(`/incidents/${n}`))).body.tactics).toEqual(['InitialAccess', 'Execution']);
      await check([n]);
    });

    it('reads entities and custom details of an existing incident', async () => {
      const key = randomUUID().slice(0, 8);
      const { check } = await rules(
        'incidentUpdated',
        {
          host: ['y', p('HostName', 'Equals', 'WEB01')],
          otherHost: ['n', p('HostName', 'Equals', 'db02')],
          detail: ['y', array('CustomDetails', 'AnyItem', ...detail('country', 'fr'))],
        },
        { titleKey: key },
      );
      const ingest = await t.post(
        t.ws('/alerts'),
        alert({ title: `${key} alert`, customDetails: { Country: 'FR' }, entities: [host('web01')] }),
      );
      await patch(ingest.body.results[0].incidentNumber, { severity: 'Low' });
      await check([ingest.body.results[0].incidentNumber]);
    });
  });
});
