import { z } from 'zod';
import { actorSchema } from '../common/actor.js';
import {
  CLASSIFICATIONS,
  INCIDENT_STATUSES,
  SEVERITIES,
  classificationReasonSchema,
  classificationSchema,
  determinationSchema,
  incidentStatusSchema,
  severitySchema,
  tacticSchema,
  techniqueSchema,
} from '../common/enums.js';
import { LIMITS } from '../common/limits.js';
import { booleanParam, listParam } from '../http/validation.js';
import { ownerInputSchema, ownerSchema } from '../users/owner.js';

const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z' });

/** A custom tag: trimmed, 1–256 characters. */
export const tagSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.tagLength, `must be at most ${LIMITS.tagLength} characters`);

const tagList = z.array(tagSchema).max(LIMITS.tagsPerIncident, `at most ${LIMITS.tagsPerIncident} tags`);

export const incidentSchema = z
  .object({
    id: z.string(),
    number: z.number().int().describe('Sequential per workspace'),
    title: z.string(),
    description: z.string(),
    severity: z.enum(SEVERITIES),
    status: z.enum(INCIDENT_STATUSES),
    owner: ownerSchema.nullable(),
    classification: z.enum(CLASSIFICATIONS).nullable(),
    classificationReason: classificationReasonSchema.nullable(),
    classificationComment: z.string().nullable().describe('The resolution note'),
    determination: determinationSchema.nullable(),
    tags: z.array(z.string()).describe('Custom tags, set by people and automation'),
    systemTags: z.array(z.string()).describe('Tags the detection sources set (attack type, critical asset …)'),
    tactics: z.array(z.string()),
    techniques: z.array(z.string()),
    alertProductNames: z.array(z.string()),
    analyticsRuleIds: z.array(z.string()),
    firstActivityTime: z.string().nullable(),
    lastActivityTime: z.string().nullable(),
    alertCount: z.number().int(),
    commentCount: z.number().int(),
    taskCounts: z.object({ total: z.number().int(), completed: z.number().int() }),
    createdBy: actorSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
    etag: z.string(),
    url: z.string().describe('Link to the incident in the web UI'),
  })
  .meta({ id: 'Incident' });
export type Incident = z.infer<typeof incidentSchema>;

/** Fields a person (or automation) may change; shared by PATCH and bulk. */
const changeFields = {
  severity: severitySchema.optional(),
  status: incidentStatusSchema.optional(),
  owner: ownerInputSchema.nullable().optional().describe('null unassigns'),
  classification: classificationSchema.nullable().optional(),
  classificationReason: classificationReasonSchema.nullable().optional(),
  classificationComment: z
    .string()
    .max(LIMITS.commentLength, `must be at most ${LIMITS.commentLength} characters`)
    .nullable()
    .optional()
    .describe('The resolution note'),
  determination: determinationSchema.nullable().optional(),
  addTags: tagList.optional(),
  removeTags: tagList.optional(),
};

