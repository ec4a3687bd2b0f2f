import { insertActivity, type NewActivity } from '../activity/index.js';
import type { Actor } from '../common/actor.js';
import { RuleViolationError } from '../errors/errors.js';
import { newId } from '../ids/ids.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { adjustTaskCounts, insertTasks, nextPositions, type TaskRecord } from './task-repository.js';
import { TASK_LIMITS } from './task-schemas.js';

/** The incident a task change applies to (locked by the caller's transaction). */
export interface TaskIncident {
  workspaceId: string;
  id: string;
  number: number;
  taskCount: number;
}

/** A task as recorded in the activity log. */
export const taskSnapshot = (task: TaskRecord) => ({ id: task.id, title: task.title, status: task.status });

/** New task records for an incident, numbered from `firstPosition` in the order given. Pure. */
export function buildTasks(
  incident: { workspaceId: string; id: string },
  inputs: { title: string; description: string }[],
  actor: Actor,
  at: number,
  firstPosition: number,
): TaskRecord[] {
  return inputs.map((input, i) => ({
    workspaceId: incident.workspaceId,
    id: newId(at),
    incidentId: incident.id,
    position: firstPosition + i,
    title: input.title,
    description: input.description,
    status: 'New',
    createdBy: actor,
    lastModifiedBy: actor,
    completedBy: null,
    createdAt: at,
    updatedAt: at,
    completedAt: null,
    version: 1,
  }));
}

/** The activity entry recording that a task was added. */
export function taskAddedActivity(task: TaskRecord, at: number): NewActivity {
  return {
    workspaceId: task.workspaceId,
    incidentId: task.incidentId,
    action: 'taskAdded',
    actor: task.createdBy,
    changes: [{ field: 'task', from: null, to: taskSnapshot(task) }],
    at,
  };
}

/**
 * Adds tasks to an incident inside the caller's transaction, in the order given: refuses to pass
 * Sentinel's limit of 40 tasks per incident, numbers them after the existing ones, updates the
 * incident's counts and records one activity entry per task. Used by people, automation rules
 * and playbooks alike.
 */
export async function addTasks(
  trx: Executor,
  dialect: Dialect,
  incident: TaskIncident,
  inputs: { title: string; description: string }[],
  actor: Actor,
  at: number,
  options: { recordActivity?: boolean } = {},
): Promise<TaskRecord[]> {
  if (inputs.length === 0) return [];
  if (incident.taskCount + inputs.length > TASK_LIMITS.perIncident) {
    throw new RuleViolationError(
      `Incident ${incident.number} has ${incident.taskCount} tasks; an incident holds at most ${TASK_LIMITS.perIncident} (Sentinel's limit)`,
      { limit: TASK_LIMITS.perIncident, current: incident.taskCount },
    );
  }
  const first = (await nextPositions(trx, incident.workspaceId, [incident.id])).get(incident.id)!;
  const tasks = buildTasks(incident, inputs, actor, at, first);
  await insertTasks(trx, dialect, tasks);
  await adjustTaskCounts(trx, incident.workspaceId, incident.id, { total: tasks.length, completed: 0 }, at);
  // An automation rule records its tasks in its own activity entry instead.
  if (options.recordActivity !== false)
    await insertActivity(
      trx,
      dialect,
      tasks.map((task) => taskAddedActivity(task, at)),
    );
  incident.taskCount += tasks.length;
  return tasks;
}
