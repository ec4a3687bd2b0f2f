import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { userWithToken } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every way a playbook starts (issue 6, Running → Triggers): an automation rule's Run playbook
 * action, alert-created rules and analytics rules' automated response (one run per alert), manual
 * runs on an incident, an alert or an entity, and a secret webhook URL (schedules: playbook-schedule.spec.ts).
 */

const FINISHED = ['succeeded', 'failed', 'cancelled'];

/** A playbook that records what it was started on, then comments (after `pause`) on its incident when it has one. */
const recorder = (name: string, trigger: string, pause = '') => `
name: ${name}
trigger: ${trigger}
steps:
  - id: seen
    set:
      kind: "\${{ trigger.kind }}"
      incident: "\${{ incident.title }}"
      alert: "\${{ alert.title }}"
      entity: "\${{ entity.name }}"
${pause ? `  - wait: { duration: ${pause} }\n` : ''}  - if: "\${{ trigger.incidentId ? true : false }}"
    then:
      - uses: incident.addComment
        with: { message: "${name} ran" }
`;

describeEachDialect('playbooks: triggers', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(dialect, { worker: true });
  });
  afterAll(() => t?.close());

  const unique = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;
  async function create(source: string) {
    const made = await t.post(t.ws('/playbooks'), { source });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body as { id: string; name: string; webhook: { url: string } | null };
  }
  async function rule(body: Record<string, unknown>) {
    const res = await t.post(t.ws('/automation-rules'), { name: unique('rule'), order: 1, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  }
  const titleHas = (key: string) => [{ type: 'property', property: 'IncidentTitle', operator: 'Contains', values: [key] }];
  const runsOf = async (playbookId: string) => (await t.get(t.ws(`/playbooks/${playbookId}/runs`))).body.items;
  const ruleRuns = async (id: string) => (await t.get(t.ws(`/automation-rules/${id}/runs`))).body.items;
  async function finished(runId: string) {
    for (let i = 0; i < 150; i++) {
      const run = (await t.get(t.ws(`/runs/${runId}`))).body;
      if (FINISHED.includes(run.status)) return run;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${runId} did not finish within 15 s`);
  }
  const seen = (run: { steps: { id: string; output: unknown }[] }) => run.steps.find((s) => s.id === 'seen')!.output;

  it('a Run playbook action starts the run after the write commits, and the rule does not wait for it', async () => {
    const key = unique('rule-run');
    const playbook = await create(recorder(unique('Slow'), 'incident', '3s'));
    const r = await rule({
      trigger: 'incidentCreated',
      conditions: titleHas(key),
      actions: [
        { type: 'runPlaybook', playbook: playbook.name },
        { type: 'addTags', tags: ['after-playbook'] },
      ],
    });
    const started = Date.now();
    const created = await t.post(t.ws('/incidents'), { title: `${key} incident` });
    expect(created.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(created.body.tags).toEqual(['after-playbook']);
    const [run] = (await t.get(t.ws(`/incidents/${created.body.number}/playbook-runs`))).body.items;
    expect(['queued', 'running', 'waiting']).toContain(run.status);
    expect((await t.get(t.ws(`/incidents/${created.body.number}/comments`))).body.items).toEqual([]);
    expect(run.trigger).toMatchObject({
      kind: 'incident',
      incidentId: created.body.id,
      source: { type: 'automationRule', id: r.id },
    });
    expect((await ruleRuns(r.id))[0]).toMatchObject({
      outcome: 'applied',
      results: [
        { type: 'runPlaybook', outcome: 'applied', detail: `run ${run.id} started` },
        { type: 'addTags', outcome: 'applied' },
      ],
    });
    const done = await finished(run.id);
    expect(done.status).toBe('succeeded');
    expect(seen(done)).toMatchObject({ kind: 'incident', incident: `${key} incident`, alert: null });
    const comments = (await t.get(t.ws(`/incidents/${created.body.number}/comments`))).body.items;
    expect(comments.map((c: { message: string }) => c.message)).toEqual([`${playbook.name} ran`]);
  });

  it('a rule whose playbook has another trigger, is disabled or missing records why, and its other actions still apply', async () => {
    const key = unique('wrong-kind');
    const alertPlaybook = await create(recorder(unique('Alert only'), 'alert'));
    const off = await create(recorder(unique('Switched off'), 'incident'));
    expect((await t.patch(t.ws(`/playbooks/${off.id}`), { enabled: false })).status).toBe(200);
    const r = await rule({
      trigger: 'incidentCreated',
      conditions: titleHas(key),
      actions: [
        { type: 'runPlaybook', playbook: alertPlaybook.name },
        { type: 'runPlaybook', playbook: off.id },
        { type: 'runPlaybook', playbook: 'No such playbook' },
        { type: 'addTags', tags: ['still-tagged'] },
      ],
    });
    const created = await t.post(t.ws('/incidents'), { title: `${key} incident` });
    expect(created.body.tags).toEqual(['still-tagged']);
    const [result] = await ruleRuns(r.id);
    expect(result.outcome).toBe('partial');
    expect(result.results.map((x: { outcome: string }) => x.outcome)).toEqual(['failed', 'failed', 'failed', 'applied']);
    expect(result.results[0].detail).toBe(
      `playbook ${alertPlaybook.name} has the alert trigger; this rule needs a playbook with the incident trigger`,
    );
    expect(result.results[1].detail).toBe(`playbook ${off.name} is disabled`);
    expect(result.results[2].detail).toContain('there is no playbook "No such playbook"');
    expect((await t.get(t.ws(`/incidents/${created.body.number}/playbook-runs`))).body.items).toEqual([]);
  });

  it('playbooks that start each other through incident-updated rules stop once each has run in the chain', async () => {
    const key = unique('ping-pong');
    const tagger = (name: string) =>
      `name: ${name}\ntrigger: incident\nsteps:\n  - uses: incident.update\n    with: { addTags: ["\${{ run.id }}"] }\n`;
    const [ping, pong] = [await create(tagger(unique('Ping'))), await create(tagger(unique('Pong')))];
    const labelAdded = { type: 'propertyArrayChanged', array: 'Labels', change: 'Added' };
    const onPing = await rule({
      trigger: 'incidentUpdated',
      conditions: titleHas(key),
      actions: [{ type: 'runPlaybook', playbook: ping.id }],
    });
    const onPong = await rule({
      trigger: 'incidentUpdated',
      conditions: [...titleHas(key), labelAdded],
      actions: [{ type: 'runPlaybook', playbook: pong.id }],
    });
    const n = (await t.post(t.ws('/incidents'), { title: `${key} incident` })).body.number;
    // a person's change starts Ping; its tag starts Pong; Pong's tag would start Ping again (and so on, for ever)
    expect((await t.patch(t.ws(`/incidents/${n}`), { severity: 'High' })).status).toBe(200);
    let runs: { status: string; playbook: { id: string } }[] = [];
    for (let i = 0; i < 100 && (runs.length < 2 || runs.some((r) => !FINISHED.includes(r.status))); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      runs = (await t.get(t.ws(`/incidents/${n}/playbook-runs`))).body.items;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    runs = (await t.get(t.ws(`/incidents/${n}/playbook-runs`))).body.items;
    expect(runs.map((r) => [r.playbook.id, r.status])).toEqual([
      [pong.id, 'succeeded'],
      [ping.id, 'succeeded'],
    ]);
    expect((await t.get(t.ws(`/incidents/${n}`))).body.tags).toHaveLength(2);
    const [last] = await ruleRuns(onPing.id);
    expect(last.results[0]).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('already ran in this chain') });
    expect((await ruleRuns(onPong.id)).map((x: { results: { detail: string }[] }) => x.results[0].detail)).toEqual([
      expect.stringContaining('a playbook does not start itself'),
      expect.stringMatching(/^run \S+ started$/),
    ]);
  });

  it('alert-created rules and analytics rules (automated response) start one run per alert; failures are recorded', async () => {
    const onAlert = await create(recorder(unique('On alert'), 'alert'));
    const response = await create(recorder(unique('Response'), 'alert'));
    const detection = await t.post(t.ws('/analytics-rules'), { name: unique('Beaconing'), playbookIds: [response.id] });
    expect(detection.status, JSON.stringify(detection.body)).toBe(201);
    await rule({
      trigger: 'alertCreated',
      analyticsRuleIds: [detection.body.id],
      actions: [{ type: 'runPlaybook', playbook: onAlert.id }],
    });
    const ingest = await t.post(t.ws('/alerts'), {
      alerts: [1, 2].map((i) => alert({ title: `Beacon ${i}`, analyticsRuleName: detection.body.name })),
    });
    expect(ingest.status, JSON.stringify(ingest.body)).toBe(201);
    const alertIds = ingest.body.results.map((x: { id: string }) => x.id).sort();
    for (const playbook of [onAlert, response]) {
      const runs = await runsOf(playbook.id);
      expect(runs.map((r: { trigger: { alertId: string } }) => r.trigger.alertId).sort()).toEqual(alertIds);
      for (const run of runs) {
        const done = await finished(run.id);
        expect(done.status, JSON.stringify(done.message)).toBe('succeeded');
        expect(seen(done)).toMatchObject({ kind: 'alert', alert: expect.stringMatching(/^Beacon [12]$/) });
      }
    }
    expect((await runsOf(response.id))[0].startedBy).toMatchObject({
      type: 'system',
      name: `Analytics rule ${detection.body.name}`,
    });

    // a playbook that can no longer start (here: disabled) is recorded on the alert's incident
    expect((await t.patch(t.ws(`/playbooks/${response.id}`), { enabled: false })).status).toBe(200);
    const later = await t.post(t.ws('/alerts'), { alerts: [alert({ analyticsRuleName: detection.body.name })] });
    const activity = (await t.get(t.ws(`/incidents/${later.body.results[0].incidentNumber}/activity`))).body.items;
    expect(activity.find((e: { action: string }) => e.action === 'automationFailed')).toMatchObject({
      actor: { type: 'system', name: `Analytics rule ${detection.body.name}` },
      changes: [{ field: 'automatedResponse', to: { playbook: response.id, error: `playbook ${response.name} is disabled` } }],
    });
    expect(await runsOf(response.id)).toHaveLength(2);
    const incidentOnly = await create(recorder(unique('Incident only'), 'incident'));
    const refused = await t.patch(t.ws(`/analytics-rules/${detection.body.id}`), { playbookIds: [incidentOnly.id] });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain('needs the alert trigger');
  });

  it('a Responder runs a playbook by hand on an incident, an alert and an entity; a Reader may not', async () => {
    const playbook = await create(recorder(unique('By hand'), '{ type: manual, targets: [incident, alert, entity] }'));
    const incidentOnly = await create(recorder(unique('Incident target'), '{ type: manual, targets: [incident] }'));
    const responder = await userWithToken(t, unique('Responder').replace(' ', ''), 'Responder');
    const reader = await userWithToken(t, unique('Reader').replace(' ', ''), 'Reader');
    const ingest = await t.post(t.ws('/alerts'), {
      alerts: [alert({ title: 'Odd login', entities: [{ kind: 'Account', accountName: 'carol', upnSuffix: 'contoso.com' }] })],
    });
    const { id: alertId, incidentNumber } = ingest.body.results[0];
    const entity = (await t.get(t.ws(`/incidents/${incidentNumber}/entities`))).body.items[0];
    const start = (body: unknown, token = responder.token, ref = playbook.id) =>
      t.post(t.ws(`/playbooks/${ref}/runs`), body, { token });

    const cases = [
      [{ incident: incidentNumber }, { kind: 'incident', incident: 'Odd login' }],
      [{ alert: alertId }, { kind: 'alert', alert: 'Odd login' }],
      [
        { incident: incidentNumber, entity: entity.id },
        { kind: 'entity', entity: 'carol@contoso.com' },
      ],
    ] as const;
    for (const [body, expected] of cases) {
      const started = await start(body);
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      expect(started.body.startedBy).toMatchObject({ type: 'user', id: responder.id });
      const done = await finished(started.body.id);
      expect(done.status, JSON.stringify(done.message)).toBe('succeeded');
      expect(seen(done)).toMatchObject(expected);
    }
    expect((await start({ incident: incidentNumber }, reader.token)).status).toBe(403);
    const wrongTarget = await start({ alert: alertId }, responder.token, incidentOnly.id);
    expect(wrongTarget.status).toBe(422);
    expect(wrongTarget.body.error.message).toContain('cannot run on an alert');
  });

  it('a webhook URL starts a run whose steps read the JSON payload; unknown and rotated tokens get 404', async () => {
    const playbook = await create(`
name: ${unique('Hook')}
trigger: webhook
inputs: { host: { type: string, required: true } }
steps:
  - id: seen
    set: { host: "\${{ inputs.host }}", severity: "\${{ trigger.payload.alert.severity }}", kind: "\${{ trigger.kind }}" }
  - if: \${{ trigger.payload.alert.severity = 'High' }}
    then:
      - set: { escalated: true }
`);
    const url = new URL(playbook.webhook!.url);
    expect(url.pathname).toMatch(/^\/api\/v1\/hooks\/.{20,}$/);
    const payload = { host: 'web01', alert: { severity: 'High', id: 42 } };
    const fired = await t.post(url.pathname, payload, { token: null });
    expect(fired.status, JSON.stringify(fired.body)).toBe(202);
    const done = await finished(fired.body.runId);
    expect(done).toMatchObject({ status: 'succeeded', trigger: { kind: 'webhook' }, inputs: { host: 'web01' } });
    expect(seen(done)).toEqual({ host: 'web01', severity: 'High', kind: 'webhook' });
    const missing = await t.post(url.pathname, { alert: { severity: 'Low' } }, { token: null });
    expect([missing.status, missing.body.error.message]).toEqual([400, 'body.host: is required (string)']);

    expect((await t.post('/api/v1/hooks/whk_not-the-right-token-at-all', payload, { token: null })).status).toBe(404);
    const rotated = await t.post(t.ws(`/playbooks/${playbook.id}/webhook`));
    expect(rotated.status).toBe(200);
    expect((await t.post(url.pathname, payload, { token: null })).status).toBe(404);
    const fresh = await t.post(new URL(rotated.body.url).pathname, payload, { token: null });
    expect(fresh.status).toBe(202);
    await finished(fresh.body.runId);
    expect(await runsOf(playbook.id)).toHaveLength(2);
    expect((await t.patch(t.ws(`/playbooks/${playbook.id}`), { enabled: false })).status).toBe(200);
    expect((await t.post(new URL(rotated.body.url).pathname, payload, { token: null })).status).toBe(422);
  });
});
