import { z } from 'zod';
import { SEVERITIES, severitySchema, tacticSchema, techniqueSchema } from '../common/enums.js';
import { groupingPatchSchema, groupingSchema } from './grouping.js';

export const analyticsRuleSchema = z
  .object({
    id: z.string(),
    externalId: z.string().nullable().describe("The source's id for the rule (alerts' analyticsRuleId)"),
    name: z.string(),
    description: z.string(),
    severity: z.enum(SEVERITIES).describe('Severity for alerts that do not state one'),
    enabled: z.boolean().describe('Alerts of a disabled rule are stored but create no incidents'),
    tactics: z.array(z.string()),
    techniques: z.array(z.string()),
    createsIncidents: z.boolean(),
    grouping: groupingSchema,
    playbookIds: z.array(z.string()).describe('Automated response: playbooks (alert trigger) run on each alert the rule raises'),
    origin: z.enum(['implicit', 'manual']).describe('implicit: created when an alert first named it'),
    createdAt: z.string(),
    updatedAt: z.string(),
    etag: z.string(),
  })
  .meta({ id: 'AnalyticsRule' });
export type AnalyticsRule = z.infer<typeof analyticsRuleSchema>;

const nameSchema = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');

const playbookIdsSchema = z
  .array(z.string().min(1).max(100))
  .max(10, 'must name at most 10 playbooks')
  .describe('Automated response: ids of playbooks with the alert trigger, run on each alert the rule raises');

export const analyticsRuleCreateSchema = z
  .strictObject({
    externalId: z.string().trim().min(1).max(500).optional(),
    name: nameSchema,
    description: z.string().max(5000).default(''),
    severity: severitySchema.default('Medium'),
    enabled: z.boolean().default(true),
    tactics: z.array(tacticSchema).max(20).default([]),
    techniques: z.array(techniqueSchema).max(200).default([]),
    createsIncidents: z.boolean().default(true),
    grouping: groupingSchema.optional(),
    playbookIds: playbookIdsSchema.default([]),
  })
  .meta({ id: 'AnalyticsRuleCreate' });
export type AnalyticsRuleCreate = z.infer<typeof analyticsRuleCreateSchema>;

export const analyticsRulePatchSchema = z
  .strictObject({
    name: nameSchema.optional(),
    description: z.string().max(5000).optional(),
    severity: severitySchema.optional(),
    enabled: z.boolean().optional(),
    tactics: z.array(tacticSchema).max(20).optional(),
    techniques: z.array(techniqueSchema).max(200).optional(),
    createsIncidents: z.boolean().optional(),
    grouping: groupingPatchSchema.optional().describe('Only the fields given change'),
    playbookIds: playbookIdsSchema.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' })
  .meta({ id: 'AnalyticsRulePatch' });
export type AnalyticsRulePatch = z.infer<typeof analyticsRulePatchSchema>;
