import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

describeEachDialect('entities and incident facts from alerts', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t.close());

  async function anyAlertRule(extra: Record<string, unknown> = {}) {
    const name = `entity-rule-${randomUUID()}`;
    const res = await t.post(t.ws('/analytics-rules'), { name, grouping: { mode: 'anyAlert' }, ...extra });
    expect(res.status).toBe(201);
    return name;
  }
  async function ingest(...alerts: Record<string, unknown>[]) {
    const res = await t.post(t.ws('/alerts'), { alerts });
    expect(res.status).toBe(201);
    return res.body.results as { id: string; incidentId: string; incidentNumber: number; outcome: string }[];
  }
  const entitiesOf = async (number: number, query = '') => {
    const res = await t.get(t.ws(`/incidents/${number}/entities${query}`));
    expect(res.status).toBe(200);
    return res.body as { items: any[]; metaData: { kind: string; count: number }[]; nextCursor: string | null };
  };

  describe('de-duplication within an incident', () => {
    it('the same account in two alerts (in two requests) is one entity with alertCount 2', async () => {
      const rule = await anyAlertRule();
      const account = { kind: 'Account', accountName: 'carol', upnSuffix: 'contoso.com' };
      const [a] = await ingest(alert({ analyticsRuleName: rule, entities: [account] }));
      const second = alert({
        analyticsRuleName: rule,
        entities: [
          { ...account, accountName: 'CAROL' },
          { kind: 'Ip', address: '10.1.1.1' },
        ],
      });
      const [b] = await ingest(second);
      expect(b!.incidentId).toBe(a!.incidentId);
      const list = await entitiesOf(a!.incidentNumber);
      const accounts = list.items.filter((e) => e.kind === 'Account');
      expect(accounts).toHaveLength(1);
      expect(accounts[0]).toMatchObject({
        name: 'carol@contoso.com',
        alertCount: 2,
        properties: { accountName: 'carol', upnSuffix: 'contoso.com' },
      });
      expect(list.items.find((e) => e.kind === 'Ip')).toMatchObject({ name: '10.1.1.1', alertCount: 1 });
      // a duplicate alert adds nothing
      const dup = await t.post(t.ws('/alerts'), second);
      expect(dup.body.results[0].outcome).toBe('duplicate');
      expect((await entitiesOf(a!.incidentNumber)).items.find((e) => e.kind === 'Account').alertCount).toBe(2);
      expect((await t.get(t.ws(`/incidents/${a!.incidentNumber}`))).body.alertCount).toBe(2);
    });

    it('the same account in two alerts of one batch, and twice in one alert, counts each alert once', async () => {
      const rule = await anyAlertRule();
      const account = { kind: 'Account', accountName: 'dave', upnSuffix: 'contoso.com' };
      const [a, b] = await ingest(
        alert({ analyticsRuleName: rule, entities: [account, { ...account }] }),
        alert({ analyticsRuleName: rule, entities: [account] }),
      );
      expect(b!.incidentId).toBe(a!.incidentId);
      const list = await entitiesOf(a!.incidentNumber);
      expect(list.items).toHaveLength(1);
      expect(list.items[0].alertCount).toBe(2);
    });

    it('the same account in two incidents is two entities', async () => {
      const account = { kind: 'Account', accountName: 'erin', upnSuffix: 'contoso.com' };
      const [a, b] = await ingest(alert({ entities: [account] }), alert({ entities: [account] }));
      expect(b!.incidentId).not.toBe(a!.incidentId);
      expect((await entitiesOf(a!.incidentNumber)).items[0].alertCount).toBe(1);
      expect((await entitiesOf(b!.incidentNumber)).items[0].alertCount).toBe(1);
    });
  });

  describe('entity shapes', () => {
    it('accepts the REST, Sentinel alert and flat shapes, and de-duplicates across them', async () => {
      const rule = await anyAlertRule();
      const restShape = [
        { kind: 'Account', properties: { accountName: 'frank', upnSuffix: 'contoso.com', aadUserId: undefined } },
        { kind: 'Host', properties: { hostName: 'ws-17', dnsDomain: 'contoso.com', osFamily: 'Windows' } },
      ];
      const alertShape = [
        { $id: '1', Type: 'account', Name: 'frank', UPNSuffix: 'contoso.com', NTDomain: 'CONTOSO' },
        { $id: '2', Type: 'host', HostName: 'ws-17', DnsDomain: 'contoso.com', Account: { $ref: '1' } },
        {
          $id: '3',
          Type: 'process',
          ProcessId: '4242',
          CommandLine: 'powershell.exe -enc AAAA',
          CreationTimeUtc: '2026-11-01T10:01:00Z',
          Account: { $ref: '1' },
          Host: { $ref: '2' },
          ImageFile: {
            $id: '4',
            Type: 'file',
            Name: 'powershell.exe',
            Directory: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0',
            FileHashes: [{ $id: '5', Type: 'filehash', Algorithm: 'SHA256', Value: 'ab12cd34' }],
          },
        },
        { $id: '6', Type: 'ip', Address: '203.0.113.9' },
      ];
      const flatShape = [
        { kind: 'Ip', address: '203.0.113.9' },
        { kind: 'Url', url: 'https://evil.example/x' },
      ];
      const [a, b, c] = await ingest(
        alert({ analyticsRuleName: rule, entities: restShape }),
        alert({ analyticsRuleName: rule, entities: alertShape }),
        alert({ analyticsRuleName: rule, entities: flatShape }),
      );
      expect(new Set([a!.incidentId, b!.incidentId, c!.incidentId]).size).toBe(1);

      const list = await entitiesOf(a!.incidentNumber, '?limit=500');
      const byKind = (kind: string) => list.items.filter((e) => e.kind === kind);
      expect(list.items.map((e) => e.kind).sort()).toEqual(['Account', 'File', 'FileHash', 'Host', 'Ip', 'Process', 'Url']);

      const [account] = byKind('Account');
      expect(account.alertCount).toBe(2);
      expect(account.name).toBe('frank@contoso.com');
      expect(byKind('Host')[0]).toMatchObject({ name: 'ws-17', alertCount: 2 });
      expect(byKind('Ip')[0]).toMatchObject({ name: '203.0.113.9', alertCount: 2 });

      // the alert stores its entities in canonical form: PascalCase → camelCase, $id/$ref/Type dropped
      const stored = await t.get(t.ws(`/alerts/${b!.id}`));
      const storedByKind = (kind: string) => stored.body.entities.find((e: any) => e.kind === kind);
      expect(storedByKind('Account').properties).toEqual({ accountName: 'frank', upnSuffix: 'contoso.com', ntDomain: 'CONTOSO' });
      const process = storedByKind('Process').properties;
      expect(process).toMatchObject({ processId: '4242', commandLine: 'powershell.exe -enc AAAA' });
      for (const key of ['$id', '$ref', 'Type', 'type', 'account', 'host', 'imageFile', 'Account', 'ImageFile']) {
        expect(process).not.toHaveProperty(key);
      }
      expect(storedByKind('File').properties).toEqual({
        fileName: 'powershell.exe',
        directory: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0',
      });
      expect(storedByKind('FileHash').properties).toEqual({ algorithm: 'SHA256', hashValue: 'ab12cd34' });
      expect(storedByKind('Host').properties).toEqual({ hostName: 'ws-17', dnsDomain: 'contoso.com' });
      expect(stored.body.entities).toHaveLength(6);
    });

    it('metaData counts entities per kind and the kind filter selects one kind', async () => {
      const rule = await anyAlertRule();
      const [a] = await ingest(
        alert({
          analyticsRuleName: rule,
          entities: [
            { kind: 'Account', accountName: 'gina', upnSuffix: 'contoso.com' },
            { kind: 'Account', accountName: 'hank', upnSuffix: 'contoso.com' },
            { kind: 'Ip', address: '10.9.9.1' },
            { kind: 'Ip', address: '10.9.9.2' },
            { kind: 'Ip', address: '10.9.9.3' },
            { kind: 'Host', hostName: 'srv-1' },
          ],
        }),
        alert({
          analyticsRuleName: rule,
          entities: [
            { kind: 'Ip', address: '10.9.9.3' },
            { kind: 'Ip', address: '10.9.9.4' },
          ],
        }),
      );
      const all = await entitiesOf(a!.incidentNumber);
      expect(all.items).toHaveLength(7);
      const counts = Object.fromEntries(all.metaData.map((m) => [m.kind, m.count]));
      expect(counts).toEqual({ Account: 2, Host: 1, Ip: 4 });

      const ips = await entitiesOf(a!.incidentNumber, '?kind=Ip');
      expect(ips.items.map((e) => e.name).sort()).toEqual(['10.9.9.1', '10.9.9.2', '10.9.9.3', '10.9.9.4']);
      expect(ips.items.find((e) => e.name === '10.9.9.3').alertCount).toBe(2);
      expect(Object.fromEntries(ips.metaData.map((m) => [m.kind, m.count]))).toEqual({ Account: 2, Host: 1, Ip: 4 });

      const paged = await entitiesOf(a!.incidentNumber, '?limit=4');
      expect(paged.items).toHaveLength(4);
      const rest = await entitiesOf(a!.incidentNumber, `?limit=4&cursor=${encodeURIComponent(paged.nextCursor!)}`);
      expect(rest.items).toHaveLength(3);
      expect(rest.nextCursor).toBeNull();
      expect(new Set([...paged.items, ...rest.items].map((e) => e.id)).size).toBe(7);

      const bad = await t.get(t.ws(`/incidents/${a!.incidentNumber}/entities?kind=Spaceship`));
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].path).toBe('kind');
    });
  });

  describe('incident facts from alerts', () => {
    it('severity, tactics, techniques, products, activity times, generated title and system tags', async () => {
      const rule = await anyAlertRule();
      const host = { kind: 'Host', hostName: 'web42', dnsDomain: 'contoso.com' };
      const [a] = await ingest(
        alert({
          analyticsRuleName: rule,
          title: 'Encoded PowerShell',
          severity: 'Low',
          productName: 'Microsoft Defender for Endpoint',
          tactics: ['Execution'],
          techniques: ['T1059'],
          tags: ['Ransomware'],
          startTime: '2026-11-01T10:00:00Z',
          endTime: '2026-11-01T10:05:00Z',
          entities: [host, { kind: 'Account', accountName: 'ivan', upnSuffix: 'contoso.com' }],
        }),
      );
      const single = (await t.get(t.ws(`/incidents/${a!.incidentNumber}`))).body;
      expect(single).toMatchObject({ title: 'Encoded PowerShell', severity: 'Low', systemTags: ['Ransomware'] });

      const results = await ingest(
        alert({
          analyticsRuleName: rule,
          title: 'Credential dumping',
          severity: 'High',
          productName: 'Microsoft Defender for Identity',
          tactics: ['CredentialAccess', 'Execution'],
          techniques: ['T1003', 'T1059'],
          tags: ['Critical asset'],
          startTime: '2026-11-01T09:30:00Z',
          endTime: '2026-11-01T11:00:00Z',
          entities: [host],
        }),
        alert({
          analyticsRuleName: rule,
          title: 'Lateral movement',
          severity: 'Medium',
          productName: 'Microsoft Defender for Endpoint',
          tactics: ['LateralMovement'],
          techniques: ['T1021.002'],
          startTime: '2026-11-01T10:30:00Z',
          endTime: '2026-11-01T10:40:00Z',
          entities: [host],
        }),
      );
      expect(results.every((r) => r.incidentId === a!.incidentId && r.outcome === 'grouped')).toBe(true);
      const inc = (await t.get(t.ws(`/incidents/${a!.incidentNumber}`))).body;
      expect(inc.alertCount).toBe(3);
      expect(inc.severity).toBe('High');
      expect([...inc.tactics].sort()).toEqual(['CredentialAccess', 'Execution', 'LateralMovement']);
      expect([...inc.techniques].sort()).toEqual(['T1003', 'T1021.002', 'T1059']);
      expect([...inc.alertProductNames].sort()).toEqual(['Microsoft Defender for Endpoint', 'Microsoft Defender for Identity']);
      expect(Date.parse(inc.firstActivityTime)).toBe(Date.parse('2026-11-01T09:30:00Z'));
      expect(Date.parse(inc.lastActivityTime)).toBe(Date.parse('2026-11-01T11:00:00Z'));
      expect(inc.title).toBe('Multi-stage incident involving 3 alerts on host web42 reported by multiple sources');
      expect([...inc.systemTags].sort()).toEqual(['Critical asset', 'Ransomware']);
      expect(inc.analyticsRuleIds).toHaveLength(1);
    });

    it('generated title without "multiple sources" for one product; same titles keep the alert title', async () => {
      const rule = await anyAlertRule();
      const host = { kind: 'Host', hostName: 'app07' };
      const [a, b] = await ingest(
        alert({ analyticsRuleName: rule, title: 'Step one', entities: [host] }),
        alert({ analyticsRuleName: rule, title: 'Step two', entities: [host] }),
      );
      expect(b!.incidentId).toBe(a!.incidentId);
      expect((await t.get(t.ws(`/incidents/${a!.incidentNumber}`))).body.title).toBe(
        'Multi-stage incident involving 2 alerts on host app07',
      );

      const rule2 = await anyAlertRule();
      const [c] = await ingest(
        alert({ analyticsRuleName: rule2, title: 'Same title' }),
        alert({ analyticsRuleName: rule2, title: 'Same title' }),
      );
      expect((await t.get(t.ws(`/incidents/${c!.incidentNumber}`))).body).toMatchObject({ title: 'Same title', alertCount: 2 });
    });

    it('a title set by a person is kept when more alerts arrive', async () => {
      const rule = await anyAlertRule();
      const [a] = await ingest(alert({ analyticsRuleName: rule, title: 'First' }));
      expect((await t.patch(t.ws(`/incidents/${a!.incidentNumber}`), { title: 'Named by analyst' })).status).toBe(200);
      await ingest(alert({ analyticsRuleName: rule, title: 'Second' }));
      expect((await t.get(t.ws(`/incidents/${a!.incidentNumber}`))).body).toMatchObject({
        title: 'Named by analyst',
        alertCount: 2,
      });
    });

    it('severity follows new alerts upward until a person sets it; a rule severity applies to alerts without one', async () => {
      const rule = await anyAlertRule({ severity: 'Low' });
      const [a] = await ingest(alert({ analyticsRuleName: rule, severity: undefined }));
      expect((await t.get(t.ws(`/alerts/${a!.id}`))).body.severity).toBe('Low');
      expect((await t.get(t.ws(`/incidents/${a!.incidentNumber}`))).body.severity).toBe('Low');
      await ingest(alert({ analyticsRuleName: rule, severity: 'Medium' }));
      expect((await t.get(t.ws(`/incidents/${a!.incidentNumber}`))).body.severity).toBe('Medium');
      await ingest(alert({ analyticsRuleName: rule, severity: 'Informational' }));
      expect((await t.get(t.ws(`/incidents/${a!.incidentNumber}`))).body.severity).toBe('Medium');
      const set = await t.patch(t.ws(`/incidents/${a!.incidentNumber}`), { severity: 'Low' });
      expect(set.status).toBe(200);
      const [d] = await ingest(alert({ analyticsRuleName: rule, severity: 'High' }));
      expect(d!.incidentId).toBe(a!.incidentId);
      expect((await t.get(t.ws(`/incidents/${a!.incidentNumber}`))).body).toMatchObject({ severity: 'Low', alertCount: 4 });
    });
  });
});
