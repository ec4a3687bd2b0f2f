import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../support/databases.js';
import { json, startFakeServer, type FakeServer } from '../support/fakes/index.js';
import { ADMIN_EMAIL, startTestAppOn, type TestApp } from '../support/test-app.js';

const ENV = { VIGIL_EGRESS_ALLOWLIST: '127.0.0.1' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every step of a run's step tree, depth first. */
const flatten = (steps: any[]): any[] => steps.flatMap((s) => [s, ...flatten(s.children)]);

for (const dialect of testDialects()) {
  describe(`a playbook run survives the end of its worker [${dialect}]`, () => {
    let fake: FakeServer;
    let database: TestDatabase | undefined;
    const apps: TestApp[] = [];
    /** Requests per path: `/hang-once/…` hangs on its first request and answers the next ones. */
    const seen = new Map<string, number>();

    beforeAll(async () => {
      fake = await startFakeServer(async (request) => {
        seen.set(request.path, (seen.get(request.path) ?? 0) + 1);
        if (request.path.startsWith('/hang-once/') && seen.get(request.path) === 1)
          await new Promise((resolve) => setTimeout(resolve, 30_000).unref());
        return json(200, { path: request.path });
      });
    });
    afterAll(() => fake?.close());
    afterEach(async () => {
      for (const app of apps.splice(0)) await app.close();
      await database?.drop();
      database = undefined;
    });

    /** Starts an app with workers on the test's database (a new one for the first app of a test). */
    async function open(): Promise<TestApp> {
      database ??= await createTestDatabase(dialect);
      const app = await startTestAppOn(database, { worker: true, env: ENV });
      apps.push(app);
      return app;
    }
    /** Closes an app as a stopping server does (runs in flight are handed back). */
    async function close(app: TestApp): Promise<void> {
      apps.splice(apps.indexOf(app), 1);
      await app.close();
    }
    /** Creates the playbook and starts it on a new incident; returns the run id. */
    async function launch(app: TestApp, steps: string): Promise<string> {
      const source = `name: Durable\ntrigger: { type: manual, targets: [incident] }\nsteps:\n${steps}`;
      const playbook = await app.post(app.ws('/playbooks'), { source });
      expect(playbook.status, JSON.stringify(playbook.body)).toBe(201);
      const incident = await app.post(app.ws('/incidents'), { title: 'Durable target', severity: 'High' });
      const run = await app.post(app.ws(`/playbooks/${playbook.body.id}/runs`), { incident: incident.body.id });
      expect(run.status, JSON.stringify(run.body)).toBe(202);
      return run.body.id;
    }
    /** Polls a run (bounded) until its status is one of these. */
    async function until(app: TestApp, runId: string, statuses: string[], ms = 15_000): Promise<any> {
      for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(100)) {
        const got = await app.get(app.ws(`/runs/${runId}`));
        if (statuses.includes(got.body.status)) return { ...got.body, all: flatten(got.body.steps) };
      }
      throw new Error(`run ${runId} did not reach ${statuses.join('/')} in time`);
    }
    const sideEffect = (tag: string) => `  - id: call
    uses: http.request
    with: { method: POST, url: "${fake.url}/effect/${tag}-${dialect}", idempotencyHeader: Idempotency-Key }
`;
    const requestsTo = (path: string) => fake.requests.filter((r) => r.path === path);

    it('a run waiting for time when the server stops finishes after a restart; its finished step is not run again', async () => {
      const first = await open();
      const runId = await launch(
        first,
        `${sideEffect('wait')}  - { id: pause, wait: { duration: 3s } }\n  - { id: after, set: { done: true } }\n`,
      );
      const waiting = await until(first, runId, ['waiting']);
      expect(waiting.all.find((s: any) => s.key === 'call').status).toBe('succeeded');
      await close(first);

      const second = await open();
      const done = await until(second, runId, ['succeeded', 'failed', 'cancelled']);
      expect(done.status, done.message).toBe('succeeded');
      expect(done.attempts).toBe(2);
      expect(done.all.map((s: any) => [s.key, s.status, s.attempts])).toEqual([
        ['call', 'succeeded', 1],
        ['pause', 'succeeded', 1],
        ['after', 'succeeded', 1],
      ]);
      expect(requestsTo(`/effect/wait-${dialect}`)).toHaveLength(1);
    });

    it('a run waiting for an approval when the server stops resumes with the answer given after a restart', async () => {
      const first = await open();
      const runId = await launch(
        first,
        `${sideEffect('approval')}  - id: ask
    approval:
      message: Block the account?
      choices: [Block, Ignore]
      assignees: { users: [${ADMIN_EMAIL}] }
      expiresIn: 1h
      defaultChoice: Ignore
      notify: { email: false }
  - { id: after, set: { choice: "\${{ steps.ask.output.choice }}" } }
`,
      );
      const waiting = await until(first, runId, ['waiting']);
      const approvalId = waiting.all.find((s: any) => s.key === 'ask').output.approvalId;
      await close(first);

      const second = await open();
      const answered = await second.post(`/api/v1/approvals/${approvalId}`, { choice: 'Block' });
      expect(answered.status, JSON.stringify(answered.body)).toBe(200);
      const done = await until(second, runId, ['succeeded', 'failed', 'cancelled']);
      expect(done.status, done.message).toBe('succeeded');
      expect(done.all.find((s: any) => s.key === 'ask').output).toMatchObject({
        choice: 'Block',
        answeredBy: { email: ADMIN_EMAIL },
      });
      expect(done.all.find((s: any) => s.key === 'after').output).toEqual({ choice: 'Block' });
      expect(requestsTo(`/effect/approval-${dialect}`)).toHaveLength(1);
    });

    it('a run whose worker died mid-step (its lease expired) is taken over and resumes after its last finished step', async () => {
      const first = await open();
      const slowPath = `/hang-once/${dialect}`;
      const runId = await launch(
        first,
        `${sideEffect('lease')}  - id: slow
    uses: http.request
    with: { method: POST, url: "${fake.url}${slowPath}", idempotencyHeader: Idempotency-Key }
  - { id: after, set: { done: true } }
`,
      );
      for (let i = 0; i < 100 && requestsTo(slowPath).length === 0; i++) await sleep(50);
      expect(requestsTo(slowPath)).toHaveLength(1);
      await close(first);
      // What a worker that died mid-step leaves behind: the run held under a lease that has run out.
      const storage = database!.open();
      try {
        await storage.db
          .updateTable('playbook_runs')
          .set({ status: 'running', lease_owner: 'dead-host:1:0000', lease_until: Date.now() - 1_000, wake_at: null })
          .where('id', '=', runId)
          .execute();
        const slow = await storage.db
          .selectFrom('playbook_run_steps')
          .select(['status', 'attempts'])
          .where('run_id', '=', runId)
          .where('step_key', '=', 'slow')
          .executeTakeFirstOrThrow();
        expect(slow).toEqual({ status: 'running', attempts: 1 });
      } finally {
        await storage.close();
      }

      const second = await open();
      const done = await until(second, runId, ['succeeded', 'failed', 'cancelled']);
      expect(done.status, done.message).toBe('succeeded');
      expect(done.all.map((s: any) => [s.key, s.status, s.attempts])).toEqual([
        ['call', 'succeeded', 1],
        ['slow', 'succeeded', 2],
        ['after', 'succeeded', 1],
      ]);
      expect(requestsTo(`/effect/lease-${dialect}`)).toHaveLength(1);
      // The step that was cut off is sent again, with the same key, so the service can drop the repeat.
      const keys = requestsTo(slowPath).map((r) => r.headers['idempotency-key']);
      expect(keys).toEqual([`${runId}:slow`, `${runId}:slow`]);
    });
  });
}
