import { z } from 'zod';
import { ACTOR_TYPES, actorSchema, type Actor } from '../common/actor.js';
import { listParam } from '../http/validation.js';

/** One field's change: what it was and what it became. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export const ACTIVITY_ACTIONS = [
  'incidentCreated',
  'incidentUpdated',
  'alertsAdded',
  /** An alert was moved out of the incident into another one. */
  'alertsRemoved',
  'commentAdded',
  'commentEdited',
  'commentDeleted',
  'taskAdded',
  'taskUpdated',
  'taskCompleted',
  'taskReopened',
  'taskDeleted',
  'automationFailed',
  'playbookRun',
] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

/** The two kinds the activity log's "Content" filter offers: audits (changes) and comments. */
export const ACTIVITY_KINDS = ['change', 'comment'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** An entry to append: one change by one actor on one incident. */
export interface NewActivity {
  workspaceId: string;
  incidentId: string;
  action: ActivityAction;
  actor: Actor;
  changes: FieldChange[];
  commentId?: string;
  at: number;
}

export const fieldChangeSchema = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() }).meta({ id: 'FieldChange' });

export const activityEntrySchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    incidentNumber: z.number().int(),
    action: z.enum(ACTIVITY_ACTIONS),
    kind: z.enum(ACTIVITY_KINDS),
    actor: actorSchema,
    changes: z.array(fieldChangeSchema),
    comment: z
      .object({
        id: z.string(),
        message: z.string().nullable().describe('The comment as it is now; null once deleted'),
        html: z.string().nullable().describe('The message rendered to safe HTML'),
      })
      .nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ActivityEntry' });
export type ActivityEntry = z.infer<typeof activityEntrySchema>;

export const activityQuerySchema = z.object({
  kind: z.enum(['change', 'comment', 'changes', 'comments'], { error: 'must be changes or comments' }).optional(),
  actorType: listParam(z.enum(ACTOR_TYPES, { error: `must be one of ${ACTOR_TYPES.join(', ')}` })),
  field: z.string().min(1).max(100).optional(),
  since: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
  until: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
export type ActivityQuery = z.infer<typeof activityQuerySchema>;
