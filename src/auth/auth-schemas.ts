import { z } from 'zod';
import { roleSchema, ROLES } from './permissions.js';

export const userSummarySchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    isAdmin: z.boolean(),
    mustChangePassword: z.boolean(),
  })
  .meta({ id: 'UserSummary' });

export const meSchema = z
  .object({
    user: userSummarySchema,
    via: z.enum(['session', 'token', 'local', 'none']),
    csrfToken: z.string().nullable().describe('Send it as X-CSRF-Token with cookie-authenticated changes'),
    workspaces: z.array(z.object({ id: z.string(), name: z.string(), archived: z.boolean(), roles: z.array(z.enum(ROLES)) })),
  })
  .meta({ id: 'Me' });

export const loginSchema = z
  .strictObject({
    email: z.string({ error: 'is required' }).min(1, 'is required').max(320),
    password: z.string({ error: 'is required' }).min(1, 'is required').max(1000),
  })
  .meta({ id: 'Login' });

export const tokenInfoSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    userId: z.string(),
    workspaceId: z.string(),
    role: z.enum(ROLES),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });

export const tokenCreateSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    workspace: z.string().min(1).max(64).default('default'),
    role: roleSchema,
    expiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
    userId: z.string().max(64).optional().describe('Create the token for another user (workspace Owners and administrators)'),
  })
  .meta({ id: 'ApiTokenCreate' });
