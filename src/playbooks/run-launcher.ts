import type { Actor } from '../common/actor.js';
import { newId } from '../ids/ids.js';
import { insertRows } from '../storage/bulk.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { toJson } from '../storage/json.js';
import type { PlaybookRunsTable } from '../storage/schema-playbooks.js';
import type { RunTrigger } from './engine/run-context.js';
import type { RunQueue } from './engine/run-executor.js';

/** A run to create: which playbook version, what started it, with which inputs. */
export interface LaunchSpec {
  workspaceId: string;
  playbookId: string;
  playbookName: string;
  version: number;
  trigger: RunTrigger;
  inputs: Record<string, unknown>;
  startedBy: Actor;
  rerunOf?: string;
}

/**
 * Creates runs inside the caller's transaction (the write that triggered them) and enqueues
 * them: they execute after the commit, and not at all if it rolls back. Returns the run ids.
 */
export async function launchRuns(
  trx: Executor,
  dialect: Dialect,
  queue: RunQueue,
  specs: LaunchSpec[],
  now: number,
): Promise<string[]> {
  if (specs.length === 0) return [];
  const rows: PlaybookRunsTable[] = specs.map((spec) => ({
    workspace_id: spec.workspaceId,
    id: newId(now),
    playbook_id: spec.playbookId,
    playbook_name: spec.playbookName,
    playbook_version: spec.version,
    status: 'queued',
    trigger_kind: spec.trigger.kind,
    trigger: toJson(spec.trigger),
    inputs: toJson(spec.inputs),
    context: null,
    incident_id: spec.trigger.incidentId ?? null,
    alert_id: spec.trigger.alertId ?? null,
    started_by: toJson(spec.startedBy),
    rerun_of: spec.rerunOf ?? null,
    queued_at: now,
    started_at: null,
    finished_at: null,
    active_ms: 0,
    steps_executed: 0,
    message: null,
    wake_at: now,
    lease_owner: null,
    lease_until: null,
    attempts: 0,
    cancel_requested: 0,
  }));
  await insertRows(trx, dialect, 'playbook_runs', rows);
  await queue.enqueue(
    trx,
    rows.map((r) => ({ workspaceId: r.workspace_id, runId: r.id, runAt: now })),
  );
  return rows.map((r) => r.id);
}
