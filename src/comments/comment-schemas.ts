import { z } from 'zod';
import { actorSchema } from '../common/actor.js';
import { LIMITS } from '../common/limits.js';

export const commentSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    message: z.string().describe('Markdown'),
    html: z.string().describe('The message rendered to safe HTML (no scripts, safe links only)'),
    author: actorSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    editedAt: z.string().nullable(),
    etag: z.string(),
  })
  .meta({ id: 'Comment' });
export type Comment = z.infer<typeof commentSchema>;

/** The comment body; the length limit is checked by the service so it can answer 413 naming it. */
export const commentInputSchema = z
  .strictObject({
    message: z
      .string({ error: 'is required' })
      .refine((m) => m.trim().length > 0, 'must not be empty')
      .describe(`Markdown with links and images, at most ${LIMITS.commentLength} characters`),
  })
  .meta({ id: 'CommentBody' });
