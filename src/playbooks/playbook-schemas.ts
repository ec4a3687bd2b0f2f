import { z } from 'zod';
import { actorSchema } from '../common/actor.js';
import { paginationQuery, workspaceParams } from '../http/schemas.js';

const TRIGGERS = ['incident', 'alert', 'manual', 'webhook', 'schedule'] as const;
const problemSchema = z.object({ path: z.string(), message: z.string(), line: z.number().int().optional() });

export const playbookSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    enabled: z.boolean(),
    trigger: z.enum(TRIGGERS),
    version: z.number().int().describe('The current version (every save makes one; runs record theirs)'),
    schedule: z.object({ cron: z.string(), timezone: z.string(), nextRunAt: z.string().nullable() }).nullable(),
    runs: z.object({
      total: z.number().int().describe('Finished runs'),
      succeeded: z.number().int(),
      failed: z.number().int(),
      last: z.object({ id: z.string(), status: z.string(), at: z.string() }).nullable(),
    }),
    createdBy: actorSchema,
    modifiedBy: actorSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    etag: z.string(),
  })
  .meta({ id: 'Playbook' });
export type Playbook = z.infer<typeof playbookSchema>;

export const playbookDetailSchema = playbookSchema
  .extend({
    source: z.string().describe('The current version as written (YAML or JSON)'),
    format: z.enum(['yaml', 'json']),
    definition: z.record(z.string(), z.unknown()).describe('The validated definition'),
    webhook: z.object({ url: z.string().nullable().describe('Shown once, when created or rotated') }).nullable(),
  })
  .meta({ id: 'PlaybookDetail' });
export type PlaybookDetail = z.infer<typeof playbookDetailSchema>;

export const playbookSourceSchema = z
  .strictObject({
    source: z
      .string()
      .max(256 * 1024, 'must be at most 256 KB')
      .optional()
      .describe('The definition as YAML or JSON text'),
    definition: z.record(z.string(), z.unknown()).optional().describe('The definition as a JSON object'),
  })
  .refine((b) => (b.source === undefined) !== (b.definition === undefined), {
    message: 'give either source (text) or definition (object)',
  })
  .meta({ id: 'PlaybookSource' });
export type PlaybookSource = z.infer<typeof playbookSourceSchema>;

export const validationResultSchema = z
  .object({ valid: z.boolean(), problems: z.array(problemSchema), definition: z.record(z.string(), z.unknown()).nullable() })
  .meta({ id: 'PlaybookValidation' });

export const playbookPatchSchema = z.strictObject({ enabled: z.boolean() }).meta({ id: 'PlaybookToggle' });

export const playbookListQuery = z.object({
  trigger: z
    .union([z.enum(TRIGGERS), z.array(z.enum(TRIGGERS))])
    .optional()
    .transform((v) => (v === undefined ? undefined : [v].flat())),
  enabled: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  q: z.string().max(200).optional().describe('Part of the name'),
  ...paginationQuery,
});
export type PlaybookListQuery = z.infer<typeof playbookListQuery>;

export const playbookParams = workspaceParams.extend({ playbook: z.string().min(1).max(200).describe('Id or name') });

export const versionSchema = z
  .object({
    version: z.number().int(),
    format: z.enum(['yaml', 'json']),
    source: z.string().optional(),
    createdBy: actorSchema,
    createdAt: z.string(),
  })
  .meta({ id: 'PlaybookVersion' });

export const manualRunSchema = z
  .strictObject({
    incident: z
      .union([z.string().min(1).max(64), z.number().int().positive()])
      .optional()
      .describe('Run on this incident (id or number)'),
    alert: z.string().min(1).max(64).optional().describe('Run on this alert'),
    entity: z.string().min(1).max(64).optional().describe('Run on this entity (with `incident`, the incident it belongs to)'),
    inputs: z.record(z.string(), z.unknown()).default({}),
  })
  .meta({ id: 'PlaybookRunRequest' });
export type ManualRun = z.infer<typeof manualRunSchema>;
