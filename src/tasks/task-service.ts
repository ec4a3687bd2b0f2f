import { insertActivity, type FieldChange } from '../activity/index.js';
import { requirePermission, type Access } from '../auth/permissions.js';
import type { Actor } from '../common/actor.js';
import { renderRichText } from '../common/markdown.js';
import { NotFoundError, PreconditionFailedError } from '../errors/errors.js';
import { isoTime } from '../http/cursor.js';
import { etagOf } from '../http/schemas.js';
import { findIncident, type IncidentRecord } from '../incidents/index.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import { addTasks, taskSnapshot } from './task-changes.js';
import { adjustTaskCounts, deleteTaskRow, findTask, listTasks, updateTaskRow, type TaskRecord } from './task-repository.js';
import type { Task, TaskCreate, TaskPatch } from './task-schemas.js';

/** A task as the API returns it. */
export function toTask(task: TaskRecord): Task {
  return {
    id: task.id,
    incidentId: task.incidentId,
    order: task.position,
    title: task.title,
    description: task.description,
    descriptionHtml: renderRichText(task.description),
    status: task.status,
    createdBy: task.createdBy,
    manual: task.createdBy.type === 'user',
    lastModifiedBy: task.lastModifiedBy,
    completedBy: task.completedBy,
    createdAt: isoTime(task.createdAt),
    updatedAt: isoTime(task.updatedAt),
    completedAt: isoTime(task.completedAt),
    etag: etagOf(task.version),
  };
}

/** Applies a change to a task: edits, completion (who and when) and re-opening. Pure. */
export function applyTaskChange(
  task: TaskRecord,
  patch: TaskPatch,
  actor: Actor,
  at: number,
): { next: TaskRecord; changes: FieldChange[] } {
  const next: TaskRecord = { ...task };
  if (patch.title !== undefined) next.title = patch.title;
  if (patch.description !== undefined) next.description = patch.description;
  if (patch.status !== undefined && patch.status !== task.status) {
    next.status = patch.status;
    next.completedAt = patch.status === 'Completed' ? at : null;
    next.completedBy = patch.status === 'Completed' ? actor : null;
  }
  const changed = next.title !== task.title || next.description !== task.description || next.status !== task.status;
  if (!changed) return { next: task, changes: [] };
  next.lastModifiedBy = actor;
  next.updatedAt = at;
  next.version = task.version + 1;
  const from = { ...taskSnapshot(task), ...(next.description !== task.description ? { description: task.description } : {}) };
  const to = { ...taskSnapshot(next), ...(next.description !== task.description ? { description: next.description } : {}) };
  return { next, changes: [{ field: 'task', from, to }] };
}

/** Incident tasks: the checklist people, automation rules and playbooks fill and tick off. */
export type TaskService = ReturnType<typeof createTaskService>;

/** Builds the task service. */
export function createTaskService({ storage, now = Date.now }: { storage: Storage; now?: () => number }) {
  const { db, dialect } = storage;

  async function incidentOf(access: Access, ref: string, executor: Executor = db, lock = false): Promise<IncidentRecord> {
    const incident = await findIncident(executor, access.workspaceId!, ref, lock ? dialect : undefined);
    if (!incident) throw new NotFoundError(`Incident ${ref} not found in workspace ${access.workspaceId}`);
    return incident;
  }

  async function taskOf(executor: Executor, incident: IncidentRecord, id: string): Promise<TaskRecord> {
    const task = await findTask(executor, incident.workspaceId, incident.id, id);
    if (!task) throw new NotFoundError(`Task ${id} not found on incident ${incident.number}`);
    return task;
  }

  /** Adds an ad-hoc task inside the caller's transaction (playbook actions record their step with it). */
  async function addWithin(trx: Executor, access: Access, ref: string, input: TaskCreate): Promise<TaskRecord> {
    requirePermission(access, 'incidents.write');
    const incident = await incidentOf(access, ref, trx, true);
    const [task] = await addTasks(trx, dialect, incident, [input], access.actor, now());
    return task!;
  }

  /** Edits, completes or re-opens a task inside the caller's transaction. */
  async function updateWithin(
    trx: Executor,
    access: Access,
    ref: string,
    id: string,
    patch: TaskPatch,
    ifMatch?: string,
  ): Promise<TaskRecord> {
    requirePermission(access, 'incidents.write');
    const at = now();
    const incident = await incidentOf(access, ref, trx, true);
    const current = await taskOf(trx, incident, id);
    if (ifMatch !== undefined && ifMatch !== String(current.version)) {
      throw new PreconditionFailedError(`Task "${current.title}" was changed by someone else; reload it and try again`, {
        currentEtag: etagOf(current.version),
      });
    }
    const { next, changes } = applyTaskChange(current, patch, access.actor, at);
    if (changes.length === 0) return current;
    if (!(await updateTaskRow(trx, next, current.version))) {
      throw new PreconditionFailedError(`Task "${current.title}" was changed by someone else; reload it and try again`);
    }
    const completedDelta = (next.status === 'Completed' ? 1 : 0) - (current.status === 'Completed' ? 1 : 0);
    if (completedDelta !== 0)
      await adjustTaskCounts(trx, incident.workspaceId, incident.id, { total: 0, completed: completedDelta }, at);
    const action = completedDelta > 0 ? 'taskCompleted' : completedDelta < 0 ? 'taskReopened' : 'taskUpdated';
    await insertActivity(trx, dialect, [
      { workspaceId: incident.workspaceId, incidentId: incident.id, action, actor: access.actor, changes, at },
    ]);
    return next;
  }

  return {
    /** An incident's tasks in order. */
    async list(access: Access, ref: string): Promise<Task[]> {
      requirePermission(access, 'incidents.read');
      const incident = await incidentOf(access, ref);
      return (await listTasks(db, incident.workspaceId, incident.id)).map(toTask);
    },

    /** One task. */
    async get(access: Access, ref: string, id: string): Promise<Task> {
      requirePermission(access, 'incidents.read');
      return toTask(await taskOf(db, await incidentOf(access, ref), id));
    },

    /** Adds an ad-hoc task (the 41st is refused, naming the limit). */
    async add(access: Access, ref: string, input: TaskCreate): Promise<Task> {
      return toTask(await db.transaction().execute((trx) => addWithin(trx, access, ref, input)));
    },

    addWithin,

    /** Edits a task, marks it complete, or re-opens it (If-Match etag optional; 412 when stale). */
    async update(access: Access, ref: string, id: string, patch: TaskPatch, ifMatch?: string): Promise<Task> {
      return toTask(await db.transaction().execute((trx) => updateWithin(trx, access, ref, id, patch, ifMatch)));
    },

    updateWithin,

    /** Deletes a task; the activity log records it. */
    async remove(access: Access, ref: string, id: string): Promise<void> {
      requirePermission(access, 'incidents.write');
      const at = now();
      await db.transaction().execute(async (trx) => {
        const incident = await incidentOf(access, ref, trx, true);
        const task = await taskOf(trx, incident, id);
        await deleteTaskRow(trx, task);
        await adjustTaskCounts(
          trx,
          incident.workspaceId,
          incident.id,
          { total: -1, completed: task.status === 'Completed' ? -1 : 0 },
          at,
        );
        await insertActivity(trx, dialect, [
          {
            workspaceId: incident.workspaceId,
            incidentId: incident.id,
            action: 'taskDeleted',
            actor: access.actor,
            changes: [{ field: 'task', from: taskSnapshot(task), to: null }],
            at,
          },
        ]);
      });
    },
  };
}
