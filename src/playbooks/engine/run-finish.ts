import { sql } from 'kysely';
import { publishRunFinished } from '../../events/outbox.js';
import { runStatement } from '../../storage/bulk.js';
import type { PlaybookDefinition, Step } from '../definition/definition-types.js';
import { childLists } from './control-steps.js';
import type { Execution } from './execution.js';
import type { EngineDeps } from './run-executor.js';
import type { StepStatus } from './run-journal.js';

/** How a run ended. */
export interface RunEnd {
  status: 'succeeded' | 'failed' | 'cancelled';
  message: string | null;
}

/** Closes records left open by the end (a stop inside a branch, a failure elsewhere, a cancel). */
function closeOpenRecords(x: Execution, status: RunEnd['status'], at: number): void {
  for (const record of x.journal.memo.values()) {
    if (record.status !== 'running' && record.status !== 'waiting') continue;
    const closed: StepStatus = record.status === 'waiting' || status === 'cancelled' ? 'cancelled' : status;
    x.journal.record({ ...record, status: closed, finishedAt: at });
  }
}

const COUNT_RUN = `update playbooks set runs_total = runs_total + 1, runs_succeeded = runs_succeeded + ?,
  runs_failed = runs_failed + ?, last_run_id = ?, last_run_status = ?, last_run_at = ?
  where workspace_id = ? and id = ?`;

const withApprovals = new WeakMap<PlaybookDefinition, boolean>();

/** Whether a definition has approval steps (only then can a run leave approvals pending). */
function hasApprovalSteps(definition: PlaybookDefinition): boolean {
  let known = withApprovals.get(definition);
  if (known === undefined) {
    const any = (steps: Step[]): boolean => steps.some((s) => s.kind === 'approval' || childLists(s).some(any));
    known = any(definition.steps);
    withApprovals.set(definition, known);
  }
  return known;
}

/**
 * Writes a run's end with its last records, in one transaction: the run's status and message,
 * the playbook's run counts and last run, pending approvals of the run cancelled, and the
 * `playbookRun.finished` event for subscribers.
 */
export async function finishRun(deps: EngineDeps, x: Execution, end: RunEnd, startedAt: number): Promise<void> {
  const at = deps.now();
  closeOpenRecords(x, end.status, at);
  const { workspaceId, id, playbookId } = x.run;
  await x.journal.finalize(
    {
      status: end.status,
      message: end.message,
      finished_at: at,
      started_at: startedAt,
      lease_owner: null,
      lease_until: null,
      wake_at: null,
    },
    async (trx) => {
      if (hasApprovalSteps(x.definition)) {
        await trx
          .updateTable('approvals')
          .set({ status: 'cancelled', version: sql`version + 1` })
          .where('workspace_id', '=', workspaceId)
          .where('run_id', '=', id)
          .where('status', '=', 'pending')
          .execute();
      }
      await publishRunFinished(trx, deps.storage.dialect, {
        workspaceId,
        runId: id,
        incidentId: x.run.incidentId,
        playbook: { id: playbookId, name: x.run.playbookName },
        status: end.status,
        message: end.message,
        at,
      });
      // Last, so the playbook's row (every run of it ends here) stays locked only until the commit.
      await runStatement(trx, deps.storage.dialect, COUNT_RUN, [
        end.status === 'succeeded' ? 1 : 0,
        end.status === 'failed' ? 1 : 0,
        id,
        end.status,
        at,
        workspaceId,
        playbookId,
      ]);
    },
  );
}

/**
 * Writes that a run waits until `wakeAt` and schedules it then. If an approval of the run was
 * answered while this attempt was still executing, the run is due now instead (no lost wake-up:
 * answering locks the run row, and so does this write).
 */
export async function suspendRun(deps: EngineDeps, x: Execution, wakeAt: number): Promise<void> {
  const { workspaceId, id } = x.run;
  await x.journal.finalize({ status: 'waiting', wake_at: wakeAt, lease_owner: null, lease_until: null }, async (trx) => {
    const answered = await trx
      .selectFrom('approvals as a')
      .innerJoin('playbook_run_steps as s', (join) =>
        join
          .onRef('s.workspace_id', '=', 'a.workspace_id')
          .onRef('s.run_id', '=', 'a.run_id')
          .onRef('s.step_key', '=', 'a.step_key'),
      )
      .select('a.id')
      .where('a.workspace_id', '=', workspaceId)
      .where('a.run_id', '=', id)
      .where('a.status', '!=', 'pending')
      .where('s.status', '=', 'waiting')
      .limit(1)
      .executeTakeFirst();
    const due = answered ? deps.now() : wakeAt;
    if (answered) {
      await trx
        .updateTable('playbook_runs')
        .set({ wake_at: due })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .execute();
    }
    await deps.queue.enqueue(trx, [{ workspaceId, runId: id, runAt: due }]);
  });
}