export const incidentPatchSchema = z
  .strictObject({
    title: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(LIMITS.titleLength, `must be at most ${LIMITS.titleLength} characters`)
      .optional(),
    description: z.string().max(LIMITS.descriptionLength, `must be at most ${LIMITS.descriptionLength} characters`).optional(),
    tags: tagList.optional().describe('Replaces the custom tags'),
    tactics: z.array(tacticSchema).max(20).optional(),
    techniques: z.array(techniqueSchema).max(200).optional(),
    firstActivityTime: isoDateTime.nullable().optional(),
    lastActivityTime: isoDateTime.nullable().optional(),
    ...changeFields,
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' })
  .meta({ id: 'IncidentPatch' });
export type IncidentPatch = z.infer<typeof incidentPatchSchema>;

export const incidentCreateSchema = z
  .strictObject({
    title: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(LIMITS.titleLength, `must be at most ${LIMITS.titleLength} characters`),
    description: z.string().max(LIMITS.descriptionLength).default(''),
    severity: severitySchema.default('Medium'),
    status: incidentStatusSchema.default('New'),
    owner: ownerInputSchema.nullable().optional(),
    classification: classificationSchema.optional(),
    classificationReason: classificationReasonSchema.optional(),
    classificationComment: z.string().max(LIMITS.commentLength).optional(),
    determination: determinationSchema.optional(),
    tags: tagList.default([]),
    tactics: z.array(tacticSchema).max(20).default([]),
    techniques: z.array(techniqueSchema).max(200).default([]),
    firstActivityTime: isoDateTime.optional(),
    lastActivityTime: isoDateTime.optional(),
  })
  .meta({ id: 'IncidentCreate' });
export type IncidentCreate = z.infer<typeof incidentCreateSchema>;

export const bulkUpdateSchema = z
  .strictObject({
    ids: z
      .array(z.union([z.string().min(1).max(64), z.number().int().positive()]))
      .min(1, 'must name at least one incident')
      .max(LIMITS.bulkIncidents, `at most ${LIMITS.bulkIncidents} incidents per request`),
    changes: z.strictObject(changeFields).refine((c) => Object.keys(c).length > 0, { message: 'names no field to change' }),
  })
  .meta({ id: 'BulkIncidentUpdate' });
export type BulkUpdate = z.infer<typeof bulkUpdateSchema>;

export const bulkResultSchema = z
  .object({
    results: z.array(
      z.object({
        id: z.string(),
        number: z.number().int().nullable(),
        ok: z.boolean(),
        etag: z.string().optional(),
        changed: z.array(z.string()).optional(),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
      }),
    ),
    succeeded: z.number().int(),
    failed: z.number().int(),
  })
  .meta({ id: 'BulkIncidentResult' });

export const INCIDENT_SORTS = ['created', 'updated', 'severity', 'number'] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];

/** The queue's filters; all are query parameters so a filtered list can be shared as a link. */
export const incidentFilterSchema = z.object({
  status: listParam(incidentStatusSchema),
  severity: listParam(severitySchema),
  owner: listParam(z.string().min(1).max(320)).describe('User or group ids or emails, `me`, or `unassigned`'),
  tag: listParam(z.string().min(1).max(LIMITS.tagLength)).describe('Incidents with any of these tags'),
  classification: listParam(classificationSchema),
  product: listParam(z.string().min(1).max(200)),
  analyticsRule: listParam(z.string().min(1).max(500)).describe('Analytics rule ids'),
  createdFrom: isoDateTime.optional(),
  createdTo: isoDateTime.optional(),
  updatedFrom: isoDateTime.optional(),
  updatedTo: isoDateTime.optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Words in the title or description, each matched as the start of a word, ignoring case ("phish camp" finds "Phishing campaign")',
    ),
  hasOpenTasks: booleanParam.optional(),
});
export type IncidentFilter = z.infer<typeof incidentFilterSchema>;

export const incidentListQuerySchema = incidentFilterSchema.extend({
  sort: z.enum(INCIDENT_SORTS, { error: `must be one of ${INCIDENT_SORTS.join(', ')}` }).default('created'),
  order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('desc'),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int()
    .min(1)
    .max(LIMITS.pageSize, `must be at most ${LIMITS.pageSize}`)
    .default(50),
  cursor: z.string().max(500).optional(),
});
export type IncidentListQuery = z.infer<typeof incidentListQuerySchema>;

export const incidentCountsSchema = z
  .object({
    total: z.number().int(),
    byStatus: z.record(z.enum(INCIDENT_STATUSES), z.number().int()),
    bySeverity: z.record(z.enum(SEVERITIES), z.number().int()),
  })
  .meta({ id: 'IncidentCounts' });
export type IncidentCounts = z.infer<typeof incidentCountsSchema>;

export const incidentParams = z.object({
  workspace: z.string().min(1).max(64),
  incident: z.string().min(1).max(64).describe('Incident id or number'),
});
