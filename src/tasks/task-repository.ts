import { sql } from 'kysely';
import type { Actor } from '../common/actor.js';
import { insertRows } from '../storage/bulk.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { fromJson } from '../storage/json.js';
import type { TasksTable } from '../storage/schema.js';
import type { TaskStatus } from './task-schemas.js';

/** A task as services see it. */
export interface TaskRecord {
  workspaceId: string;
  id: string;
  incidentId: string;
  position: number;
  title: string;
  description: string;
  status: TaskStatus;
  createdBy: Actor;
  lastModifiedBy: Actor;
  completedBy: Actor | null;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
  version: number;
}

/** Maps a row to a record. */
export function taskFromRow(row: TasksTable): TaskRecord {
  const createdBy: Actor = { type: row.created_by_type as Actor['type'], id: row.created_by_id, name: row.created_by_name };
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    incidentId: row.incident_id,
    position: row.position,
    title: row.title,
    description: row.description,
    status: row.status as TaskStatus,
    createdBy,
    // Empty while the creator is also the last to change it (most tasks: those automation rules add).
    lastModifiedBy: row.last_modified_by === '' ? { ...createdBy } : fromJson<Actor>(row.last_modified_by, createdBy),
    completedBy: fromJson<Actor | null>(row.completed_by, null),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    version: row.version,
  };
}

const sameActor = (a: Actor, b: Actor) => a.type === b.type && a.id === b.id && a.name === b.name;

/** Maps a record to its row. */
export function taskToRow(task: TaskRecord): TasksTable {
  return {
    workspace_id: task.workspaceId,
    id: task.id,
    incident_id: task.incidentId,
    position: task.position,
    title: task.title,
    description: task.description,
    status: task.status,
    created_by_type: task.createdBy.type,
    created_by_id: task.createdBy.id,
    created_by_name: task.createdBy.name,
    last_modified_by: sameActor(task.lastModifiedBy, task.createdBy) ? '' : JSON.stringify(task.lastModifiedBy),
    completed_by: task.completedBy ? JSON.stringify(task.completedBy) : null,
    created_at: task.createdAt,
    updated_at: task.updatedAt,
    completed_at: task.completedAt,
    version: task.version,
  };
}

/** An incident's tasks in checklist order. */
export async function listTasks(db: Executor, workspaceId: string, incidentId: string): Promise<TaskRecord[]> {
  const rows = await db
    .selectFrom('tasks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('incident_id', '=', incidentId)
    .orderBy('position')
    .execute();
  return rows.map(taskFromRow);
}

/** One task of an incident. */
export async function findTask(
  db: Executor,
  workspaceId: string,
  incidentId: string,
  id: string,
): Promise<TaskRecord | undefined> {
  const row = await db
    .selectFrom('tasks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('incident_id', '=', incidentId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? taskFromRow(row) : undefined;
}

/** The next free positions on incidents (one past their last task). */
export async function nextPositions(db: Executor, workspaceId: string, incidentIds: string[]): Promise<Map<string, number>> {
  const positions = new Map<string, number>(incidentIds.map((id) => [id, 1]));
  if (incidentIds.length === 0) return positions;
  const rows = await db
    .selectFrom('tasks')
    .select((eb) => ['incident_id', eb.fn.max('position').as('last')])
    .where('workspace_id', '=', workspaceId)
    .where('incident_id', 'in', incidentIds)
    .groupBy('incident_id')
    .execute();
  for (const row of rows) positions.set(row.incident_id, Number(row.last) + 1);
  return positions;
}

/** Inserts tasks. */
export async function insertTasks(trx: Executor, dialect: Dialect, tasks: TaskRecord[]): Promise<void> {
  await insertRows(trx, dialect, 'tasks', tasks.map(taskToRow));
}

/** Writes a task if it is still at `expectedVersion`. */
export async function updateTaskRow(trx: Executor, task: TaskRecord, expectedVersion: number): Promise<boolean> {
  const { workspace_id, id, incident_id, ...rest } = taskToRow(task);
  const result = await trx
    .updateTable('tasks')
    .set(rest)
    .where('workspace_id', '=', workspace_id)
    .where('incident_id', '=', incident_id)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes a task. */
export async function deleteTaskRow(trx: Executor, task: TaskRecord): Promise<void> {
  await trx.deleteFrom('tasks').where('workspace_id', '=', task.workspaceId).where('id', '=', task.id).execute();
}

/** Keeps an incident's task counts (derived values: the incident's etag does not change). */
export async function adjustTaskCounts(
  trx: Executor,
  workspaceId: string,
  incidentId: string,
  delta: { total: number; completed: number },
  at: number,
): Promise<void> {
  await trx
    .updateTable('incidents')
    .set({
      task_count: sql`task_count + ${delta.total}`,
      task_completed_count: sql`task_completed_count + ${delta.completed}`,
      updated_at: at,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', incidentId)
    .execute();
}
