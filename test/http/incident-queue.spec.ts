import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert, incidentBody } from '../support/fixtures.js';
import { createGroup, createUser, tokenFor, type TestGroup, type TestUser } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

type Params = [string, string][];
type Incident = Record<string, any>;
const RANK: Record<string, number> = { Informational: 1, Low: 2, Medium: 3, High: 4 };
const ENDPOINT = 'Microsoft Defender for Endpoint';
const IDENTITY = 'Microsoft Entra ID Protection';

describeEachDialect('incident queue', (dialect) => {
  let t: TestApp;
  let ana: TestUser;
  let bo: TestUser;
  let blueTeam: TestGroup;
  let anaToken: string;
  const rules: Record<string, string> = {};
  /** The seeded incidents by name, as last returned by the API. */
  const seeded: Record<string, Incident> = {};
  /** Every incident, as the queue returns it unfiltered. */
  let all: Incident[] = [];
  // Every call to the clock moves it one second on, so no two writes share a time.
  let clock = Date.parse('2026-11-02T00:00:00Z');

  const url = (path: string, params: Params = []) => `${t.ws(path)}?${new URLSearchParams(params)}`;
  const create = async (name: string, body: Record<string, unknown>) => {
    const res = await t.post(t.ws('/incidents'), incidentBody(body));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    seeded[name] = res.body;
  };
  const fromAlert = async (name: string, body: Record<string, unknown>) => {
    const res = await t.post(t.ws('/alerts'), alert(body));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    seeded[name] = (await t.get(t.ws(`/incidents/${res.body.results[0].incidentNumber}`))).body;
  };
  const patch = async (name: string, body: Record<string, unknown>) => {
    const res = await t.patch(t.ws(`/incidents/${seeded[name]!.number}`), body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    seeded[name] = res.body;
  };
  const list = async (params: Params, token?: string) => {
    const res = await t.get(url('/incidents', [...params, ['limit', '500']]), { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as Incident[];
  };
  const numbersOf = (items: Incident[]) => items.map((i) => i.number).sort((a, b) => a - b);

  beforeAll(async () => {
    t = await startTestApp(dialect, { now: () => (clock += 1000) });
    ana = await createUser(t, { email: 'ana@example.test', name: 'Ana', role: 'Responder' });
    bo = await createUser(t, { email: 'bo@example.test', name: 'Bo', role: 'Reader' });
    blueTeam = await createGroup(t, { name: 'Blue Team', role: 'Responder' });
    anaToken = await tokenFor(t, ana);
    for (const name of ['Queue endpoint rule', 'Queue identity rule']) {
      rules[name] = (await t.post(t.ws('/analytics-rules'), { name })).body.id;
    }

    await create('uber', {
      title: 'Überwachung des Netzwerks',
      severity: 'High',
      owner: { email: ana.email },
      tags: ['ransomware'],
    });
    await create('phish', {
      title: 'Phishing campaign against finance',
      status: 'Active',
      owner: { type: 'group', id: blueTeam.id },
      tags: ['Phishing', 'finance'],
    });
    await create('mail', {
      title: 'Suspicious mail',
      description: 'A user reported a PHISHING mail',
      severity: 'Low',
      owner: { email: bo.email },
    });
    await create('bruteForce', {
      title: 'Brute force on VPN',
      severity: 'Low',
      status: 'Closed',
      classification: 'FalsePositive',
    });
    await fromAlert('endpoint', {
      title: 'Ransomware behaviour detected',
      severity: 'High',
      productName: ENDPOINT,
      analyticsRuleName: 'Queue endpoint rule',
    });
    await fromAlert('identity', {
      title: 'Unfamiliar sign-in properties',
      severity: 'Informational',
      productName: IDENTITY,
      analyticsRuleName: 'Queue identity rule',
    });
    await create('notice', {
      title: 'Informational notice',
      severity: 'Informational',
      owner: { type: 'user', id: t.adminId },
      tags: ['finance'],
    });
    await create('beacon', {
      title: 'Beacon from WS-0042 to 10.20.30.40',
      description: 'DNS query for evil.example.com by svc.backup@corp.example.com',
      severity: 'Medium',
    });
    // The same words as the beacon's, in other orders and pieces.
    await create('scan', { title: 'Scan of 10.20.30.4 and 40.30.20.10', description: 'Hosts 0042 and ws-17', severity: 'Low' });
    await create('cpu', { title: '100% CPU on host', severity: 'Low', status: 'Active', classification: 'BenignPositive' });
    for (let i = 1; i <= 6; i++) {
      await create(`routine${i}`, { title: `Routine check ${i}`, severity: ['High', 'Medium', 'Low'][i % 3] });
    }
    await patch('endpoint', { owner: { type: 'user', id: t.adminId }, status: 'Active' });
    await patch('uber', { description: 'Ein Vorfall zur Überwachung' });
    all = await list([]);
  });
  afterAll(() => t.close());

  describe('filters', () => {
    const s = (name: string) => seeded[name]!;
    const cases: [string, () => Params, (i: Incident) => boolean][] = [
      ['status', () => [['status', 'New']], (i) => i.status === 'New'],
      ['several statuses, comma-separated', () => [['status', 'Active,Closed']], (i) => i.status !== 'New'],
      [
        'several statuses, repeated',
        () => [
          ['status', 'New'],
          ['status', 'Closed'],
        ],
        (i) => i.status !== 'Active',
      ],
      ['severity', () => [['severity', 'High']], (i) => i.severity === 'High'],
      ['several severities', () => [['severity', 'Low,Informational']], (i) => RANK[i.severity]! <= 2],
      ['owner by email', () => [['owner', ana.email.toUpperCase()]], (i) => i.owner?.id === ana.id],
      ['owner by user id', () => [['owner', bo.id]], (i) => i.owner?.id === bo.id],
      ['owner by group id', () => [['owner', blueTeam.id]], (i) => i.owner?.id === blueTeam.id],
      ['several owners', () => [['owner', `${ana.id},${blueTeam.id}`]], (i) => [ana.id, blueTeam.id].includes(i.owner?.id)],
      ['unassigned', () => [['owner', 'unassigned']], (i) => i.owner === null],
      [
        'unassigned or an owner',
        () => [
          ['owner', 'unassigned'],
          ['owner', bo.email],
        ],
        (i) => i.owner === null || i.owner.id === bo.id,
      ],
      ['me', () => [['owner', 'me']], (i) => i.owner?.id === t.adminId],
      ['tag, ignoring case', () => [['tag', 'PHISHING']], (i) => i.tags.includes('Phishing')],
      [
        'any of several tags',
        () => [['tag', 'ransomware,finance']],
        (i) => i.tags.includes('ransomware') || i.tags.includes('finance'),
      ],
      ['classification', () => [['classification', 'FalsePositive']], (i) => i.classification === 'FalsePositive'],
      ['product, ignoring case', () => [['product', ENDPOINT.toLowerCase()]], (i) => i.alertProductNames.includes(ENDPOINT)],
      ['several products', () => [['product', `${ENDPOINT},${IDENTITY}`]], (i) => i.alertCount > 0],
      [
        'analytics rule',
        () => [['analyticsRule', rules['Queue identity rule']!]],
        (i) => i.analyticsRuleIds.includes(rules['Queue identity rule']),
      ],
      [
        'created range (from inclusive, to exclusive)',
        () => [
          ['createdFrom', s('phish').createdAt],
          ['createdTo', s('identity').createdAt],
        ],
        (i) => i.createdAt >= s('phish').createdAt && i.createdAt < s('identity').createdAt,
      ],
      ['updated from', () => [['updatedFrom', s('uber').updatedAt]], (i) => i.number === s('uber').number],
      ['updated to', () => [['updatedTo', s('endpoint').updatedAt]], (i) => i.updatedAt < s('endpoint').updatedAt],
      ['free text in the title', () => [['q', 'phishing campaign']], (i) => i.number === s('phish').number],
      [
        'free text in title or description, ignoring case',
        () => [['q', 'PhIsHiNg']],
        (i) => /phishing/i.test(i.title + i.description),
      ],
      ['non-ASCII free text', () => [['q', 'Überwachung']], (i) => i.number === s('uber').number],
      ['non-ASCII free text, other case', () => [['q', 'überwachung des']], (i) => i.number === s('uber').number],
      ['free text with a LIKE wildcard taken literally', () => [['q', '100%']], (i) => i.number === s('cpu').number],
      ['an IP address', () => [['q', '10.20.30.40']], (i) => i.number === s('beacon').number],
      ['the start of an IP address', () => [['q', '10.20.30']], (i) => [s('beacon').number, s('scan').number].includes(i.number)],
      ['a hyphenated host name, ignoring case', () => [['q', 'ws-0042']], (i) => i.number === s('beacon').number],
      ['part of a host name', () => [['q', '0042']], (i) => [s('beacon').number, s('scan').number].includes(i.number)],
      ['a domain', () => [['q', 'example.com']], (i) => i.number === s('beacon').number],
      ['an email address and a word', () => [['q', 'svc.backup@corp.example.com dns']], (i) => i.number === s('beacon').number],
      [
        'filters combined',
        () => [
          ['status', 'New'],
          ['severity', 'Low'],
          ['owner', 'unassigned,' + bo.id],
        ],
        (i) => i.status === 'New' && i.severity === 'Low' && (i.owner === null || i.owner.id === bo.id),
      ],
    ];

    it.each(cases)('by %s', async (_name, params, predicate) => {
      const expected = numbersOf(all.filter(predicate));
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);
      expect(numbersOf(await list(params()))).toEqual(expected);
    });

    it('by me, for another user', async () => {
      expect(numbersOf(await list([['owner', 'me']], anaToken))).toEqual([seeded.uber!.number]);
    });

    it('counts by status and severity for the same filters', async () => {
      for (const [, params, predicate] of [['none', () => [], () => true] as (typeof cases)[number], ...cases]) {
        const matching = all.filter(predicate);
        const res = await t.get(url('/incidents/counts', params()));
        expect(res.status).toBe(200);
        const tally = (key: string, values: string[]) =>
          Object.fromEntries(values.map((v) => [v, matching.filter((i) => i[key] === v).length]));
        expect(res.body).toEqual({
          total: matching.length,
          byStatus: tally('status', ['New', 'Active', 'Closed']),
          bySeverity: tally('severity', ['High', 'Medium', 'Low', 'Informational']),
        });
      }
    });

    it.each([
      ['status', [['status', 'Open']]],
      ['severity', [['severity', 'Critical']]],
      ['classification', [['classification', 'Benign']]],
      ['createdFrom', [['createdFrom', 'yesterday']]],
      ['sort', [['sort', 'title']]],
      ['order', [['order', 'sideways']]],
    ] as [string, Params][])('rejects a wrong %s with 400 naming it', async (field, params) => {
      const res = await t.get(url('/incidents', params));
      expect(res.status).toBe(400);
      // A list parameter's problem is reported on its item, e.g. `status[0]`.
      expect(res.body.error.details.map((d: any) => d.path.replace(/\[\d+\]$/, ''))).toContain(field);
    });
  });

  describe('sorting and pagination', () => {
    const keys: Record<string, (i: Incident) => (string | number)[]> = {
      created: (i) => [i.createdAt],
      updated: (i) => [i.updatedAt],
      severity: (i) => [RANK[i.severity]!, i.createdAt],
      number: (i) => [i.number],
    };
    const compare = (a: (string | number)[], b: (string | number)[]) => {
      for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! < b[k]! ? -1 : 1;
      return 0;
    };
    const expectedOrder = (items: Incident[], sort: string, order: string) =>
      [...items].sort((a, b) => compare(keys[sort]!(a), keys[sort]!(b)) * (order === 'asc' ? 1 : -1)).map((i) => i.number);
    const walk = async (params: Params, limit: number) => {
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { status: number; body: any } = await t.get(
          url('/incidents', [...params, ['limit', String(limit)], ...(cursor ? [['cursor', cursor] as [string, string]] : [])]),
        );
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(limit);
        seen.push(...res.body.items.map((i: Incident) => i.number));
        cursor = res.body.nextCursor;
        pages += 1;
        expect(pages).toBeLessThan(50);
      } while (cursor);
      return { seen, pages };
    };

    const sorts = ['created', 'updated', 'severity', 'number'].flatMap((sort) => [
      [sort, 'asc'],
      [sort, 'desc'],
    ]);

    it.each(sorts)('sorts by %s %s', async (sort, order) => {
      const items = await list([
        ['sort', sort!],
        ['order', order!],
      ]);
      expect(items.map((i) => i.number)).toEqual(expectedOrder(all, sort!, order!));
    });

    it('sorts by created, newest first, by default', async () => {
      expect((await list([])).map((i) => i.number)).toEqual(expectedOrder(all, 'created', 'desc'));
    });

    it.each(sorts)('walks every page sorted by %s %s without duplicates or gaps', async (sort, order) => {
      const { seen, pages } = await walk(
        [
          ['sort', sort!],
          ['order', order!],
        ],
        3,
      );
      expect(seen).toEqual(expectedOrder(all, sort!, order!));
      expect(pages).toBe(Math.ceil(all.length / 3));
    });

    it('walks the pages of a filtered list', async () => {
      const params: Params = [
        ['status', 'New'],
        ['sort', 'severity'],
        ['order', 'desc'],
      ];
      const { seen } = await walk(params, 2);
      expect(seen).toEqual(
        expectedOrder(
          all.filter((i) => i.status === 'New'),
          'severity',
          'desc',
        ),
      );
    });

    it('rejects an invalid cursor with 400 naming the cursor', async () => {
      const foreign = Buffer.from(JSON.stringify([1])).toString('base64url');
      for (const cursor of ['not-a-cursor', foreign]) {
        const res = await t.get(
          url('/incidents', [
            ['sort', 'severity'],
            ['cursor', cursor],
          ]),
        );
        expect(res.status).toBe(400);
        expect(res.body.error.details[0].path).toBe('cursor');
      }
    });

    it('accepts a limit of 500 and rejects more with 400 naming limit', async () => {
      expect((await t.get(url('/incidents', [['limit', '500']]))).status).toBe(200);
      const res = await t.get(url('/incidents', [['limit', '501']]));
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe('limit');
    });
  });
});

// More matches than the SQLite queue reads up front (2,000): the page walks its sort index instead.
describeEachDialect('incident queue: free text matching thousands of incidents', (dialect) => {
  let t: TestApp;
  /** Incident numbers whose title says "Malware", with their severity; and the three rare ones. */
  const malware: { number: number; severity: string }[] = [];
  const rare: number[] = [];

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const rule = await t.post(t.ws('/analytics-rules'), { name: 'Beacon detection', grouping: { mode: 'none' } });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    for (let batch = 0; batch < 3; batch += 1) {
      const alerts = Array.from({ length: 800 }, (_, k) => {
        const i = batch * 800 + k;
        const title = i % 600 === 7 ? `Malware beacon xyzzy ${i}` : i % 10 === 9 ? `Port scan ${i}` : `Malware beacon ${i}`;
        return alert({ title, severity: i % 4 === 0 ? 'High' : 'Low', analyticsRuleName: 'Beacon detection' });
      });
      const res = await t.post(t.ws('/alerts'), { alerts });
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
      res.body.results.forEach((r: { incidentNumber: number }, k: number) => {
        const { title, severity } = alerts[k] as { title: string; severity: string };
        if (title.startsWith('Malware')) malware.push({ number: r.incidentNumber, severity });
        if (title.includes('xyzzy')) rare.push(r.incidentNumber);
      });
    }
    expect(malware.length).toBeGreaterThan(2_000);
  }, 120_000);
  afterAll(async () => t?.close());

  const page = async (params: [string, string][]) => {
    const res = await t.get(`${t.ws('/incidents')}?${new URLSearchParams(params)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { numbers: (res.body.items as Incident[]).map((i) => i.number), nextCursor: res.body.nextCursor as string | null };
  };
  const newestFirst = (numbers: number[]) => [...numbers].sort((a, b) => b - a);

  it('pages a common word newest first, and onwards by cursor, exactly as the matches sort', async () => {
    const expected = newestFirst(malware.map((m) => m.number));
    const first = await page([
      ['q', 'malware'],
      ['limit', '50'],
    ]);
    expect(first.numbers).toEqual(expected.slice(0, 50));
    const second = await page([
      ['q', 'malware'],
      ['limit', '50'],
      ['cursor', first.nextCursor!],
    ]);
    expect(second.numbers).toEqual(expected.slice(50, 100));
  });

  it('combines a common word with other filters and sort orders', async () => {
    const high = newestFirst(malware.filter((m) => m.severity === 'High').map((m) => m.number));
    expect(
      (
        await page([
          ['q', 'MALWARE beacon'],
          ['severity', 'High'],
          ['limit', '50'],
        ])
      ).numbers,
    ).toEqual(high.slice(0, 50));
    const ascending = malware.map((m) => m.number).sort((a, b) => a - b);
    expect(
      (
        await page([
          ['q', 'malw'],
          ['sort', 'number'],
          ['order', 'asc'],
          ['limit', '20'],
        ])
      ).numbers,
    ).toEqual(ascending.slice(0, 20));
  });

  it('finds the few incidents of a rare word among them, and none of a word that is nowhere', async () => {
    expect(
      (
        await page([
          ['q', 'xyzzy'],
          ['limit', '50'],
        ])
      ).numbers,
    ).toEqual(newestFirst(rare));
    expect(rare).toHaveLength(4);
    expect(
      (
        await page([
          ['q', 'malware xyzzy'],
          ['limit', '2'],
        ])
      ).numbers,
    ).toEqual(newestFirst(rare).slice(0, 2));
    expect(
      await page([
        ['q', 'ransomware'],
        ['limit', '50'],
      ]),
    ).toEqual({ numbers: [], nextCursor: null });
  });
});

// Tag rows are keyed by tag: each writer changes the rows of the tags that changed (migration 0012).
describeEachDialect('incident queue: the tag filter follows every change of tags', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const tagged = async (tag: string) => {
    const res = await t.get(`${t.ws('/incidents')}?${new URLSearchParams([['tag', tag]])}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.items as Incident[]).map((i) => i.number).sort((a, b) => a - b);
  };
  const inUse = async () =>
    Object.fromEntries(
      ((await t.get(t.ws('/tags'))).body.items as { tag: string; count: number }[]).map((i) => [i.tag, i.count]),
    );
  const patch = async (number: number, body: Record<string, unknown>) => {
    const res = await t.patch(t.ws(`/incidents/${number}`), body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Incident;
  };

  it('finds incidents by the tags people, bulk changes, automation rules and alerts gave them, and not by tags they lost', async () => {
    const rule = await t.post(t.ws('/automation-rules'), {
      name: 'Tag lateral movement',
      order: 1,
      trigger: 'incidentCreated',
      conditions: [{ type: 'property', property: 'IncidentTitle', operator: 'Contains', values: ['lateral'] }],
      actions: [{ type: 'addTags', tags: ['Auto-Triage'] }],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const grouping = await t.post(t.ws('/analytics-rules'), {
      name: 'Lateral movement',
      grouping: { mode: 'allEntities', lookbackMinutes: 300 },
    });
    expect(grouping.status, JSON.stringify(grouping.body)).toBe(201);
    const ingest = async (tags: string[]) => {
      const res = await t.post(t.ws('/alerts'), {
        alerts: [
          alert({
            title: 'Lateral movement from ws-7',
            analyticsRuleName: 'Lateral movement',
            tags,
            entities: [{ kind: 'Host', hostName: 'ws-7' }],
          }),
        ],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.results[0].incidentNumber as number;
    };
    const first = await ingest(['Ransomware']);
    const other = (await t.post(t.ws('/incidents'), incidentBody({ title: 'Unrelated', tags: ['finance'] }))).body
      .number as number;
    expect(await tagged('auto-triage')).toEqual([first]);
    expect(await tagged('ransomware')).toEqual([first]);

    await patch(first, { tags: ['Auto-Triage', 'Finance'] });
    expect(await tagged('finance')).toEqual([first, other]);
    // A new spelling of a tag it has, one tag added and one dropped.
    const renamed = await patch(first, { tags: ['FINANCE', 'VIP'] });
    expect(renamed.tags).toEqual(['FINANCE', 'VIP']);
    expect(await tagged('auto-triage')).toEqual([]);
    expect(await tagged('vip')).toEqual([first]);
    expect(await tagged('finance')).toEqual([first, other]);

    const bulk = await t.post(t.ws('/incidents/bulk'), {
      ids: [first, other],
      changes: { removeTags: ['finance'], addTags: ['Q4'] },
    });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    expect(await tagged('finance')).toEqual([]);
    expect(await tagged('q4')).toEqual([first, other]);

    // A grouped alert brings its own tag, a system tag, to the same incident.
    expect(await ingest(['Lateral'])).toBe(first);
    expect(await tagged('lateral')).toEqual([first]);
    expect(await tagged('ransomware')).toEqual([first]);
    expect(await inUse()).toEqual({ Q4: 2, VIP: 1, Ransomware: 1, Lateral: 1 });
  });
});
