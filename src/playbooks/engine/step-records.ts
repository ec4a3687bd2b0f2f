import type { Executor } from '../../storage/dialect.js';
import { fromJson } from '../../storage/json.js';
import type { PlaybookRunStepsTable } from '../../storage/schema-playbooks.js';
import type { StepKind } from '../definition/definition-types.js';
import type { StepRecord, StepStatus } from './run-journal.js';

/** A stored step row as a record. */
export function stepRecordOf(row: PlaybookRunStepsTable): StepRecord {
  return {
    key: row.step_key,
    id: row.step_id,
    parentKey: row.parent_key,
    kind: row.kind as StepKind,
    seq: row.seq,
    status: row.status as StepStatus,
    attempts: row.attempts,
    input: fromJson(row.input, undefined),
    output: fromJson(row.output, undefined),
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** Every step record of a run, in the order the steps started. */
export async function loadStepRecords(db: Executor, workspaceId: string, runId: string): Promise<StepRecord[]> {
  const rows = await db
    .selectFrom('playbook_run_steps')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('run_id', '=', runId)
    .orderBy('seq')
    .execute();
  return rows.map(stepRecordOf);
}
