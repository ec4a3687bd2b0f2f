import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startFakeServer, type FakeServer, type RecordedRequest } from '../support/fakes/index.js';
import { alert } from '../support/fixtures.js';
import { ADMIN_EMAIL, describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const ENDED = ['succeeded', 'failed', 'cancelled'];
/** Every step of a run's step tree, depth first. */
const flatten = (steps: any[]): any[] => steps.flatMap((s) => [s, ...flatten(s.children)]);
const manual = (name: string, steps: string) => `name: ${name}\ntrigger: { type: manual, targets: [incident] }\nsteps:\n${steps}`;

describeEachDialect('playbook runs: built-in actions, history, cancel, re-run, idempotency', (dialect) => {
  let t: TestApp;
  let fake: FakeServer;
  const flaky = new Map<string, number>();

  /** Creates a playbook; returns its id. */
  async function create(source: string): Promise<string> {
    const made = await t.post(t.ws('/playbooks'), { source });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body.id;
  }
  /** Starts a run of the playbook on the incident. */
  async function start(playbook: string, incident: string): Promise<any> {
    const started = await t.post(t.ws(`/playbooks/${playbook}/runs`), { incident });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    return started.body;
  }
  /** Polls a run (bounded, 10 s) until it is in one of the statuses. */
  async function until(runId: string, statuses = ENDED): Promise<any> {
    for (let i = 0; i < 100; i++) {
      const got = await t.get(t.ws(`/runs/${runId}`));
      if (statuses.includes(got.body.status)) return { ...got.body, all: flatten(got.body.steps) };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${runId} did not reach ${statuses.join('/')} within 10 s`);
  }
  const newIncident = async (title = 'Run target') =>
    (await t.post(t.ws('/incidents'), { title, severity: 'Medium' })).body.id as string;
  const byKey = (r: { all: any[] }, key: string) => r.all.find((s) => s.key === key);

  beforeAll(async () => {
    // `/flaky/{key}/{n}` answers 503 to the first n requests for a key, then 200; anything else 200.
    fake = await startFakeServer((request: RecordedRequest) => {
      const [, kind, key, count] = request.path.split('/');
      if (kind !== 'flaky') return json(200, { ok: true });
      flaky.set(key!, (flaky.get(key!) ?? 0) + 1);
      return flaky.get(key!)! <= Number(count) ? json(503, { error: 'busy' }) : json(200, { ok: true });
    });
    t = await startTestApp(dialect, { worker: true, env: { VIGIL_EGRESS_ALLOWLIST: '127.0.0.1' } });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  describe('built-in actions change the incident, with the playbook as the actor', () => {
    it('reads entities by kind and alerts, updates, comments, adds and completes a task, closes', async () => {
      const ingest = await t.post(t.ws('/alerts'), {
        alerts: [
          alert({
            title: 'Impossible travel',
            entities: [
              { kind: 'Account', accountName: 'alice', upnSuffix: 'contoso.com' },
              { kind: 'Account', accountName: 'bob', upnSuffix: 'contoso.com' },
              { kind: 'Ip', address: '203.0.113.7' },
            ],
          }),
        ],
      });
      expect(ingest.status).toBe(201);
      const incident = ingest.body.results[0].incidentId as string;
      await t.patch(t.ws(`/incidents/${incident}`), { addTags: ['noise'] });
      const id = await create(
        manual(
          'Built-ins',
          `  - { id: accounts, uses: incident.getEntities, with: { kind: account } }
  - { id: ips, uses: incident.getEntities, with: { kind: ip } }
  - { id: alerts, uses: incident.getAlerts }
  - id: triage
    uses: incident.update
    with:
      severity: High
      title: "Triaged: \${{ incident.title }}"
      owner: { email: ${ADMIN_EMAIL} }
      addTags: [auto, "accounts-\${{ steps.accounts.output.count }}"]
      removeTags: [noise]
  - id: note
    uses: incident.addComment
    with: { message: "Accounts: \${{ $join(steps.accounts.output.entities.name, ', ') }}; alerts: \${{ steps.alerts.output.count }}" }
  - { id: task, uses: incident.addTask, with: { title: Reset password } }
  - { id: done, uses: incident.completeTask, with: { task: "\${{ steps.task.output.taskId }}" } }
  - id: close
    uses: incident.update
    with: { status: Closed, classification: TruePositive, classificationReason: SuspiciousActivity, classificationComment: Handled }
`,
        ),
      );
      const r = await until((await start(id, incident)).id);
      expect(r.status, r.message).toBe('succeeded');
      expect(byKey(r, 'accounts').output.entities.map((e: any) => e.kind)).toEqual(['Account', 'Account']);
      expect(byKey(r, 'ips').output).toMatchObject({ count: 1, entities: [{ kind: 'Ip' }] });
      expect(byKey(r, 'alerts').output).toMatchObject({ count: 1, alerts: [{ title: 'Impossible travel' }] });
      expect(byKey(r, 'task').output).toMatchObject({ taskId: expect.any(String), title: 'Reset password', status: 'New' });
      expect(byKey(r, 'note').input.message).toMatch(/^Accounts: (alice|bob)@contoso.com, (alice|bob)@contoso.com; alerts: 1$/);

      const got = (await t.get(t.ws(`/incidents/${incident}`))).body;
      expect(got).toMatchObject({ title: 'Triaged: Impossible travel', severity: 'High', status: 'Closed' });
      expect(got).toMatchObject({ classification: 'TruePositive', owner: { email: ADMIN_EMAIL } });
      expect(got.tags.sort()).toEqual(['accounts-2', 'auto']);
      const tasks = (await t.get(t.ws(`/incidents/${incident}/tasks`))).body.items;
      expect(tasks).toMatchObject([{ id: byKey(r, 'task').output.taskId, status: 'Completed' }]);

      const log = (await t.get(t.ws(`/incidents/${incident}/activity?actorType=playbook`))).body.items;
      expect(log.map((e: any) => e.action).reverse()).toEqual([
        'incidentUpdated',
        'commentAdded',
        'taskAdded',
        'taskCompleted',
        'incidentUpdated',
      ]);
      for (const entry of log) expect(entry.actor).toMatchObject({ type: 'playbook', id, name: 'Built-ins' });
      expect(log[0].changes).toEqual(expect.arrayContaining([{ field: 'classification', from: null, to: 'TruePositive' }]));
    });
  });

  describe('history', () => {
    it('lists runs per playbook, per incident and in the workspace, filtered by status and time', async () => {
      const id = await create(
        manual(
          `Lists ${dialect}`,
          `  - if: \${{ incident.severity = 'High' }}\n    then: [ { stop: { status: failed, message: too severe } } ]\n`,
        ),
      );
      const [a, b] = [await newIncident(), await newIncident()];
      const first = await until((await start(id, a)).id);
      await t.patch(t.ws(`/incidents/${b}`), { severity: 'High' });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await until((await start(id, b)).id);
      expect([first.status, second.status, second.message]).toEqual(['succeeded', 'failed', 'too severe']);

      const ids = async (url: string) => ((await t.get(t.ws(url))).body.items as any[]).map((x) => x.id);
      expect(await ids(`/playbooks/${id}/runs`)).toEqual([second.id, first.id]);
      expect(await ids(`/playbooks/${id}/runs?status=failed`)).toEqual([second.id]);
      expect(await ids(`/incidents/${a}/playbook-runs`)).toEqual([first.id]);
      expect(await ids(`/runs?playbook=${id}&status=succeeded&status=failed`)).toEqual([second.id, first.id]);
      const at = encodeURIComponent(second.queuedAt);
      expect(await ids(`/runs?playbook=${id}&since=${at}`)).toEqual([second.id]);
      expect(await ids(`/runs?playbook=${id}&until=${at}`)).toEqual([first.id]);
      expect(await ids(`/runs?status=failed&since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual(
        [],
      );
      const page = await t.get(t.ws(`/runs?playbook=${id}&limit=1`));
      expect(page.body.items.map((x: any) => x.id)).toEqual([second.id]);
      expect((await ids(`/runs?playbook=${id}&limit=1&cursor=${page.body.nextCursor}`))[0]).toBe(first.id);
      expect((await t.get(t.ws('/runs?status=finished'))).status).toBe(400);
    });

    it('shows the step tree: rendered inputs, outputs, duration, attempts and errors', async () => {
      const id = await create(
        manual(
          `Tree ${dialect}`,
          `  - id: note
    uses: incident.addComment
    with: { message: "About \${{ incident.title }}" }
  - id: bad
    uses: http.request
    with: { url: "${fake.url}/flaky/tree-${dialect}/9" }
    retry: { count: 1, backoff: { initial: 10ms } }
    continueOnError: true
`,
        ),
      );
      const r = await until((await start(id, await newIncident('Tree target'))).id);
      expect(r).toMatchObject({ status: 'succeeded', playbook: { id, version: 1 }, stepsExecuted: 2, attempts: 1 });
      expect(r.durationMs).toBeGreaterThanOrEqual(0);
      expect(r.steps[0]).toMatchObject({ key: 'note', kind: 'action', status: 'succeeded', attempts: 1, error: null });
      expect(r.steps[0].input).toEqual({ message: 'About Tree target' });
      expect(r.steps[0].output).toEqual({ commentId: expect.any(String) });
      expect(r.steps[0].durationMs).toBeGreaterThanOrEqual(0);
      expect(r.steps[1]).toMatchObject({ key: 'bad', status: 'failed', attempts: 2, error: expect.stringMatching(/503/) });
      expect(r.steps[1].input).toMatchObject({ url: `${fake.url}/flaky/tree-${dialect}/9` });
    });
  });

  describe('cancel, re-run and versions', () => {
    it('cancels a waiting run: it ends at once as cancelled, its wait step too', async () => {
      const id = await create(
        manual(`Waits ${dialect}`, '  - { id: pause, wait: { duration: 10m } }\n  - set: { after: true }\n'),
      );
      const run = await until((await start(id, await newIncident())).id, ['waiting']);
      expect(byKey(run, 'pause').status).toBe('waiting');
      const cancelled = await t.post(t.ws(`/runs/${run.id}/cancel`));
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', message: expect.stringMatching(/^cancelled by /) });
      const after = await until(run.id);
      expect(after.status).toBe('cancelled');
      expect(byKey(after, 'pause')).toMatchObject({ status: 'cancelled', finishedAt: expect.any(String) });
      expect((await t.post(t.ws(`/runs/${run.id}/cancel`))).status).toBe(409);
      expect((await t.get(t.ws(`/playbooks/${id}`))).body.runs).toMatchObject({ total: 1, last: { status: 'cancelled' } });
    });

    it('cancels a running run: the action in flight is interrupted and the run ends cancelled', async () => {
      const slow = await startFakeServer(
        () => new Promise((resolve) => setTimeout(() => resolve(json(200, {})), 20_000).unref()),
      );
      const id = await create(manual(`Slow ${dialect}`, `  - { id: call, uses: http.request, with: { url: "${slow.url}/" } }\n`));
      const run = await start(id, await newIncident());
      for (let i = 0; i < 100 && slow.requests.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await t.post(t.ws(`/runs/${run.id}/cancel`))).status).toBe(200);
      const after = await until(run.id);
      expect(after.status).toBe('cancelled');
      expect(byKey(after, 'call').status).toBe('cancelled');
      await slow.close();
    });

    it('re-runs a finished run as a new run of the current version; each run records its version', async () => {
      const name = `Versions ${dialect}`;
      const id = await create(manual(name, '  - { id: v, set: { version: one } }\n'));
      const incident = await newIncident();
      const first = await until((await start(id, incident)).id);
      const updated = await t.request('PUT', t.ws(`/playbooks/${id}`), {
        source: manual(name, '  - { id: v, set: { version: two } }\n'),
      });
      expect(updated.status, JSON.stringify(updated.body)).toBe(200);
      const second = await until((await start(id, incident)).id);
      const rerun = await t.post(t.ws(`/runs/${first.id}/rerun`));
      expect(rerun.status).toBe(202);
      expect(rerun.body).toMatchObject({ rerunOf: first.id, trigger: { incidentId: incident } });
      const third = await until(rerun.body.id);
      expect([first, second, third].map((r) => [r.playbook.version, byKey(r, 'v').output.version])).toEqual([
        [1, 'one'],
        [2, 'two'],
        [2, 'two'],
      ]);
      expect(first.rerunOf).toBeNull();
      const pending = await until(
        (await start(await create(manual(`Pending ${dialect}`, '  - wait: { duration: 10m }\n')), incident)).id,
        ['waiting'],
      );
      expect((await t.post(t.ws(`/runs/${pending.id}/rerun`))).status).toBe(409);
    });
  });

  describe('idempotency keys', () => {
    it('an http.request with effects sends one key per run and step, the same on every retry', async () => {
      const id = await create(
        manual(
          `Keys ${dialect}`,
          `  - id: first
    uses: http.request
    with: { method: POST, url: "${fake.url}/flaky/key-\${{ run.id }}/2", idempotencyHeader: Idempotency-Key, body: { a: 1 } }
    retry: { count: 2, backoff: { initial: 10ms } }
  - id: second
    uses: http.request
    with: { method: POST, url: "${fake.url}/plain", idempotencyHeader: Idempotency-Key }
`,
        ),
      );
      const incident = await newIncident();
      const keysOf = (runId: string) =>
        fake.requests.filter((q) => q.path.includes(runId)).map((q) => q.headers['idempotency-key']);
      const one = await until((await start(id, incident)).id);
      const two = await until((await start(id, incident)).id);
      expect([one.status, two.status]).toEqual(['succeeded', 'succeeded']);
      expect(byKey(one, 'first').attempts).toBe(3);
      expect(keysOf(one.id)).toEqual([`${one.id}:first`, `${one.id}:first`, `${one.id}:first`]);
      expect(keysOf(two.id)).toEqual([`${two.id}:first`, `${two.id}:first`, `${two.id}:first`]);
      const seconds = fake.requests.filter((q) => q.path === '/plain').map((q) => q.headers['idempotency-key']);
      expect(seconds.slice(-2)).toEqual([`${one.id}:second`, `${two.id}:second`]);
    });
  });
});
