import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startGraphFake, startVirusTotalFake, type GraphFake, type VirusTotalFake } from '../support/fakes/index.js';
import { alert } from '../support/fixtures.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The seed scenarios end to end (issue 6, tests 1–3): an incident is created, an automation rule
 * runs a playbook, and the playbook works against local fakes of Microsoft Graph and VirusTotal.
 */

const ALICE = '6e7b768e-07e2-4810-8459-485f84f8f204';
const BOB = '87d349ed-44d7-43e1-9a83-5f2406dee5bd';
const FINISHED = ['succeeded', 'failed', 'cancelled'];

/** Seed 1: add the task, confirm every account compromised, then complete the task. */
const resetPassword = (name: string) => `
name: ${name}
trigger: incident
connections: { idp: entra-id }
steps:
  - id: task
    uses: incident.addTask
    with: { title: Reset user password }
  - id: accounts
    uses: incident.getEntities
    with: { kind: account }
  - id: confirm
    scope:
      - forEach: \${{ steps.accounts.output.entities }}
        as: account
        steps:
          - id: confirmed
            uses: identity.confirmUserCompromised
            connection: idp
            with: { users: ["\${{ account.name }}"] }
            retry: { count: 1, backoff: { initial: 20ms } }
      - uses: incident.completeTask
        with: { task: "\${{ steps.task.output.taskId }}" }
    onFailure:
      - uses: incident.addComment
        with: { message: "Could not confirm the accounts: \${{ error.message }}" }
`;

/** Seed 2: a task per IP, chosen by its VirusTotal verdict. */
const conditionalTasks = (name: string) => `
name: ${name}
trigger: incident
connections: { vt: virustotal }
steps:
  - id: ips
    uses: incident.getEntities
    with: { kind: ip }
  - forEach: \${{ steps.ips.output.entities }}
    as: ip
    steps:
      - id: report
        uses: virustotal.ipReport
        connection: vt
        with: { ip: "\${{ ip.properties.address }}" }
      - if: \${{ steps.report.output.malicious > 0 }}
        then:
          - uses: incident.addTask
            with: { title: Mark user as compromised, description: "\${{ ip.name }} is known malicious" }
        else:
          - uses: incident.addTask
            with: { title: Reach out to the user to confirm the activity, description: "\${{ ip.name }}" }
`;

/** Seed 3 (enrichment): the reputation of each IP as an incident comment. */
const enrichment = (name: string) => `
name: ${name}
trigger: incident
connections: { vt: virustotal }
steps:
  - id: ips
    uses: incident.getEntities
    with: { kind: ip }
  - forEach: \${{ steps.ips.output.entities }}
    as: ip
    steps:
      - id: report
        uses: virustotal.ipReport
        connection: vt
        with: { ip: "\${{ ip.properties.address }}" }
      - uses: incident.addComment
        with:
          message: "VirusTotal: \${{ steps.report.output.id }} has reputation \${{ steps.report.output.reputation }}, \${{ steps.report.output.malicious }} malicious engines (\${{ steps.report.output.link }})"
`;

