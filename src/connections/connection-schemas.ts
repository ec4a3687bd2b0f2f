import { z } from 'zod';
import { actorSchema } from '../common/actor.js';

const nameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[^\s].*$/, 'must not start with a space');

export const connectionSchema = z
  .object({
    id: z.string(),
    name: z.string().describe('What playbooks name in `connections:`'),
    connector: z.string(),
    description: z.string(),
    settings: z.record(z.string(), z.unknown()).describe('Non-secret settings (base URL, allowlist, …)'),
    secrets: z.array(z.string()).describe('The secret fields that are set; their values are never returned'),
    status: z.enum(['untested', 'connected', 'error']),
    statusMessage: z.string().nullable(),
    checkedAt: z.string().nullable(),
    createdBy: actorSchema,
    modifiedBy: actorSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    etag: z.string(),
  })
  .meta({ id: 'Connection' });
export type Connection = z.infer<typeof connectionSchema>;

const secretsInput = z
  .record(z.string().max(100), z.string().max(16_384, 'must be at most 16384 characters').nullable())
  .describe('Secret fields (write-only). On update, a field set to null is removed; fields not given are kept.');

export const connectionCreateSchema = z
  .strictObject({
    name: nameSchema,
    connector: z.string().min(1).max(100),
    description: z.string().max(2000).default(''),
    settings: z.record(z.string(), z.unknown()).default({}),
    secrets: secretsInput.default({}),
  })
  .meta({ id: 'ConnectionCreate' });
export type ConnectionCreate = z.infer<typeof connectionCreateSchema>;

export const connectionPatchSchema = z
  .strictObject({
    name: nameSchema.optional(),
    description: z.string().max(2000).optional(),
    settings: z.record(z.string(), z.unknown()).optional().describe('Replaces the settings'),
    secrets: secretsInput.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' })
  .meta({ id: 'ConnectionPatch' });
export type ConnectionPatch = z.infer<typeof connectionPatchSchema>;
