import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { createScheduler } from '../../src/playbooks/worker/scheduler.js';
import { describeEachDialect, startTestApp, startTestAppOn, type TestApp } from '../support/test-app.js';

/** The schedule trigger (cron): one run per due slot, whichever server's scheduler gets there first. */

const MINUTE = 60_000;
const FINISHED = ['succeeded', 'failed', 'cancelled'];

describeEachDialect('playbooks: the schedule trigger', (dialect) => {
  let t: TestApp;
  let offset = 0;
  const now = () => Date.now() + offset;

  beforeAll(async () => {
    t = await startTestApp(dialect, { worker: true, now });
  });
  afterAll(() => t?.close());

  const unique = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;
  async function create(source: string) {
    const made = await t.post(t.ws('/playbooks'), { source });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body as { id: string; name: string };
  }
  const runsOf = async (playbookId: string) => (await t.get(t.ws(`/playbooks/${playbookId}/runs`))).body.items;
  async function finished(runId: string) {
    for (let i = 0; i < 150; i++) {
      const run = (await t.get(t.ws(`/runs/${runId}`))).body;
      if (FINISHED.includes(run.status)) return run;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${runId} did not finish within 15 s`);
  }
  const seen = (run: { steps: { id: string; output: unknown }[] }) => run.steps.find((s) => s.id === 'seen')!.output;

  // The app's clock starts about a minute behind, so the first slot is due in real time once it catches
  // up (PostgreSQL's job queue runs jobs by the database's clock). Two servers share a PostgreSQL
  // database; SQLite has one server per file, so there two schedulers share it.
  it('a schedule starts one run per slot when it is due, even with two schedulers on the database', async () => {
    // 10 s past a minute boundary and 55–115 s behind real time: the next slot is 50 s ahead of the
    // app's clock (not due however slow this machine is) and already past in real time.
    const target = Date.now() - 55_000;
    let base = Math.floor(target / MINUTE) * MINUTE + 10_000;
    if (base > target) base -= MINUTE;
    offset = base - Date.now();
    const playbook = await create(`
name: ${unique('Every minute')}
trigger: { type: schedule, cron: '* * * * *', timezone: UTC }
steps:
  - id: seen
    set: { kind: "\${{ trigger.kind }}", at: "\${{ trigger.scheduledAt }}" }
`);
    const slot = (await t.get(t.ws(`/playbooks/${playbook.id}`))).body.schedule.nextRunAt as string;
    expect(Date.parse(slot)).toBeGreaterThan(now());
    expect(Date.parse(slot)).toBeLessThan(Date.now());
    const other = dialect === 'postgres' ? await startTestAppOn(t.database, { now }) : t;
    const log = createLogger('silent');
    const schedulers = [t, other].map((app) =>
      createScheduler({ storage: app.app.storage, now, queue: () => app.app.services.playbooks.queue, logger: log }),
    );
    const tick = async (times = 1) => {
      const started = await Promise.all(Array.from({ length: times }, () => schedulers.map((s) => s.tick())).flat());
      return started.reduce((a, b) => a + b, 0);
    };
    try {
      expect(await tick()).toBe(0); // not due yet
      offset = 0;
      expect(await tick(2)).toBe(1);
      const [run] = await runsOf(playbook.id);
      const done = await finished(run.id);
      expect(done).toMatchObject({ status: 'succeeded', trigger: { kind: 'schedule' }, startedBy: { name: 'Schedule' } });
      expect(seen(done)).toEqual({ kind: 'schedule', at: slot });
      expect(await tick()).toBe(0); // the slot is taken, the next one is not due
      const next = Date.parse((await t.get(t.ws(`/playbooks/${playbook.id}`))).body.schedule.nextRunAt);
      expect(next).toBeGreaterThan(now());
      expect(next - now()).toBeLessThanOrEqual(MINUTE);
      offset = next - Date.now() + 1;
      expect(await tick(2)).toBe(1);
      expect(await runsOf(playbook.id)).toHaveLength(2);
      // disabled: no more runs
      expect((await t.patch(t.ws(`/playbooks/${playbook.id}`), { enabled: false })).status).toBe(200);
      offset += MINUTE;
      expect(await tick()).toBe(0);
      expect((await t.get(t.ws(`/playbooks/${playbook.id}`))).body.schedule.nextRunAt).toBeNull();
    } finally {
      offset = 0;
      if (other !== t) await other.close();
    }
  });
});
