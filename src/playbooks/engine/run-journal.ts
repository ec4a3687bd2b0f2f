import { insertRows, overwrite, updateRow, upsertRows } from '../../storage/bulk.js';
import type { Dialect, Executor } from '../../storage/dialect.js';
import { toJson } from '../../storage/json.js';
import type {
  ApprovalLinksTable,
  ApprovalsTable,
  PlaybookRunStepsTable,
  PlaybookRunsTable,
} from '../../storage/schema-playbooks.js';
import type { StepKind } from '../definition/definition-types.js';
import { LeaseLost } from './run-signals.js';

/** Where a step instance is: running, done, or waiting for time or a person. */
export type StepStatus = 'running' | 'succeeded' | 'failed' | 'waiting' | 'cancelled';

/** One step instance of a run, as recorded (and replayed when the run resumes). */
export interface StepRecord {
  key: string;
  id: string;
  parentKey: string | null;
  kind: StepKind;
  seq: number;
  status: StepStatus;
  attempts: number;
  input: unknown;
  output: unknown;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
}

/** Whether a record is final: a resumed run takes its result instead of running the step again. */
export const isFinished = (record: StepRecord | undefined): boolean =>
  record !== undefined && (record.status === 'succeeded' || record.status === 'failed' || record.status === 'cancelled');

/** The run-row fields a flush keeps current. */
export interface RunProgress {
  stepsExecuted: number;
  activeMs: number;
  /** Written once: the trigger data as the run first saw it. */
  context?: string;
}

/** What the journal needs: the database, the run, and this worker's lease on it. */
export interface JournalDeps {
  db: Executor;
  dialect: Dialect;
  now: () => number;
  workspaceId: string;
  runId: string;
  leaseOwner: string;
  leaseMs: number;
  /** Removes connection secrets from what is stored. */
  redact: (value: unknown) => unknown;
  progress: () => RunProgress;
}

const STEP_COLUMNS = [
  'step_id',
  'parent_key',
  'kind',
  'seq',
  'status',
  'attempts',
  'input',
  'output',
  'error',
  'started_at',
  'finished_at',
] as const;

/**
 * A run's step records: what earlier attempts finished (replayed on resume), and what this
 * attempt recorded but has not written yet. Steps without effects are buffered; `flush` writes
 * them (and the run's progress, checking the lease) before any step with effects starts, after
 * such a step returns, and when the run waits or ends. Flushes are serialized per run.
 */
export function createRunJournal(deps: JournalDeps, finished: StepRecord[]) {
  const memo = new Map(finished.map((r) => [r.key, r]));
  let pending = new Map<string, StepRecord>();
  let approvals: { approval: ApprovalsTable; links: ApprovalLinksTable[] }[] = [];
  let chain: Promise<void> = Promise.resolve();
  let seq = finished.reduce((max, r) => Math.max(max, r.seq), 0);
  // The claim just set the lease.
  let leaseRenewedAt = deps.now();

  const toRow = (r: StepRecord): PlaybookRunStepsTable => ({
    workspace_id: deps.workspaceId,
    run_id: deps.runId,
    step_key: r.key,
    step_id: r.id,
    parent_key: r.parentKey,
    kind: r.kind,
    seq: r.seq,
    status: r.status,
    attempts: r.attempts,
    input: r.input === undefined ? null : toJson(deps.redact(r.input)),
    output: r.output === undefined ? null : toJson(deps.redact(r.output)),
    error: r.error === null ? null : String(deps.redact(r.error)),
    started_at: r.startedAt,
    finished_at: r.finishedAt,
  });

  /**
   * Writes everything buffered, inside the caller's transaction, and checks the lease. The run row
   * is already `running` (the claim set it) and the worker's heartbeat renews the lease, so a step
   * rewrites neither unless a third of the lease has passed: fewer indexed columns change per step.
   */
  async function writeInto(trx: Executor, extra: Partial<PlaybookRunsTable> = {}): Promise<void> {
    const progress = deps.progress();
    const now = deps.now();
    const renew = now - leaseRenewedAt >= deps.leaseMs / 3;
    const changed = await updateRow(
      trx,
      deps.dialect,
      'playbook_runs',
      {
        steps_executed: progress.stepsExecuted,
        active_ms: progress.activeMs,
        ...(renew ? { lease_until: now + deps.leaseMs } : {}),
        ...(progress.context !== undefined ? { context: progress.context } : {}),
        ...extra,
      },
      { workspace_id: deps.workspaceId, id: deps.runId, lease_owner: deps.leaseOwner },
    );
    if (renew) leaseRenewedAt = now;
    if (changed === 0) throw new LeaseLost();
    const rows = [...pending.values()].map(toRow);
    const newApprovals = approvals;
    pending = new Map();
    approvals = [];
    await upsertRows(
      trx,
      deps.dialect,
      'playbook_run_steps',
      rows,
      ['workspace_id', 'run_id', 'step_key'],
      overwrite([...STEP_COLUMNS]),
    );
    for (const { approval, links } of newApprovals) {
      await insertRows(trx, deps.dialect, 'approvals', [approval]);
      await insertRows(trx, deps.dialect, 'approval_links', links);
    }
  }

  function serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = chain.then(work);
    chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  return {
    /** Records of steps finished (or started, for control steps) by earlier attempts. */
    memo,
    /** The next sequence number, so the step tree lists steps in the order they started. */
    nextSeq: () => (seq += 1),
    /** Buffers a record; a later record of the same step replaces it. */
    record(record: StepRecord): void {
      memo.set(record.key, record);
      pending.set(record.key, record);
    },
    /** Buffers a new approval request (written with the next flush, before anyone is notified). */
    addApproval(approval: ApprovalsTable, links: ApprovalLinksTable[]): void {
      approvals.push({ approval, links });
    },
    /** Writes what is buffered and the run's progress; throws LeaseLost if another worker owns the run. */
    flush(): Promise<void> {
      return serialized(() => deps.db.transaction().execute((trx) => writeInto(trx)));
    },
    /**
     * Runs `work` in a transaction that also writes the buffered records and the step's own
     * record made from the result: a built-in action's change and its record commit together.
     */
    within<T>(work: (trx: Executor) => Promise<T>, recordOf: (result: T) => StepRecord): Promise<T> {
      return serialized(() =>
        deps.db.transaction().execute(async (trx) => {
          const result = await work(trx);
          const record = recordOf(result);
          memo.set(record.key, record);
          pending.set(record.key, record);
          await writeInto(trx);
          return result;
        }),
      );
    },
    /** Writes what is buffered plus final run fields, in one transaction with `also` (run end, waits). */
    finalize(fields: Partial<PlaybookRunsTable>, also?: (trx: Executor) => Promise<void>): Promise<void> {
      return serialized(() =>
        deps.db.transaction().execute(async (trx) => {
          await writeInto(trx, fields);
          await also?.(trx);
        }),
      );
    },
  };
}

/** A run's journal. */
export type RunJournal = ReturnType<typeof createRunJournal>;
