import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { projectRoot } from '../src/app/version.js';
import type { StorageTarget } from '../src/config/config.js';
import { createBenchDatabase } from './databases.js';
import { TEN_STEP_PLAYBOOK, WEBHOOK_TRIAGE_PLAYBOOK, triagePayload } from './playbook-workloads.js';
import { benchEnv, createToken, startServer } from './server-process.js';
import { percentile, printTable, round } from './stats.js';

const VIGIL = path.join(projectRoot(), 'bin', 'vigil.js');

/** Reads the benchmark database directly (counts and timings the API does not aggregate). */
async function queryRows<T>(target: StorageTarget, text: string): Promise<T[]> {
  if (target.kind === 'sqlite') {
    const db = new Database(target.file, { readonly: true });
    try {
      return db.prepare(text).all() as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

type RunCounter = { count(): Promise<number>; close(): Promise<void> };

/** Counts finished runs over one connection kept open while polling. */
async function finishedRunCounter(target: StorageTarget): Promise<RunCounter> {
  const text = `select count(*) as n from playbook_runs where status in ('succeeded', 'failed', 'cancelled')`;
  if (target.kind === 'sqlite') {
    const db = new Database(target.file, { readonly: true });
    const statement = db.prepare(text);
    return {
      count: async () => Number((statement.get() as { n: number }).n),
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  return {
    count: async () => Number((await client.query(text)).rows[0].n),
    close: () => client.end(),
  };
}

/** Sends `count` requests, `concurrency` at a time; returns each one's latency in ms. */
async function fanOut(count: number, concurrency: number, send: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await send(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return latencies;
}

/** Polls until `total` runs have finished, every `pollMs`; throws after `timeoutMs`. */
async function waitForCount(counter: RunCounter, total: number, timeoutMs: number, pollMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const finished = await counter.count();
    if (finished >= total) return;
    if (Date.now() > deadline) throw new Error(`only ${finished} of ${total} runs finished in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Waits until `total` runs have finished and checks that all of them succeeded. */
async function waitForRuns(target: StorageTarget, total: number, timeoutMs: number): Promise<void> {
  const counter = await finishedRunCounter(target);
  try {
    await waitForCount(counter, total, timeoutMs, 50);
  } finally {
    await counter.close();
  }
  const [failed] = await queryRows<{ n: number | string; m: string | null }>(
    target,
    `select count(*) as n, max(message) as m from playbook_runs where status <> 'succeeded'`,
  );
  if (Number(failed!.n) > 0) throw new Error(`${failed!.n} runs did not succeed, e.g.: ${failed!.m}`);
}

/** Starts `vigil worker` processes (PostgreSQL mode). */
function startWorkers(env: NodeJS.ProcessEnv, count: number): ChildProcess[] {
  return Array.from({ length: count }, () => spawn('node', [VIGIL, 'worker'], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
}

/** Stops a worker process and waits until it exited (its runs are handed back). */
function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Milliseconds from each run's enqueue to its first step's start, for runs started one at a time. */
async function startLatencies(target: StorageTarget): Promise<number[]> {
  const rows = await queryRows<{ queued: number | string; first: number | string }>(
    target,
    `select r.queued_at as queued, min(s.started_at) as first from playbook_runs r
       join playbook_run_steps s on s.workspace_id = r.workspace_id and s.run_id = r.id group by r.id, r.queued_at`,
  );
  return rows.map((r) => Number(r.first) - Number(r.queued));
}

/**
 * p50 / p99 and mean of run times. The runs' timestamps are whole milliseconds, so each time is off
 * by up to 1 ms; their mean is not.
 */
function unloadedFigures(times: number[]): string {
  const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
  return `p50 / p99 ${round(percentile(times, 50))} / ${round(percentile(times, 99))} ms, mean ${round(mean, 2)} ms (target p50 < 2 ms)`;
}

/**
 * Built-in action throughput and enqueue → first step latency: a 10-step playbook of built-in
 * incident actions over `incidents` incidents, started through the API; embedded workers on
 * SQLite, the API with `--no-worker` and two `vigil worker` processes on PostgreSQL.
 */
export async function benchPlaybookRuns(kind: 'sqlite' | 'postgres', options: { incidents: number; serverUrl?: string }) {
  const database = await createBenchDatabase(kind, options.serverUrl);
  const env = { ...benchEnv(database.target), VIGIL_SECRET_KEY: 'ab'.repeat(32) };
  const workers: ChildProcess[] = [];
  try {
    const token = await createToken(env);
    let server = await startServer(kind === 'postgres' ? { ...env, VIGIL_WORKERS: '0' } : env);
    if (kind === 'postgres') workers.push(...startWorkers(env, 2));
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    let base = `${server.url}/api/v1/workspaces/default`;
    const created = await fetch(`${base}/playbooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ source: TEN_STEP_PLAYBOOK }),
    });
    if (created.status !== 201) throw new Error(`creating the playbook failed: ${await created.text()}`);
    const playbook = ((await created.json()) as { id: string }).id;
    const probes = 200;
    await fanOut(options.incidents + probes, 16, async (i) => {
      const response = await fetch(`${base}/incidents`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ title: `bench incident ${i}`, severity: 'Low' }),
      });
      if (response.status !== 201) throw new Error(`creating an incident failed: ${await response.text()}`);
    });
    const start = (number: number) =>
      fetch(`${base}/playbooks/${playbook}/runs`, { method: 'POST', headers, body: JSON.stringify({ incident: number }) }).then(
        async (r) => {
          if (r.status !== 202) throw new Error(`starting a run failed: ${await r.text()}`);
        },
      );

    // Unloaded: one run at a time, a little apart, for enqueue → first step.
    if (kind === 'postgres') await new Promise((r) => setTimeout(r, 2000)); // workers connected
    for (let i = 1; i <= probes; i++) {
      await start(i);
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitForRuns(database.target, probes, 60_000);
    const latencies = await startLatencies(database.target);

    // Throughput: every other incident's run queued through the API with no worker running, then
    // the queue drained by the workers (the engine alone), timed until the last run finished.
    if (kind === 'sqlite') {
      await server.stop();
      server = await startServer({ ...env, VIGIL_WORKERS: '0' });
    } else {
      for (const w of workers.splice(0)) await stopProcess(w);
    }
    base = `${server.url}/api/v1/workspaces/default`;
    const t0 = performance.now();
    const enqueue = await fanOut(options.incidents, 16, (i) => start(probes + 1 + i));
    const enqueuedMs = performance.now() - t0;
    const t1 = performance.now();
    if (kind === 'sqlite') {
      await server.stop();
      server = await startServer(env);
    } else {
      workers.push(...startWorkers(env, 2));
    }
    await waitForRuns(database.target, options.incidents + probes, 30 * 60_000);
    const drainMs = performance.now() - t1;
    await server.stop();
    const mode = kind === 'postgres' ? 'API --no-worker + 2 `vigil worker` processes' : 'embedded worker pool (16)';
    printTable(`Playbook runs: 10 built-in actions per run — ${database.name}, ${mode}`, [
      [
        'enqueue → first step, unloaded p50 / p95 / p99',
        `${round(percentile(latencies, 50))} / ${round(percentile(latencies, 95))} / ${round(percentile(latencies, 99))} ms (target p99 < ${kind === 'postgres' ? 250 : 50} ms)`,
      ],
      [
        `${options.incidents} runs queued through the API (16 concurrent)`,
        `${round(enqueuedMs / 1000, 2)} s (${round((options.incidents * 1000) / enqueuedMs)} runs/s; POST p50 / p99 ${round(percentile(enqueue, 50))} / ${round(percentile(enqueue, 99))} ms)`,
      ],
      [`then executed (${options.incidents * 10} actions)`, `${round(drainMs / 1000, 2)} s, incl. worker start`],
      ['runs/s', round((options.incidents / drainMs) * 1000)],
      ['built-in actions/s', `${round((options.incidents * 10 * 1000) / drainMs)} (target ≥ 2,000)`],
      ['total: queued + executed', `${round((enqueuedMs + drainMs) / 1000, 2)} s`],
    ]);
  } finally {
    for (const w of workers) await stopProcess(w);
    await database.drop();
  }
}

