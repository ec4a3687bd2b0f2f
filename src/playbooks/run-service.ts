import { sql } from 'kysely';
import { requirePermission, type Access } from '../auth/permissions.js';
import { ConflictError, InputError, NotFoundError, RuleViolationError } from '../errors/errors.js';
import type { AlertService } from '../alerts/index.js';
import type { IncidentService } from '../incidents/index.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import { fromJson } from '../storage/json.js';
import { publishRunFinished } from '../events/outbox.js';
import type { PlaybookDefinition } from './definition/definition-types.js';
import type { RunTrigger } from './engine/run-context.js';
import { loadStepRecords } from './engine/step-records.js';
import { findVersion } from './playbook-repository.js';
import type { ManualRun } from './playbook-schemas.js';
import type { PlaybookService } from './playbook-service.js';
import type { LaunchBatcher } from './launch-batcher.js';
import { resolveInputs } from './run-inputs.js';
import { stepTree, toRun, type Run, type RunDetail, type RunStatus } from './run-views.js';
import type { RunWorker } from './worker/embedded-worker.js';

/** Filters of run lists. */
export interface RunQuery {
  playbookId?: string;
  incidentId?: string;
  status?: RunStatus[];
  since?: number;
  until?: number;
  limit: number;
  cursor?: string;
}

