import { z } from 'zod';
import { groupingSchema } from '../analytics-rules/grouping.js';
import { ROLES } from '../auth/permissions.js';

export const workspaceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    settings: z.object({ defaultGrouping: groupingSchema }),
    archived: z.boolean(),
    roles: z.array(z.enum(ROLES)).describe("The caller's roles in the workspace"),
    createdAt: z.string(),
    updatedAt: z.string(),
    etag: z.string(),
  })
  .meta({ id: 'Workspace' });
export type Workspace = z.infer<typeof workspaceSchema>;

export const workspacePatchSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    settings: z.strictObject({ defaultGrouping: groupingSchema.optional() }).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' })
  .meta({ id: 'WorkspacePatch' });
export type WorkspacePatch = z.infer<typeof workspacePatchSchema>;
