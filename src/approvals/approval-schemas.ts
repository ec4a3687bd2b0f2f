import { z } from 'zod';

export const approvalSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    runId: z.string(),
    playbook: z.object({ id: z.string(), name: z.string() }),
    incidentId: z.string().nullable(),
    message: z.string(),
    choices: z.array(z.string()),
    assignees: z.object({ users: z.array(z.string()), groups: z.array(z.string()) }),
    defaultChoice: z.string().describe('Applies when nobody answers before expiresAt'),
    expiresAt: z.string(),
    status: z.enum(['pending', 'answered', 'expired', 'cancelled']),
    choice: z.string().nullable(),
    answeredBy: z.object({ id: z.string().nullable(), name: z.string(), email: z.string().nullable() }).nullable(),
    answeredVia: z.enum(['api', 'link', 'default']).nullable(),
    answeredAt: z.string().nullable(),
    notified: z.object({
      email: z.array(z.string()),
      chat: z.array(z.string()),
      errors: z.array(z.string()),
      at: z.string().nullable(),
    }),
    createdAt: z.string(),
    etag: z.string(),
  })
  .meta({ id: 'Approval' });
export type Approval = z.infer<typeof approvalSchema>;

export const approvalAnswerSchema = z.strictObject({ choice: z.string().min(1).max(200) }).meta({ id: 'ApprovalAnswer' });