/** The smallest run id created at or after a time (run ids are time-ordered UUIDv7). */
function idAt(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

/** Playbook runs: history, details, manual runs, cancel and re-run. */
export type RunService = ReturnType<typeof createRunService>;

/** Builds the run service. */
export function createRunService({
  storage,
  now = Date.now,
  launcher,
  worker,
  playbooks,
  incidents,
  alerts,
}: {
  storage: Storage;
  now?: () => number;
  /** Starts runs of their own (manual, re-run), committing concurrent ones together. */
  launcher: LaunchBatcher;
  worker: () => RunWorker | undefined;
  playbooks: PlaybookService;
  incidents: IncidentService;
  alerts: AlertService;
}) {
  const { db, dialect } = storage;

  async function requireRun(executor: Executor, access: Access, id: string, lock = false) {
    let query = executor
      .selectFrom('playbook_runs')
      .selectAll()
      .where('workspace_id', '=', access.workspaceId!)
      .where('id', '=', id);
    if (lock && dialect.supportsRowLocks) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row) throw new NotFoundError(`Run ${id} not found in workspace ${access.workspaceId}`);
    return row;
  }

  async function definitionOf(
    executor: Executor,
    workspaceId: string,
    playbookId: string,
    version: number,
  ): Promise<PlaybookDefinition> {
    const v = await findVersion(executor, workspaceId, playbookId, version);
    if (!v?.definition) throw new RuleViolationError(`Version ${version} of the playbook has no valid definition`);
    return v.definition;
  }

  /** Checks the playbook can run on the target it is given, and builds the trigger. */
  async function triggerFor(access: Access, definition: PlaybookDefinition, name: string, body: ManualRun): Promise<RunTrigger> {
    const t = definition.trigger;
    const targets = t.type === 'manual' ? t.targets : t.type === 'incident' ? ['incident'] : t.type === 'alert' ? ['alert'] : [];
    const source = { type: access.actor.type, id: access.actor.id, name: access.actor.name };
    const target =
      body.entity !== undefined ? 'entity' : body.alert !== undefined ? 'alert' : body.incident !== undefined ? 'incident' : null;
    if (target && !targets.includes(target)) {
      throw new RuleViolationError(
        `Playbook ${name} cannot run on an ${target} (its trigger is ${t.type}${t.type === 'manual' ? `: ${t.targets.join(', ') || 'no target'}` : ''})`,
      );
    }
    if (!target && (t.type === 'incident' || t.type === 'alert')) {
      throw new InputError(`Playbook ${name} runs on an ${t.type}: give \`${t.type}\``, [
        { path: t.type, message: 'is required' },
      ]);
    }
    if (target === 'entity' && body.incident === undefined) {
      throw new InputError('Running on an entity needs `incident` too (the incident the entity belongs to)', [
        { path: 'incident', message: 'is required with entity' },
      ]);
    }
    if (body.alert !== undefined) {
      const alert = (await alerts.get(access, body.alert)) as { id: string; incidentId: string | null };
      return { kind: 'alert', alertId: alert.id, incidentId: alert.incidentId ?? undefined, source };
    }
    if (body.incident !== undefined) {
      const incident = await incidents.resolve(access, String(body.incident));
      if (body.entity !== undefined) {
        const entity = await db
          .selectFrom('entities')
          .select('id')
          .where('workspace_id', '=', access.workspaceId!)
          .where('incident_id', '=', incident.id)
          .where('id', '=', body.entity)
          .executeTakeFirst();
        if (!entity) throw new NotFoundError(`Entity ${body.entity} not found on incident ${incident.number}`);
        return { kind: 'entity', incidentId: incident.id, entityId: entity.id, source };
      }
      return { kind: 'incident', incidentId: incident.id, source };
    }
    return { kind: 'manual', source };
  }

  return {
    /** A page of runs, newest first, filtered by playbook, incident, status and time. */
    async list(access: Access, query: RunQuery): Promise<{ items: Run[]; nextCursor: string | null }> {
      requirePermission(access, 'playbooks.read');
      let q = db.selectFrom('playbook_runs').selectAll().where('workspace_id', '=', access.workspaceId!);
      if (query.playbookId) q = q.where('playbook_id', '=', query.playbookId);
      if (query.incidentId) q = q.where('incident_id', '=', query.incidentId);
      if (query.status?.length) q = q.where('status', 'in', query.status);
      if (query.since !== undefined) q = q.where('id', '>=', idAt(query.since));
      if (query.until !== undefined) q = q.where('id', '<', idAt(query.until));
      if (query.cursor) q = q.where('id', '<', query.cursor);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(query.limit + 1)
        .execute();
      const items = rows.slice(0, query.limit).map(toRun);
      return { items, nextCursor: rows.length > query.limit ? items[items.length - 1]!.id : null };
    },

    /** One run with its inputs and step tree (rendered inputs, outputs, errors, attempts, durations). */
    async get(access: Access, id: string): Promise<RunDetail> {
      requirePermission(access, 'playbooks.read');
      const row = await requireRun(db, access, id);
      const records = await loadStepRecords(db, row.workspace_id, row.id);
      return { ...toRun(row), inputs: fromJson(row.inputs, {}), steps: stepTree(records) };
    },

    /** Starts a playbook by hand on an incident, an alert or an entity (or on nothing, for manual/webhook/schedule playbooks). */
    async start(access: Access, playbookRef: string, body: ManualRun): Promise<Run> {
      requirePermission(access, 'playbooks.run');
      const p = await playbooks.requirePlaybook(db, access, playbookRef);
      if (!p.enabled) throw new RuleViolationError(`Playbook ${p.name} is disabled; enable it to run it`);
      const definition = await definitionOf(db, p.workspaceId, p.id, p.currentVersion);
      const trigger = await triggerFor(access, definition, p.name, body);
      const inputs = resolveInputs(definition.inputs, body.inputs);
      const runId = await launcher.launch({
        workspaceId: p.workspaceId,
        playbookId: p.id,
        playbookName: p.name,
        version: p.currentVersion,
        trigger,
        inputs,
        startedBy: access.actor,
      });
      return toRun(await requireRun(db, access, runId));
    },

    /** Cancels a run: at once if it is queued or waiting; a running one stops at its next step. */
    async cancel(access: Access, id: string): Promise<Run> {
      requirePermission(access, 'playbooks.run');
      const at = now();
      const row = await db.transaction().execute(async (trx) => {
        const run = await requireRun(trx, access, id, true);
        if (['succeeded', 'failed', 'cancelled'].includes(run.status))
          throw new ConflictError(`Run ${id} already ended (${run.status})`);
        const message = `cancelled by ${access.actor.name}`;
        if (run.status === 'running') {
          await trx
            .updateTable('playbook_runs')
            .set({ cancel_requested: 1 })
            .where('workspace_id', '=', run.workspace_id)
            .where('id', '=', id)
            .execute();
          return { ...run, cancel_requested: 1 };
        }
        const set = { status: 'cancelled', message, finished_at: at, wake_at: null, cancel_requested: 1 };
        await trx
          .updateTable('playbook_runs')
          .set(set)
          .where('workspace_id', '=', run.workspace_id)
          .where('id', '=', id)
          .execute();
        await trx
          .updateTable('approvals')
          .set({ status: 'cancelled', version: sql`version + 1` })
          .where('workspace_id', '=', run.workspace_id)
          .where('run_id', '=', id)
          .where('status', '=', 'pending')
          .execute();
        // The step it waited in (and the control steps around it) end with it.
        await trx
          .updateTable('playbook_run_steps')
          .set({ status: 'cancelled', finished_at: at })
          .where('workspace_id', '=', run.workspace_id)
          .where('run_id', '=', id)
          .where('status', 'in', ['running', 'waiting'])
          .execute();
        await trx
          .updateTable('playbooks')
          .set({ runs_total: sql`runs_total + 1`, last_run_id: id, last_run_status: 'cancelled', last_run_at: at })
          .where('workspace_id', '=', run.workspace_id)
          .where('id', '=', run.playbook_id)
          .execute();
        await publishRunFinished(trx, dialect, {
          workspaceId: run.workspace_id,
          runId: id,
          incidentId: run.incident_id,
          playbook: { id: run.playbook_id, name: run.playbook_name },
          status: 'cancelled',
          message,
          at,
        });
        return { ...run, ...set };
      });
      if (row.status === 'running') worker()?.cancel(id, access.actor.name);
      return toRun(row);
    },

    /** Runs a finished run again: the playbook's current version, the same trigger and inputs. */
    async rerun(access: Access, id: string): Promise<Run> {
      requirePermission(access, 'playbooks.run');
      const run = await requireRun(db, access, id);
      if (!['succeeded', 'failed', 'cancelled'].includes(run.status))
        throw new ConflictError(`Run ${id} has not ended yet (${run.status})`);
      const p = await playbooks.requirePlaybook(db, access, run.playbook_id);
      if (!p.enabled) throw new RuleViolationError(`Playbook ${p.name} is disabled; enable it to run it`);
      const trigger = {
        ...fromJson<RunTrigger>(run.trigger, { kind: 'manual' }),
        source: { type: access.actor.type, id: access.actor.id, name: access.actor.name },
      };
      const runId = await launcher.launch({
        workspaceId: p.workspaceId,
        playbookId: p.id,
        playbookName: p.name,
        version: p.currentVersion,
        trigger,
        inputs: fromJson(run.inputs, {}),
        startedBy: access.actor,
        rerunOf: id,
      });
      return toRun(await requireRun(db, access, runId));
    },
  };
}
