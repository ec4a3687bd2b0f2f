import { z } from 'zod';
import { ALERT_STATUSES, SEVERITIES, alertStatusSchema, severitySchema, tacticSchema, techniqueSchema } from '../common/enums.js';
import { LIMITS } from '../common/limits.js';
import { ownerSchema } from '../users/owner.js';

const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z' });

const customDetailValue = z.union([z.string().max(4000), z.number(), z.boolean()]);

/** One alert as a source sends it (a detection from an analytics rule or a product). */
export const alertInputSchema = z
  .object({
    sourceAlertId: z
      .string({ error: 'is required: the id the source gave the alert' })
      .trim()
      .min(1, 'must not be empty')
      .max(500, 'must be at most 500 characters')
      .describe("The source's id; the same productName + sourceAlertId again is the same alert"),
    title: z
      .string({ error: 'is required' })
      .trim()
      .min(1, 'must not be empty')
      .max(LIMITS.titleLength, `must be at most ${LIMITS.titleLength} characters`),
    description: z.string().max(LIMITS.descriptionLength, `must be at most ${LIMITS.descriptionLength} characters`).default(''),
    severity: severitySchema.optional().describe("Defaults to the analytics rule's severity, else Medium"),
    status: alertStatusSchema.default('New'),
    productName: z
      .string({ error: 'is required: the product that raised the alert, e.g. "Microsoft Defender for Endpoint"' })
      .trim()
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters'),
    vendorName: z.string().trim().max(200).default(''),
    analyticsRuleId: z.string().trim().min(1).max(500).optional(),
    analyticsRuleName: z.string().trim().min(1).max(500).optional(),
    tactics: z.array(tacticSchema).max(20).default([]),
    techniques: z.array(techniqueSchema).max(200).default([]),
    tags: z
      .array(z.string().trim().min(1).max(LIMITS.tagLength))
      .max(50)
      .default([])
      .describe("System tags the source sets (attack type, critical asset …); they become the incident's systemTags"),
    startTime: isoDateTime.optional(),
    endTime: isoDateTime.optional(),
    customDetails: z
      .record(z.string().min(1).max(200), z.union([customDetailValue, z.array(customDetailValue).max(LIMITS.customDetailValues)]))
      .default({})
      .describe('Key → value or list of values'),
    entities: z
      .array(z.unknown())
      .max(LIMITS.entitiesPerAlert, `at most ${LIMITS.entitiesPerAlert} entities per alert`)
      .default([])
      .describe("Entities in Sentinel's REST shape ({kind, properties}), its alert shape ({$id, Type, …}) or flat ({kind, …})"),
    raw: z.unknown().optional().describe(`The original payload, kept verbatim (at most ${LIMITS.alertRawBytes} bytes as JSON)`),
  })
  .meta({ id: 'IncomingAlert' });
export type AlertInput = z.infer<typeof alertInputSchema>;

export const alertBatchSchema = z
  .object({ alerts: z.array(alertInputSchema).min(1).max(LIMITS.alertsPerBatch) })
  .meta({ id: 'AlertBatch' });

/** The ingest body: one alert, or `{ "alerts": [...] }` with up to 1,000. */
export const ingestBodySchema = z.union([alertBatchSchema, alertInputSchema]);

export const INGEST_OUTCOMES = ['new', 'grouped', 'duplicate'] as const;
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number];

export const ingestResultSchema = z
  .object({
    results: z.array(
      z.object({
        index: z.number().int(),
        id: z.string(),
        sourceAlertId: z.string(),
        outcome: z
          .enum(INGEST_OUTCOMES)
          .describe('new: a new alert; grouped: a new alert added to an existing incident; duplicate: already ingested'),
        incidentId: z.string().nullable(),
        incidentNumber: z.number().int().nullable(),
      }),
    ),
    counts: z.object({ new: z.number().int(), grouped: z.number().int(), duplicate: z.number().int() }),
  })
  .meta({ id: 'IngestResult' });
export type IngestResult = z.infer<typeof ingestResultSchema>;

export const entityViewSchema = z
  .object({
    id: z.string().optional(),
    kind: z.string(),
    name: z.string(),
    properties: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Entity' });

export const alertSchema = z
  .object({
    id: z.string(),
    incidentId: z.string().nullable(),
    sourceAlertId: z.string(),
    title: z.string(),
    description: z.string(),
    severity: z.enum(SEVERITIES),
    status: z.enum(ALERT_STATUSES),
    productName: z.string(),
    vendorName: z.string(),
    analyticsRuleId: z.string().nullable(),
    analyticsRuleName: z.string().nullable(),
    tactics: z.array(z.string()),
    techniques: z.array(z.string()),
    tags: z.array(z.string()),
    startTime: z.string().nullable(),
    endTime: z.string().nullable(),
    alertTime: z.string().describe('endTime, else startTime, else when Vigil received it; grouping windows use it'),
    customDetails: z.record(z.string(), z.array(z.string())),
    entities: z.array(entityViewSchema),
    owner: ownerSchema.nullable(),
    receivedAt: z.string(),
    updatedAt: z.string(),
    etag: z.string(),
    raw: z.unknown().optional().describe('The original payload (only when reading one alert)'),
  })
  .meta({ id: 'Alert' });
export type Alert = z.infer<typeof alertSchema>;

/** The body of "add an alert to an incident". */
export const alertMoveSchema = z
  .object({ alertId: z.string({ error: 'is required: the id of the alert to add' }).trim().min(1, 'must not be empty').max(64) })
  .meta({ id: 'IncidentAlertAddition' });
