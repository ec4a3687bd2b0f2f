import { afterEach, describe, expect, it } from 'vitest';
import { launchRuns, type LaunchSpec } from '../../src/playbooks/run-launcher.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Adoption is the embedded (SQLite) queue's: PostgreSQL workers take runs from the job queue only.
describe('the embedded worker claims runs in the transaction that queues them [sqlite]', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function open(workers: number): Promise<TestApp> {
    t = await startTestApp('sqlite', { worker: true, env: { VIGIL_WORKERS: String(workers) } });
    return t;
  }

  /** A manual playbook; returns what launching it needs. */
  async function playbook(app: TestApp, steps: string): Promise<LaunchSpec> {
    const source = `name: Adopted\ntrigger: { type: manual, targets: [incident] }\nsteps:\n${steps}`;
    const created = await app.post(app.ws('/playbooks'), { source });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const incident = await app.post(app.ws('/incidents'), { title: 'Adoption target', severity: 'Low' });
    return {
      workspaceId: 'default',
      playbookId: created.body.id,
      playbookName: 'Adopted',
      version: 1,
      trigger: { kind: 'incident', incidentId: incident.body.id },
      inputs: {},
      startedBy: { type: 'user', id: app.adminId, name: 'Admin' },
    };
  }

  /** Queues runs in one transaction; `inside` sees their rows before the commit. */
  async function queue(app: TestApp, specs: LaunchSpec[], inside?: (rows: any[]) => void): Promise<string[]> {
    const { storage, services } = app.app;
    return storage.db.transaction().execute(async (trx) => {
      const ids = await launchRuns(trx, storage.dialect, services.playbooks.queue, specs, Date.now());
      const rows = await trx.selectFrom('playbook_runs').selectAll().where('id', 'in', ids).orderBy('id').execute();
      inside?.(rows);
      return ids;
    });
  }

  async function until(app: TestApp, runId: string, status: string): Promise<any> {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(50)) {
      const run = await app.get(app.ws(`/runs/${runId}`));
      if (run.body.status === status) return run.body;
    }
    throw new Error(`run ${runId} did not become ${status}`);
  }

  it('claims as many as there are free slots before the commit; the rest wait for the worker', async () => {
    const app = await open(2);
    const spec = await playbook(
      app,
      '  - id: hold\n    wait: { duration: 300ms }\n  - id: done\n    stop: { status: succeeded, message: ok }\n',
    );
    let seen: any[] = [];
    const ids = await queue(app, [spec, spec, spec], (rows) => (seen = rows));
    const byId = new Map(seen.map((r) => [r.id, r]));
    const claimed = ids.filter((id) => byId.get(id).status === 'running');
    expect(claimed).toEqual(ids.slice(0, 2));
    for (const id of claimed) {
      expect(byId.get(id)).toMatchObject({ attempts: 1, wake_at: null });
      expect(byId.get(id).lease_owner).toEqual(expect.any(String));
    }
    expect(byId.get(ids[2]!)).toMatchObject({ status: 'queued', attempts: 0, lease_owner: null });
    for (const id of ids) expect((await until(app, id, 'succeeded')).message).toBe('ok');
  });

  it('a queuing transaction that rolls back leaves no run behind, and the worker goes on with the next ones', async () => {
    const app = await open(4);
    const spec = await playbook(app, '  - id: note\n    uses: incident.addComment\n    with: { message: adopted }\n');
    let rolledBack: string[] = [];
    await expect(
      queue(app, [spec], (rows) => {
        rolledBack = rows.map((r) => r.id);
        expect(rows[0].status).toBe('running');
        throw new Error('the trigger failed');
      }),
    ).rejects.toThrow('the trigger failed');
    await sleep(200);
    const { db } = app.app.storage;
    expect(await db.selectFrom('playbook_runs').select('id').where('id', 'in', rolledBack).execute()).toEqual([]);
    expect(await db.selectFrom('playbook_run_steps').select('step_key').where('run_id', 'in', rolledBack).execute()).toEqual([]);
    const comments = await app.get(app.ws(`/incidents/${spec.trigger.incidentId}/comments`));
    expect(comments.body.items ?? comments.body).toHaveLength(0);

    const [next] = await queue(app, [spec]);
    expect((await until(app, next!, 'succeeded')).steps).toHaveLength(1);
    const after = await app.get(app.ws(`/incidents/${spec.trigger.incidentId}/comments`));
    expect((after.body.items ?? after.body).map((c: any) => c.message)).toEqual(['adopted']);
  });
});
