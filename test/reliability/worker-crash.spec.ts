import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startFakeServer, type FakeServer } from '../support/fakes/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Scenario 5: a `vigil worker` process is killed with SIGKILL in the middle of a run; another
 * worker takes the run over once the lease expires and finishes it. Finished steps are not run
 * again, and no step is ever executed by two workers at once.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNNER =
  "import('./src/cli/main.ts').then((m) => m.main(['node', 'vigil', 'worker']))" +
  '.catch((e) => { process.stderr.write(`${e?.message ?? e}\\n`); process.exitCode = 1; })';
const LEASE_MS = 2_000;
const SLOW_MS = 1_500;
const STEPS = ['first', 'second', 'slow', 'fourth', 'fifth'];

interface Worker {
  child: ChildProcess;
  output: () => string;
}

/** A spawned `vigil worker` on the database, with a short run lease. */
function startWorker(databaseUrl: string): Worker {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['TEST_DATABASE_URL', 'DATA_DIR', 'PORT', 'VIGIL_URL']) delete env[key];
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', RUNNER], {
    cwd: ROOT,
    env: {
      ...env,
      DATABASE_URL: databaseUrl,
      VIGIL_RUN_LEASE_MS: String(LEASE_MS),
      VIGIL_EGRESS_ALLOWLIST: '127.0.0.1',
      VIGIL_SECRET_KEY: '0123456789abcdef'.repeat(4),
      VIGIL_WORKERS: '4',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

/** Polls until `check` returns a value (not undefined), or fails after `ms`. */
async function until<T>(what: string, ms: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The step service: counts requests per idempotency key (run and step) and notes any overlap of one key. */
interface StepService {
  server: FakeServer;
  /** Requests per key, e.g. { "<run>:first": 1 }. */
  counts: Map<string, number>;
  overlaps: string[];
  /** The requests for a run, per step id. */
  countsOf: (runId: string) => Record<string, number>;
}

async function startStepService(): Promise<StepService> {
  const counts = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const overlaps: string[] = [];
  const server = await startFakeServer(async (request) => {
    const step = request.path.split('/')[2] ?? '?';
    const key = String(request.headers['idempotency-key'] ?? `no key for ${step}`);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    if (inFlight.get(key)! > 1) overlaps.push(key);
    try {
      if (step === 'slow') await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
      return json(200, { step, key });
    } finally {
      inFlight.set(key, inFlight.get(key)! - 1);
    }
  });
  const countsOf = (runId: string) =>
    Object.fromEntries(
      [...counts].filter(([key]) => key.startsWith(`${runId}:`)).map(([key, n]) => [key.slice(runId.length + 1), n]),
    );
  return { server, counts, overlaps, countsOf };
}

const playbook = (url: string) => `name: Crash and resume
trigger: { type: manual, targets: [incident] }
steps:
${STEPS.map(
  (id) => `  - id: ${id}
    uses: http.request
    with:
      method: POST
      url: ${url}/step/${id}
      idempotencyHeader: Idempotency-Key
      body: { step: ${id} }
`,
).join('')}`;

describe.skipIf(!process.env.TEST_DATABASE_URL)('scenario 5: a worker killed mid-run [postgres]', () => {
  let t: TestApp;
  let service: StepService;
  let playbookId: string;
  let incidentId: string;
  const workers: Worker[] = [];
  const alive = () => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);

  /** Starts workers and waits until each has printed its banner. */
  async function addWorkers(n: number): Promise<void> {
    const url = (t.database.target as { url: string }).url;
    const added = Array.from({ length: n }, () => startWorker(url));
    workers.push(...added);
    await until('the workers to start', 40_000, () => {
      for (const w of added) if (w.child.exitCode !== null) throw new Error(`a worker exited during start:\n${w.output()}`);
      return added.every((w) => /Vigil worker: executing/.test(w.output())) ? true : undefined;
    });
  }

  /** Starts a run and waits until it is in the middle of its slow step; returns it and the worker that holds it. */
  async function runUntilSlowStep(): Promise<{ runId: string; holder: Worker }> {
    const started = await t.post(t.ws(`/playbooks/${playbookId}/runs`), { incident: incidentId });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const runId: string = started.body.id;
    await until('the slow step to start', 20_000, () => (service.counts.has(`${runId}:slow`) ? true : undefined));
    const row = await t.app.storage.db
      .selectFrom('playbook_runs')
      .select(['lease_owner'])
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    // The lease owner is "host:pid:random".
    const pid = Number(row.lease_owner?.split(':').at(-2));
    const holder = alive().find((w) => w.child.pid === pid);
    expect(holder, `the lease owner ${row.lease_owner} is one of the running workers`).toBeDefined();
    expect(service.countsOf(runId)).toEqual({ first: 1, second: 1, slow: 1 });
    return { runId, holder: holder! };
  }

  async function finished(runId: string): Promise<any> {
    return until('the run to finish', 40_000, async () => {
      const res = await t.get(t.ws(`/runs/${runId}`));
      return ['queued', 'running', 'waiting'].includes(res.body.status) ? undefined : res.body;
    });
  }

  /** What every resumed run must show: success, each finished step once, the one in flight at most twice with one key. */
  function expectResumedOnce(run: any, others: Worker[]): void {
    expect(run.status, `${run.message}\n${others.map((w) => w.output()).join('\n')}`).toBe('succeeded');
    expect(run.attempts).toBe(2);
    const counts = service.countsOf(run.id);
    expect({ ...counts, slow: 1 }).toEqual({ first: 1, second: 1, slow: 1, fourth: 1, fifth: 1 });
    expect(counts.slow).toBeGreaterThanOrEqual(1);
    expect(counts.slow).toBeLessThanOrEqual(2);
    expect(service.overlaps).toEqual([]);
    const tree = run.steps as { id: string; status: string; output: any }[];
    expect(tree.map((s) => [s.id, s.status])).toEqual(STEPS.map((id) => [id, 'succeeded']));
    // Each step's request carried the key of its run and step, whichever worker sent it.
    for (const s of tree) expect(s.output.body).toEqual({ step: s.id, key: `${run.id}:${s.id}` });
  }

  beforeAll(async () => {
    service = await startStepService();
    // The API process executes nothing: only the `vigil worker` processes do.
    t = await startTestApp('postgres', { worker: false });
    incidentId = (await t.post(t.ws('/incidents'), { title: 'Crash target', severity: 'High' })).body.id;
    const created = await t.post(t.ws('/playbooks'), { source: playbook(service.server.url) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    playbookId = created.body.id;
    await addWorkers(2);
  }, 90_000);

  afterAll(async () => {
    for (const w of workers) {
      if (w.child.signalCode === 'SIGSTOP') w.child.kill('SIGCONT');
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    }
    await t?.close();
    await service?.server.close();
  });

  it('SIGKILL: the other worker resumes the run after the lease expires; finished steps do not run again', async () => {
    const began = Date.now();
    const { runId, holder } = await runUntilSlowStep();
    const survivor = alive().find((w) => w !== holder)!;
    holder.child.kill('SIGKILL');
    await until('the killed worker to exit', 5_000, () => (holder.child.signalCode === 'SIGKILL' ? true : undefined));

    const run = await finished(runId);
    expectResumedOnce(run, [survivor]);
    expect(alive()).toEqual([survivor]);
    expect(Date.now() - began).toBeLessThan(60_000);
  }, 90_000);

  it('a hung worker (SIGSTOP) loses the run to another; when it wakes up it runs no further step of it', async () => {
    await addWorkers(1);
    const { runId, holder } = await runUntilSlowStep();
    const other = alive().find((w) => w !== holder)!;
    holder.child.kill('SIGSTOP');
    const run = await finished(runId);
    expectResumedOnce(run, [other]);

    // Woken up, the old holder finds its lease gone: it stops without sending or recording anything.
    const before = new Map(service.counts);
    holder.child.kill('SIGCONT');
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
    expect(service.counts).toEqual(before);
    const after = (await t.get(t.ws(`/runs/${runId}`))).body;
    expect(after).toMatchObject({ status: 'succeeded', attempts: 2, finishedAt: run.finishedAt });
    expect(after.steps).toEqual(run.steps);
    expect(holder.child.exitCode).toBeNull();
  }, 90_000);
});
