import { withDeferredFlush } from '../../storage/durability.js';
import type { EngineDeps, RunQueue } from '../engine/run-executor.js';
import { LeaseLost, RunCancelled } from '../engine/run-signals.js';
import { claimDueRuns, reapExpiredLeases, releaseLeases } from './run-claims.js';
import { hostRun, leaseOwnerName, type ActiveRuns } from './run-host.js';

/** Options of the in-process worker pool. */
export interface EmbeddedWorkerOptions {
  concurrency: number;
  /** Backstop poll for due runs (waits that end, runs enqueued by other processes). */
  pollMs: number;
}

/** A worker pool inside the server process: what the embedded (SQLite) deployment runs playbooks with. */
export interface RunWorker {
  start(): void;
  /** Stops claiming, interrupts runs in flight and hands them back (they resume on the next start). */
  stop(): Promise<void>;
  /** Claims due runs now (after a commit that made some due) or at `at`. */
  wake(at?: number): void;
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
  let polling = false;
  let again = false;
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
        const free = options.concurrency - active.size;
        if (free <= 0 || stopped) break;
        // A claim acknowledges nothing: undone by a power loss, the runs are simply claimed again.
        const claimed = await withDeferredFlush(() =>
          deps.storage.db.transaction().execute((trx) => claimDueRuns(trx, owner, deps.leaseMs, free, deps.now())),
        );
        for (const { row } of claimed) {
          const run = hostRun(deps, row, owner, active)
            .catch((error) => deps.logger.error({ err: error, runId: row.id }, 'playbook run attempt failed'))
            .finally(() => {
              inFlight.delete(run);
              if (!stopped) void poll();
            });
          inFlight.add(run);
        }
        if (claimed.length === free) again = true;
      } while (again && !stopped);
    } catch (error) {
      deps.logger.error({ err: error }, 'claiming playbook runs failed');
    } finally {
      polling = false;
    }
  }

  async function reap(): Promise<void> {
    const reaped = await reapExpiredLeases(deps.storage.db, deps.now());
    if (reaped.length > 0) {
      deps.logger.warn({ runs: reaped.map((r) => r.runId) }, 'resuming playbook runs whose worker stopped');
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
        setImmediate(() => void poll());
        return;
      }
      if (nextWake && nextWake.at <= at!) return;
      if (nextWake) clearTimeout(nextWake.timer);
      const timer = setTimeout(() => {
        nextWake = undefined;
        void poll();
      }, delay);
      timer.unref();
      nextWake = { at: at!, timer };
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
    async enqueue(_trx, runs) {
      // The worker's claim waits for the connection this transaction holds, so it sees the commit.
      for (const run of runs) worker()?.wake(run.runAt);
    },
  };
}
