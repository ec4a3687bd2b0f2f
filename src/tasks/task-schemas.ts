import { z } from 'zod';
import { ACTOR_TYPES, actorSchema } from '../common/actor.js';

export const TASK_STATUSES = ['New', 'Completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_LIMITS = { perIncident: 40, titleLength: 150, descriptionLength: 3_000 } as const;

export const taskSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    order: z.number().int().describe('Position in the checklist: creation order'),
    title: z.string(),
    description: z.string().describe('Markdown, or HTML as Sentinel playbooks write it'),
    descriptionHtml: z.string().describe('The description rendered to safe HTML'),
    status: z.enum(TASK_STATUSES),
    createdBy: actorSchema,
    manual: z.boolean().describe('Added by a person (not by an automation rule or a playbook)'),
    lastModifiedBy: actorSchema,
    completedBy: actorSchema.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    completedAt: z.string().nullable(),
    etag: z.string(),
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof taskSchema>;

const title = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'must not be empty')
  .max(TASK_LIMITS.titleLength, `must be at most ${TASK_LIMITS.titleLength} characters`);
const description = z.string().max(TASK_LIMITS.descriptionLength, `must be at most ${TASK_LIMITS.descriptionLength} characters`);

export const taskCreateSchema = z.strictObject({ title, description: description.default('') }).meta({ id: 'TaskCreate' });
export type TaskCreate = z.infer<typeof taskCreateSchema>;

export const taskPatchSchema = z
  .strictObject({
    title: title.optional(),
    description: description.optional(),
    status: z.enum(TASK_STATUSES, { error: `must be one of ${TASK_STATUSES.join(', ')}` }).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' })
  .meta({ id: 'TaskPatch' });
export type TaskPatch = z.infer<typeof taskPatchSchema>;

export const taskReportQuerySchema = z.object({
  from: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time' })
    .optional()
    .describe('Tasks created from (default: 30 days ago)'),
  to: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional().describe('… until (default: now)'),
  analyticsRule: z.string().max(64).optional(),
  owner: z.string().max(320).optional().describe('Incident owner: user or group id, email, `me` or `unassigned`'),
  createdByType: z.enum(ACTOR_TYPES, { error: `must be one of ${ACTOR_TYPES.join(', ')}` }).optional(),
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
});
export type TaskReportQuery = z.infer<typeof taskReportQuerySchema>;

export const taskReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    rows: z.array(
      z.object({
        title: z.string(),
        created: z.number().int(),
        completed: z.number().int(),
        open: z.number().int(),
        openOnClosedIncidents: z.number().int(),
        medianMinutesToComplete: z.number().nullable(),
        p90MinutesToComplete: z.number().nullable(),
        createdBy: z.record(z.string(), z.number().int()).describe('How many were added by each kind of actor'),
        completedBy: z.array(z.object({ name: z.string(), type: z.string(), count: z.number().int() })),
      }),
    ),
    incidentsClosedWithOpenTasks: z.array(
      z.object({ id: z.string(), number: z.number().int(), title: z.string(), openTasks: z.number().int() }),
    ),
  })
  .meta({ id: 'TaskReport' });
export type TaskReport = z.infer<typeof taskReportSchema>;
