import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { executeRun, type AttemptOutcome, type EngineDeps } from '../engine/run-executor.js';
import { LeaseLost, RunCancelled } from '../engine/run-signals.js';
import type { PlaybookRunsTable } from '../../storage/schema-playbooks.js';
import { renewLease } from './run-claims.js';

/** A name for this worker's leases: host, process and a random part (restarts never reuse one). */
export function leaseOwnerName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** Runs being executed in this process, so a cancel can reach them at once. */
export type ActiveRuns = Map<string, AbortController>;

/**
 * Executes a claimed run while renewing its lease every third of the lease time. A lost lease
 * (another worker took the run over) or a cancel noted on the run interrupts the execution.
 */
export async function hostRun(
  deps: EngineDeps,
  row: PlaybookRunsTable,
  leaseOwner: string,
  active: ActiveRuns,
): Promise<AttemptOutcome> {
  const controller = new AbortController();
  active.set(row.id, controller);
  if (row.cancel_requested === 1) controller.abort(new RunCancelled(null));
  const heartbeat = setInterval(
    () => {
      renewLease(deps.storage.db, row.workspace_id, row.id, leaseOwner, deps.leaseMs, deps.now())
        .then(({ held, cancelRequested }) => {
          if (!held) controller.abort(new LeaseLost());
          else if (cancelRequested) controller.abort(new RunCancelled(null));
        })
        .catch((error) => deps.logger.warn({ err: error, runId: row.id }, 'could not renew a run lease'));
    },
    Math.max(50, Math.floor(deps.leaseMs / 3)),
  );
  try {
    return await executeRun(deps, row, leaseOwner, controller.signal);
  } finally {
    clearInterval(heartbeat);
    active.delete(row.id);
  }
}
