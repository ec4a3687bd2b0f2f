import { z } from 'zod';

export const PASSWORD_MIN = 12;

/** A new password: at least 12 characters. */
export const passwordSchema = z
  .string({ error: 'is required' })
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(1000, 'must be at most 1000 characters');

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    isAdmin: z.boolean(),
    disabled: z.boolean(),
    mustChangePassword: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastLoginAt: z.string().nullable(),
    etag: z.string(),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof userSchema>;

export const userCreateSchema = z
  .strictObject({
    email: z.email({ error: 'must be an email address' }).max(320),
    displayName: z.string().trim().min(1, 'must not be empty').max(200),
    password: passwordSchema.optional().describe('Leave out to get a generated one-time password'),
    isAdmin: z.boolean().default(false),
  })
  .meta({ id: 'UserCreate' });
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userPatchSchema = z
  .strictObject({
    displayName: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    disabled: z.boolean().optional().describe("Disabling ends the user's sessions; their tokens stop working"),
    isAdmin: z.boolean().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' })
  .meta({ id: 'UserPatch' });
export type UserPatch = z.infer<typeof userPatchSchema>;

export const groupSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    members: z.array(z.object({ id: z.string(), email: z.string(), displayName: z.string() })),
    createdAt: z.string(),
    updatedAt: z.string(),
    etag: z.string(),
  })
  .meta({ id: 'Group' });
export type GroupView = z.infer<typeof groupSchema>;

export const groupCreateSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    description: z.string().max(2000).default(''),
  })
  .meta({ id: 'GroupCreate' });

export const groupPatchSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    description: z.string().max(2000).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' })
  .meta({ id: 'GroupPatch' });
