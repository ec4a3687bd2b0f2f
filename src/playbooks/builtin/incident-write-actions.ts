import { z } from 'zod';
import type { AlertService } from '../../alerts/index.js';
import { ActionError } from '../../connectors/action.js';
import type { CommentService } from '../../comments/index.js';
import { findIncident, type IncidentService } from '../../incidents/index.js';
import { NotFoundError } from '../../errors/errors.js';
import { incidentPatchSchema } from '../../incidents/incident-schemas.js';
import type { Storage } from '../../storage/database.js';
import type { Executor } from '../../storage/dialect.js';
import type { TaskService } from '../../tasks/index.js';
import { listTasks } from '../../tasks/task-repository.js';
import type { BuiltinActionDefinition, BuiltinContext } from './builtin-action.js';
import { incidentOf, incidentOutput, incidentRef } from './builtin-kit.js';

/** The services the write actions use. */
export interface WriteServices {
  storage: Storage;
  incidents: IncidentService;
  comments: CommentService;
  tasks: TaskService;
  alerts: AlertService;
}

const patch = incidentPatchSchema.shape;
const UPDATE_FIELDS = [
  'title',
  'description',
  'severity',
  'status',
  'owner',
  'classification',
  'classificationReason',
  'classificationComment',
  'determination',
  'addTags',
  'removeTags',
] as const;

/** A write action: `runWithin` commits with the step's record; `run` (outside a playbook) in its own transaction. */
function writeAction<I, O>(
  storage: Storage,
  spec: Omit<BuiltinActionDefinition<I, O>, 'run' | 'runWithin' | 'effect'>,
  runWithin: (trx: Executor, context: BuiltinContext, input: I) => Promise<O>,
): BuiltinActionDefinition<I, O> {
  return {
    ...spec,
    effect: 'write',
    runWithin,
    run: (context, input) => storage.db.transaction().execute((trx) => runWithin(trx, context as BuiltinContext, input)),
  };
}

/** Built-in actions that change incidents; each change is an activity entry with the playbook as actor. */
export function incidentWriteActions(s: WriteServices): BuiltinActionDefinition[] {
  const update = writeAction(
    s.storage,
    {
      id: 'incident.update',
      title: 'Update incident',
      description:
        'Changes an incident: status (closing needs classification, reason and comment), severity, owner (user or group; null unassigns), title, description, tags to add or remove.',
      input: z
        .strictObject({ incident: incidentRef, ...Object.fromEntries(UPDATE_FIELDS.map((f) => [f, patch[f]])) })
        .refine((v) => UPDATE_FIELDS.some((f) => (v as Record<string, unknown>)[f] !== undefined), {
          message: 'names no field to change',
        }),
      output: z.object({ incident: incidentOutput }),
    },
    async (trx, context, input: Record<string, unknown>) => {
      const { incident, ...changes } = input;
      const record = await s.incidents.updateWithin(
        trx,
        context.access,
        incidentOf(context, incident as string | undefined),
        changes,
      );
      const [view] = await s.incidents.present([record], trx);
      return { incident: view as unknown as Record<string, unknown> };
    },
  );

  const addComment = writeAction(
    s.storage,
    {
      id: 'incident.addComment',
      title: 'Add comment',
      description: 'Adds a comment (markdown) to an incident, e.g. the result of an enrichment.',
      input: z.strictObject({ incident: incidentRef, message: z.string().min(1).max(30_000) }),
      output: z.object({ commentId: z.string() }),
    },
    async (trx, context, input: { incident?: string | number; message: string }) => {
      const row = await s.comments.addWithin(trx, context.access, incidentOf(context, input.incident), input.message);
      return { commentId: row.id };
    },
  );

  const addTask = writeAction(
    s.storage,
    {
      id: 'incident.addTask',
      title: 'Add task',
      description: "Adds a task to an incident's checklist (at most 40 per incident); returns the task's id.",
      input: z.strictObject({
        incident: incidentRef,
        title: z.string().trim().min(1).max(150),
        description: z.string().max(3_000).default(''),
      }),
      output: z.object({ taskId: z.string(), title: z.string(), status: z.string() }),
    },
    async (trx, context, input: { incident?: string | number; title: string; description: string }) => {
      const task = await s.tasks.addWithin(trx, context.access, incidentOf(context, input.incident), {
        title: input.title,
        description: input.description,
      });
      return { taskId: task.id, title: task.title, status: task.status };
    },
  );

  const completeTask = writeAction(
    s.storage,
    {
      id: 'incident.completeTask',
      title: 'Mark task complete',
      description: 'Marks a task complete, by its id or its exact title (the first open one with that title).',
      input: z
        .strictObject({
          incident: incidentRef,
          task: z.string().min(1).max(150).optional(),
          title: z.string().min(1).max(150).optional(),
        })
        .refine((v) => v.task !== undefined || v.title !== undefined, { message: 'needs task (an id) or title' }),
      output: z.object({ taskId: z.string(), title: z.string(), status: z.string() }),
    },
    async (trx, context, input: { incident?: string | number; task?: string; title?: string }) => {
      const ref = incidentOf(context, input.incident);
      const incident = await findIncident(trx, context.workspaceId, ref);
      if (!incident) throw new NotFoundError(`Incident ${ref} not found in workspace ${context.workspaceId}`);
      const incidentId = incident.id;
      let taskId = input.task;
      if (!taskId) {
        const tasks = await listTasks(trx, context.workspaceId, incidentId);
        const match =
          tasks.find((t) => t.title === input.title && t.status !== 'Completed') ?? tasks.find((t) => t.title === input.title);
        if (!match) throw new ActionError(`No task titled ${JSON.stringify(input.title)} on this incident`);
        taskId = match.id;
      }
      const task = await s.tasks.updateWithin(trx, context.access, incidentId, taskId, { status: 'Completed' });
      return { taskId: task.id, title: task.title, status: task.status };
    },
  );

  const addAlert = writeAction(
    s.storage,
    {
      id: 'incident.addAlert',
      title: 'Add alert to incident',
      description:
        'Adds an alert to an incident, moving it out of the incident it was in (as an analyst merging related alerts would). Adding it where it already is changes nothing.',
      input: z.strictObject({ incident: incidentRef, alert: z.string().min(1).max(64).describe("The alert's id") }),
      output: z.object({ incident: incidentOutput, movedFrom: z.number().int().nullable(), changed: z.boolean() }),
    },
    async (trx, context, input: { incident?: string | number; alert: string }) => {
      const moved = await s.alerts.addToIncidentWithin(trx, context.access, input.alert, incidentOf(context, input.incident));
      const [view] = await s.incidents.present([moved.incident], trx);
      return {
        incident: view as unknown as Record<string, unknown>,
        movedFrom: moved.movedFrom?.number ?? null,
        changed: moved.changed,
      };
    },
  );

  return [update, addComment, addTask, completeTask, addAlert];
}
