import type { EngineDeps, RunQueue } from '../engine/run-executor.js';
import { LeaseLost, RunCancelled } from '../engine/run-signals.js';
import type { Executor } from '../../storage/dialect.js';
import type { PlaybookRunsTable } from '../../storage/schema-playbooks.js';
import { claimDueRuns, claimRun, reapExpiredLeases, releaseLeases } from './run-claims.js';
import { hostRun, leaseOwnerName, type ActiveRuns } from './run-host.js';

/** Options of the in-process worker pool. */
export interface EmbeddedWorkerOptions {
  concurrency: number;
  /** Backstop poll for due runs (waits that end, runs enqueued by other processes). */
  pollMs: number;
}

/** A run being queued: due at `runAt`, or now. */
export type QueuedRun = Parameters<RunQueue['enqueue']>[1][number];

/** A worker pool inside the server process: what the embedded (SQLite) deployment runs playbooks with. */
export interface RunWorker {
  start(): void;
  /** Stops claiming, interrupts runs in flight and hands them back (they resume on the next start). */
  stop(): Promise<void>;
  /** Claims due runs now (after a commit that made some due) or at `at`. */
  wake(at?: number): void;
  /**
   * Inside the transaction that queues runs due now: claims as many as this worker has free
   * slots for, so they start without a claim of their own once that transaction is over (SQLite's
   * one connection makes their first read wait for it; if it rolls back, their lease is gone and
   * they stop at their first write). Returns the runs it did not take.
   */
  adopt(trx: Executor, runs: QueuedRun[]): Promise<QueuedRun[]>;
  /** Interrupts a run executing in this process. */
  cancel(runId: string, by: string): boolean;
}

/**
 * The embedded worker: claims due runs from the run table (the queue is the table's `wake_at`),
 * executes up to `concurrency` at a time, and re-queues runs whose worker stopped renewing its lease.
 */
export function createEmbeddedWorker(deps: EngineDeps, options: EmbeddedWorkerOptions): RunWorker {
  const owner = leaseOwnerName();
  const active: ActiveRuns = new Map();
  const inFlight = new Set<Promise<unknown>>();
  let stopped = true;
  /** Runs adopted in a transaction that have not started yet. */
  let adopting = 0;
  let polling = false;
  let again = false;
  /** Whether due runs may be waiting for a slot (a finished run then polls for them). */
  let backlog = true;
  let timers: NodeJS.Timeout[] = [];
  let nextWake: { at: number; timer: NodeJS.Timeout } | undefined;

  async function poll(): Promise<void> {
    if (polling) {
      again = true;
      return;
    }
    polling = true;
    try {
      do {
        again = false;
        const free = options.concurrency - active.size - adopting;
        if (stopped) break;
        if (free <= 0) {
          backlog = true;
          break;
        }
        // A claim acknowledges nothing: undone by a power loss, the runs are simply claimed again.
        const claimed = await deps.storage.deferredDb
          .transaction()
          .execute((trx) => claimDueRuns(trx, deps.storage.dialect, owner, deps.leaseMs, free, deps.now()));
        for (const { row } of claimed) host(row);
        if (claimed.length === free) again = true;
        else backlog = false;
      } while (again && !stopped);
    } catch (error) {
      deps.logger.error({ err: error }, 'claiming playbook runs failed');
    } finally {
      polling = false;
    }
  }

  function host(row: PlaybookRunsTable): void {
    const run = hostRun(deps, row, owner, active)
      .catch((error) => deps.logger.error({ err: error, runId: row.id }, 'playbook run attempt failed'))
      .finally(() => {
        inFlight.delete(run);
        if (!stopped && backlog) void poll();
      });
    inFlight.add(run);
  }

  async function reap(): Promise<void> {
    const reaped = await reapExpiredLeases(deps.storage.db, deps.now());
    if (reaped.length > 0) {
      deps.logger.warn({ runs: reaped.map((r) => r.runId) }, 'resuming playbook runs whose worker stopped');
      backlog = true;
      void poll();
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timers = [
        setInterval(() => void poll(), options.pollMs),
        setInterval(
          () => reap().catch((error) => deps.logger.error({ err: error }, 'reaping run leases failed')),
          deps.leaseMs / 2,
        ),
      ];
      for (const timer of timers) timer.unref();
      void reap().then(() => poll());
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      if (nextWake) clearTimeout(nextWake.timer);
      // Interrupted like a lost lease (nothing more is written), then handed back to be resumed.
      for (const controller of active.values()) controller.abort(new LeaseLost());
      await Promise.allSettled([...inFlight]);
      await releaseLeases(deps.storage.db, owner, deps.now());
    },
    wake(at) {
      if (stopped) return;
      const delay = at === undefined ? 0 : at - deps.now();
      if (delay <= 0) {
        backlog = true;
        setImmediate(() => void poll());
        return;
      }
      if (nextWake && nextWake.at <= at!) return;
      if (nextWake) clearTimeout(nextWake.timer);
      const timer = setTimeout(() => {
        nextWake = undefined;
        backlog = true;
        void poll();
      }, delay);
      timer.unref();
      nextWake = { at: at!, timer };
    },
    async adopt(trx, runs) {
      const rest: typeof runs = [];
      for (const run of runs) {
        const free = options.concurrency - active.size - adopting;
        const due = run.runAt === undefined || run.runAt <= deps.now();
        const row =
          due && !stopped && free > 0 && !active.has(run.runId)
            ? await claimRun(trx, deps.storage.dialect, run.workspaceId, run.runId, owner, deps.leaseMs, deps.now())
            : undefined;
        if (!row) {
          rest.push(run);
          continue;
        }
        adopting += 1;
        setImmediate(() => {
          adopting -= 1;
          if (!stopped) host(row);
        });
      }
      return rest;
    },
    cancel(runId, by) {
      const controller = active.get(runId);
      if (!controller) return false;
      controller.abort(new RunCancelled(by));
      return true;
    },
  };
}

/** The embedded queue: due runs are rows with `wake_at`; enqueueing only wakes the worker after the commit. */
export function embeddedQueue(worker: () => RunWorker | undefined): RunQueue {
  return {
    async enqueue(trx, runs) {
      const target = worker();
      if (!target) return;
      // The worker's claim waits for the connection this transaction holds, so it sees the commit.
      for (const run of await target.adopt(trx, runs)) target.wake(run.runAt);
    },
  };
}
