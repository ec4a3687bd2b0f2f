import { runStatement } from '../../storage/bulk.js';
import type { Dialect, Executor } from '../../storage/dialect.js';
import type { PlaybookRunsTable } from '../../storage/schema-playbooks.js';

/** A run handed to a worker. */
export interface ClaimedRun {
  row: PlaybookRunsTable;
  leaseOwner: string;
}

/**
 * Claims due runs for a worker: queued or waiting runs whose time has come, in the order they
 * became due. Each claim is a conditional update (the run must still be due and unleased), so
 * two workers never claim the same run.
 */
export async function claimDueRuns(
  db: Executor,
  dialect: Dialect,
  leaseOwner: string,
  leaseMs: number,
  limit: number,
  now: number,
): Promise<ClaimedRun[]> {
  const due = await db
    .selectFrom('playbook_runs')
    .select(['workspace_id', 'id'])
    .where('wake_at', '<=', now)
    .orderBy('wake_at')
    .limit(limit)
    .execute();
  const claimed: ClaimedRun[] = [];
  for (const run of due) {
    const row = await claimRun(db, dialect, run.workspace_id, run.id, leaseOwner, leaseMs, now);
    if (row) claimed.push({ row, leaseOwner });
  }
  return claimed;
}

const CLAIM_RUN = `update playbook_runs
  set status = 'running', lease_owner = ?, lease_until = ?, wake_at = null, attempts = attempts + 1,
    started_at = coalesce(started_at, ?)
  where workspace_id = ? and id = ? and wake_at <= ? and status in ('queued', 'waiting')
  returning *`;

/** Claims one run if it is due and nobody holds it; returns the run, or undefined. */
export async function claimRun(
  db: Executor,
  dialect: Dialect,
  workspaceId: string,
  runId: string,
  leaseOwner: string,
  leaseMs: number,
  now: number,
): Promise<PlaybookRunsTable | undefined> {
  // Every run passes here (often several times): written once, not built per call.
  const [row] = await runStatement<PlaybookRunsTable>(db, dialect, CLAIM_RUN, [
    leaseOwner,
    now + leaseMs,
    now,
    workspaceId,
    runId,
    now,
  ]);
  return row;
}

/**
 * Makes runs whose worker stopped renewing its lease due again (the worker died or hung): they
 * resume from their records on the next claim. Returns them so the caller can enqueue them.
 */
export async function reapExpiredLeases(
  db: Executor,
  now: number,
  limit = 100,
): Promise<{ workspaceId: string; runId: string }[]> {
  const expired = await db
    .selectFrom('playbook_runs')
    .select(['workspace_id', 'id', 'lease_owner'])
    .where('lease_until', '<', now)
    .limit(limit)
    .execute();
  const reaped: { workspaceId: string; runId: string }[] = [];
  for (const run of expired) {
    const result = await db
      .updateTable('playbook_runs')
      .set({ status: 'queued', lease_owner: null, lease_until: null, wake_at: now })
      .where('workspace_id', '=', run.workspace_id)
      .where('id', '=', run.id)
      .where('lease_owner', '=', run.lease_owner)
      .where('lease_until', '<', now)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) reaped.push({ workspaceId: run.workspace_id, runId: run.id });
  }
  return reaped;
}

/** Renews a lease; returns whether it is still held and whether a cancel was asked for. */
export async function renewLease(
  db: Executor,
  workspaceId: string,
  runId: string,
  leaseOwner: string,
  leaseMs: number,
  now: number,
): Promise<{ held: boolean; cancelRequested: boolean }> {
  const row = await db
    .updateTable('playbook_runs')
    .set({ lease_until: now + leaseMs })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', runId)
    .where('lease_owner', '=', leaseOwner)
    .returning(['cancel_requested'])
    .executeTakeFirst();
  return { held: row !== undefined, cancelRequested: row?.cancel_requested === 1 };
}

/** Hands back every run a stopping worker holds: they are due again at once, for whichever worker is next. */
export async function releaseLeases(
  db: Executor,
  leaseOwner: string,
  now: number,
): Promise<{ workspaceId: string; runId: string }[]> {
  const rows = await db
    .updateTable('playbook_runs')
    .set({ status: 'queued', lease_owner: null, lease_until: null, wake_at: now })
    .where('lease_until', 'is not', null)
    .where('lease_owner', '=', leaseOwner)
    .returning(['workspace_id', 'id'])
    .execute();
  return rows.map((r) => ({ workspaceId: r.workspace_id, runId: r.id }));
}