describeEachDialect('playbooks: seed scenarios end to end', (dialect) => {
  let t: TestApp;
  let graph: GraphFake;
  let vt: VirusTotalFake;

  beforeAll(async () => {
    graph = await startGraphFake();
    vt = await startVirusTotalFake();
    t = await startTestApp(dialect, { worker: true, env: { VIGIL_EGRESS_ALLOWLIST: '127.0.0.1' } });
    const connections = [
      {
        name: 'entra-id',
        connector: 'identity',
        settings: { tenantId: graph.tenantId, clientId: graph.clientId, baseUrl: graph.url, loginUrl: graph.url },
        secrets: { clientSecret: graph.clientSecret },
      },
      { name: 'virustotal', connector: 'virustotal', settings: { baseUrl: vt.url }, secrets: { apiKey: vt.apiKey } },
    ];
    for (const connection of connections) {
      const made = await t.post(t.ws('/connections'), connection);
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
    await graph?.close();
    await vt?.close();
  });
  afterEach(async () => {
    graph.failWith(undefined);
    for (const rule of (await t.get(t.ws('/automation-rules'))).body.items) await t.delete(t.ws(`/automation-rules/${rule.id}`));
  });

  /** A playbook from YAML, and an incident-created rule that runs it on incidents whose title has `key`. */
  async function playbookOnIncidents(source: (name: string) => string, key: string) {
    const name = `Scenario ${randomUUID().slice(0, 8)}`;
    const made = await t.post(t.ws('/playbooks'), { source: source(name) });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const rule = await t.post(t.ws('/automation-rules'), {
      name: `Run ${name}`,
      order: 1,
      trigger: 'incidentCreated',
      conditions: [{ type: 'property', property: 'IncidentTitle', operator: 'Contains', values: [key] }],
      actions: [{ type: 'runPlaybook', playbook: name }],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    return made.body as { id: string; name: string };
  }

  /** Ingests one alert (so one new incident) with these entities; returns the incident number. */
  async function incidentWith(title: string, entities: Record<string, unknown>[]): Promise<number> {
    const res = await t.post(t.ws('/alerts'), { alerts: [alert({ title, entities })] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.results[0].incidentNumber;
  }

  /** The incident's single playbook run, once finished (bounded wait). */
  async function finishedRunOf(incident: number) {
    for (let i = 0; i < 150; i++) {
      const runs = (await t.get(t.ws(`/incidents/${incident}/playbook-runs`))).body.items;
      if (runs.length > 1) throw new Error(`incident ${incident} has ${runs.length} runs`);
      if (runs[0] && FINISHED.includes(runs[0].status)) return (await t.get(t.ws(`/runs/${runs[0].id}`))).body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no finished run on incident ${incident} within 15 s`);
  }

  const tasksOf = async (n: number) =>
    (await t.get(t.ws(`/incidents/${n}/tasks`))).body.items as { title: string; status: string; description: string }[];
  const commentsOf = async (n: number) =>
    ((await t.get(t.ws(`/incidents/${n}/comments`))).body.items as { message: string; author: { type: string } }[]).map(
      (c) => c.message,
    );
  const account = (name: string) => ({ kind: 'Account', accountName: name, upnSuffix: 'contoso.com' });
  const ip = (address: string) => ({ kind: 'Ip', address });

  it('1. an incident-created rule runs the playbook: the task is added, each account confirmed compromised, the task completed', async () => {
    const key = randomUUID().slice(0, 8);
    const playbook = await playbookOnIncidents(resetPassword, key);
    const n = await incidentWith(`Risky sign-in ${key}`, [account('alice'), account('bob')]);
    const run = await finishedRunOf(n);
    expect(run, JSON.stringify(run.message)).toMatchObject({ status: 'succeeded', playbook: { id: playbook.id } });
    expect(run.trigger).toMatchObject({ kind: 'incident', source: { type: 'automationRule' } });
    expect(await tasksOf(n)).toMatchObject([{ title: 'Reset user password', status: 'Completed' }]);
    expect(graph.users.get(ALICE)!.compromised).toBe(true);
    expect(graph.users.get(BOB)!.compromised).toBe(true);
    const confirmCalls = graph.requests.filter((r) => r.path.endsWith('/riskyUsers/confirmCompromised'));
    expect(confirmCalls.map((r) => r.json)).toEqual(expect.arrayContaining([{ userIds: [ALICE] }, { userIds: [BOB] }]));
    const loop = run.steps.find((s: { id: string }) => s.id === 'confirm').children[0];
    expect(loop.children.map((c: { iteration: number; status: string }) => [c.iteration, c.status])).toEqual([
      [0, 'succeeded'],
      [1, 'succeeded'],
    ]);
    const activity = (await t.get(t.ws(`/incidents/${n}/activity`))).body.items;
    const byPlaybook = activity.filter((e: { actor: { type: string } }) => e.actor.type === 'playbook');
    expect(byPlaybook.map((e: { action: string }) => e.action).sort()).toEqual(['taskAdded', 'taskCompleted']);
    expect(byPlaybook[0].actor).toMatchObject({ id: playbook.id, name: playbook.name });
  });

  it('1. when the identity provider answers 500 the task stays open for the analyst, with the reason as a comment', async () => {
    const key = randomUUID().slice(0, 8);
    await playbookOnIncidents(resetPassword, key);
    graph.users.get(ALICE)!.compromised = false;
    graph.failWith(500, '/v1.0/identityProtection');
    const before = graph.requests.length;
    const n = await incidentWith(`Risky sign-in ${key}`, [account('alice')]);
    const run = await finishedRunOf(n);
    expect(run.status).toBe('succeeded');
    expect(await tasksOf(n)).toMatchObject([{ title: 'Reset user password', status: 'New' }]);
    expect(graph.users.get(ALICE)!.compromised).toBe(false);
    const calls = graph.requests.slice(before).filter((r) => r.path.endsWith('/riskyUsers/confirmCompromised'));
    expect(calls).toHaveLength(2);
    const step = run.steps.find((s: { id: string }) => s.id === 'confirm');
    // the scope handled the failure: it succeeded, and says what failed
    expect(step).toMatchObject({ status: 'succeeded', output: { failed: true, error: { step: 'confirmed' } } });
    expect(step.children.map((c: { kind: string; status: string }) => [c.kind, c.status])).toEqual([
      ['forEach', 'failed'],
      ['action', 'succeeded'],
    ]);
    const confirmed = step.children[0].children[0];
    expect(confirmed).toMatchObject({ id: 'confirmed', status: 'failed', attempts: 2 });
    expect(confirmed.error).toContain('500');
    const [comment] = await commentsOf(n);
    expect(comment).toContain('Could not confirm the accounts');
    expect(comment).toContain('500');
  });

  it('2. a malicious IP gets "Mark user as compromised", a clean one "Reach out to the user to confirm the activity"', async () => {
    const key = randomUUID().slice(0, 8);
    await playbookOnIncidents(conditionalTasks, key);
    vt.setReport('ip', '203.0.113.66', { malicious: 4, suspicious: 1 });
    const mixed = await incidentWith(`Sign-in from odd IPs ${key}`, [ip('203.0.113.66'), ip('198.51.100.9')]);
    const clean = await incidentWith(`Sign-in from a clean IP ${key}`, [ip('198.51.100.10')]);
    expect((await finishedRunOf(mixed)).status).toBe('succeeded');
    expect((await finishedRunOf(clean)).status).toBe('succeeded');
    const mixedTasks = (await tasksOf(mixed)).map((task) => [task.title, task.description]).sort();
    expect(mixedTasks).toEqual([
      ['Mark user as compromised', '203.0.113.66 is known malicious'],
      ['Reach out to the user to confirm the activity', '198.51.100.9'],
    ]);
    expect((await tasksOf(clean)).map((task) => task.title)).toEqual(['Reach out to the user to confirm the activity']);
    const asked = vt.requests.map((r) => r.path);
    expect(asked).toEqual(expect.arrayContaining(['/api/v3/ip_addresses/203.0.113.66', '/api/v3/ip_addresses/198.51.100.10']));
  });

  it('3. enrichment: the reputation of each IP is added as a comment by the playbook', async () => {
    const key = randomUUID().slice(0, 8);
    const playbook = await playbookOnIncidents(enrichment, key);
    vt.setReport('ip', '192.0.2.200', { malicious: 7, reputation: -42 });
    const n = await incidentWith(`C2 beacon ${key}`, [ip('192.0.2.200'), ip('192.0.2.201')]);
    expect((await finishedRunOf(n)).status).toBe('succeeded');
    const comments = await commentsOf(n);
    expect(comments.sort()).toEqual([
      expect.stringMatching(/^VirusTotal: 192\.0\.2\.200 has reputation -42, 7 malicious engines \(http.*192\.0\.2\.200\)$/),
      expect.stringMatching(/^VirusTotal: 192\.0\.2\.201 has reputation 0, 0 malicious engines/),
    ]);
    const activity = (await t.get(t.ws(`/incidents/${n}/activity`))).body.items;
    const added = activity.filter((e: { action: string }) => e.action === 'commentAdded');
    expect(added).toHaveLength(2);
    expect(added[0].actor).toMatchObject({ type: 'playbook', id: playbook.id });
  });

  it('1–3 also run when the incident is created through the API, not only by alert ingest', async () => {
    const key = randomUUID().slice(0, 8);
    await playbookOnIncidents(resetPassword, key);
    const created = await t.post(t.ws('/incidents'), { title: `Reported by phone ${key}`, severity: 'High' });
    expect(created.status).toBe(201);
    const run = await finishedRunOf(created.body.number);
    expect(run.status).toBe('succeeded');
    // no accounts: nothing to confirm, so the task is completed at once
    expect(await tasksOf(created.body.number)).toMatchObject([{ title: 'Reset user password', status: 'Completed' }]);
  });
});
