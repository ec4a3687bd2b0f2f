import type { Logger as GraphileLogger, Runner } from 'graphile-worker';
import { sql } from 'kysely';
import type pg from 'pg';
import type { Logger } from '../../logging/logger.js';
import type { EngineDeps, RunQueue } from '../engine/run-executor.js';
import { LeaseLost, RunCancelled } from '../engine/run-signals.js';
import { claimRun, reapExpiredLeases, releaseLeases } from './run-claims.js';
import { hostRun, leaseOwnerName, type ActiveRuns } from './run-host.js';
import type { RunWorker } from './embedded-worker.js';

const TASK = 'vigil_run';
/** Runs due longer ago than this without a worker picking them up get their job added again. */
const MISSED_AFTER_MS = 10_000;

// graphile-worker and pg load when a PostgreSQL queue is first used, not at every start.
const graphile = () => import('graphile-worker');

/** graphile-worker's log lines through our logger (debug noise dropped). */
async function graphileLogger(logger: Logger): Promise<GraphileLogger> {
  const { Logger: GraphileLogger } = await graphile();
  return new GraphileLogger(() => (level, message, meta) => {
    if (level === 'error') logger.error({ graphile: meta }, message);
    else if (level === 'warning') logger.warn({ graphile: meta }, message);
  });
}

/** Installs (or upgrades) graphile-worker's schema, so API processes can enqueue before any worker starts. */
export async function installJobQueue(connectionString: string, logger: Logger): Promise<void> {
  const { runMigrations } = await graphile();
  await runMigrations({ connectionString, logger: await graphileLogger(logger) });
}

/**
 * The PostgreSQL queue: one graphile-worker job per due run, added inside the transaction that
 * made it due (so it exists if and only if the transaction commits). The run id is the job key:
 * re-enqueueing a waiting run moves its job instead of adding another.
 */
export function graphileQueue(): RunQueue {
  return {
    async enqueue(trx, runs) {
      if (runs.length === 0) return;
      const now = Date.now();
      await sql`select graphile_worker.add_job(${TASK}, json_build_object('w', w, 'r', r), run_at := to_timestamp(t / 1000.0), job_key := r, job_key_mode := 'replace')
        from unnest(${runs.map((r) => r.workspaceId)}::text[], ${runs.map((r) => r.runId)}::text[], ${runs.map((r) => r.runAt ?? now)}::float8[]) as x(w, r, t)`.execute(
        trx,
      );
    },
  };
}

/**
 * Workers on PostgreSQL: graphile-worker hands out jobs (LISTEN/NOTIFY, so a job starts within
 * milliseconds); each job claims its run's lease and executes it. A sweeper re-queues runs whose
 * worker died (expired lease) and due runs whose job went missing. Any number of processes share
 * the work.
 */
export function createGraphileWorker(
  deps: EngineDeps,
  options: { connectionString: string; concurrency: number; sweepMs?: number },
): RunWorker {
  const owner = leaseOwnerName();
  const active: ActiveRuns = new Map();
  const queue = graphileQueue();
  let runner: Runner | undefined;
  let pool: pg.Pool | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let starting: Promise<void> | undefined;

  async function handle(payload: unknown): Promise<void> {
    const { w, r } = payload as { w: string; r: string };
    const row = await claimRun(deps.storage.db, deps.storage.dialect, w, r, owner, deps.leaseMs, deps.now());
    if (!row) return;
    await hostRun(deps, row, owner, active);
  }

  async function sweep(): Promise<void> {
    const { db } = deps.storage;
    const reaped = await reapExpiredLeases(db, deps.now());
    const missed = await db
      .selectFrom('playbook_runs')
      .select(['workspace_id as workspaceId', 'id as runId', 'wake_at'])
      .where('wake_at', '<', deps.now() - MISSED_AFTER_MS)
      .limit(100)
      .execute();
    const runs = [
      ...reaped,
      ...missed.map((m) => ({ workspaceId: m.workspaceId, runId: m.runId, runAt: m.wake_at ?? undefined })),
    ];
    if (runs.length > 0) await db.transaction().execute((trx) => queue.enqueue(trx, runs));
  }

  return {
    start() {
      starting ??= (async () => {
        // Our own pool, so stop() can wait until its connections are closed (graphile-worker does
        // not wait for a pool it made, and drops its error handlers before the connections end).
        const { default: pgModule } = await import('pg');
        const { run } = await graphile();
        pool = new pgModule.Pool({ connectionString: options.connectionString, max: 10 });
        const onError = (error: Error) => deps.logger.warn({ err: error }, 'job queue connection failed');
        pool.on('error', onError);
        pool.on('connect', (client) => client.on('error', onError));
        runner = await run({
          pgPool: pool,
          concurrency: options.concurrency,
          noHandleSignals: true,
          pollInterval: 2_000,
          logger: await graphileLogger(deps.logger),
          taskList: { [TASK]: (payload) => handle(payload) },
        });
        const sweepNow = () => sweep().catch((error) => deps.logger.error({ err: error }, 'sweeping playbook runs failed'));
        sweeper = setInterval(sweepNow, options.sweepMs ?? 5_000);
        sweeper.unref();
        // Runs whose worker died while no worker was up resume now, not a sweep later.
        void sweepNow();
      })();
    },
    async stop() {
      await starting?.catch(() => {});
      if (sweeper) clearInterval(sweeper);
      for (const controller of active.values()) controller.abort(new LeaseLost());
      await runner?.stop();
      await pool?.end();
      const released = await releaseLeases(deps.storage.db, owner, deps.now());
      if (released.length > 0) await deps.storage.db.transaction().execute((trx) => queue.enqueue(trx, released));
    },
    wake() {},
    // Runs reach a PostgreSQL worker through the job queue only.
    async adopt(_trx, runs) {
      return runs;
    },
    cancel(runId, by) {
      const controller = active.get(runId);
      if (!controller) return false;
      controller.abort(new RunCancelled(by));
      return true;
    },
  };
}