/** The webhook-triggered 11-step triage playbook: runs/s at 10 concurrent senders, every run persisted; p50 unloaded. */
export async function benchWebhookRuns(kind: 'sqlite' | 'postgres', options: { runs: number; serverUrl?: string }) {
  const database = await createBenchDatabase(kind, options.serverUrl);
  const env = { ...benchEnv(database.target), VIGIL_SECRET_KEY: 'ab'.repeat(32) };
  try {
    const token = await createToken(env);
    const server = await startServer(env);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const base = `${server.url}/api/v1/workspaces/default`;
    const created = await fetch(`${base}/playbooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ source: WEBHOOK_TRIAGE_PLAYBOOK }),
    });
    if (created.status !== 201) throw new Error(`creating the playbook failed: ${await created.text()}`);
    const hook = ((await created.json()) as { webhook: { url: string } }).webhook.url.replace(/^https?:\/\/[^/]+/, server.url);
    const send = async (i: number) => {
      const response = await fetch(hook, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(triagePayload(i)),
      });
      if (response.status !== 202) throw new Error(`the webhook answered ${response.status}: ${await response.text()}`);
    };
    // Unloaded: one at a time, timed by the runs' own records. First back to back (the next webhook
    // as soon as the previous run finished), then with the server idle for 50 ms before each webhook.
    const probes = 100;
    const counter = await finishedRunCounter(database.target);
    try {
      for (let i = 0; i < 2 * probes; i++) {
        if (i >= probes) await new Promise((r) => setTimeout(r, 50));
        await send(i);
        await waitForCount(counter, i + 1, 10_000, 1);
      }
    } finally {
      await counter.close();
    }
    await waitForRuns(database.target, 2 * probes, 10_000);
    const unloaded = (
      await queryRows<{ d: number | string }>(
        database.target,
        `select finished_at - queued_at as d from playbook_runs order by queued_at, id`,
      )
    ).map((r) => Number(r.d));
    const t0 = performance.now();
    const accepted = await fanOut(options.runs, 10, (i) => send(2 * probes + i));
    await waitForRuns(database.target, options.runs + 2 * probes, 10 * 60_000);
    const totalMs = performance.now() - t0;
    const [steps] = await queryRows<{ n: number | string }>(database.target, `select count(*) as n from playbook_run_steps`);
    await server.stop();
    printTable(`Webhook → 11-step triage playbook, every run persisted — ${database.name}, 10 concurrent senders`, [
      ['runs/s (received → finished)', `${round((options.runs * 1000) / totalMs)} (target ≥ 1,000)`],
      ['webhook answer while loaded p50 / p99', `${round(percentile(accepted, 50))} / ${round(percentile(accepted, 99))} ms`],
      ['unloaded, back to back: run queued → finished', unloadedFigures(unloaded.slice(0, probes))],
      ['unloaded, 50 ms apart: run queued → finished', unloadedFigures(unloaded.slice(probes))],
      ['step records written', Number(steps!.n)],
    ]);
  } finally {
    await database.drop();
  }
}
