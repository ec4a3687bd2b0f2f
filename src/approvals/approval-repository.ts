import { createHash } from 'node:crypto';
import type { Executor } from '../storage/dialect.js';
import { fromJson } from '../storage/json.js';
import type { ApprovalsTable } from '../storage/schema-playbooks.js';

/** Who an approval is assigned to: users by email, groups by name (ids when they exist in Vigil). */
export interface Assignees {
  users: { email: string; userId: string | null }[];
  groups: { name: string; groupId: string | null }[];
}

/** How an approval is delivered (the step's `notify`), and what was sent. */
export interface Delivery {
  plan: { email: boolean; slack?: string; teams?: string };
  sentAt: number | null;
  email?: string[];
  chat?: string[];
  errors?: string[];
}

/** Who answered, as recorded. */
export interface Answerer {
  id: string | null;
  name: string;
  email: string | null;
}

/** An approval request as stored. */
export interface ApprovalRecord {
  workspaceId: string;
  id: string;
  runId: string;
  stepKey: string;
  playbookId: string;
  playbookName: string;
  incidentId: string | null;
  message: string;
  choices: string[];
  assignees: Assignees;
  defaultChoice: string;
  expiresAt: number;
  status: 'pending' | 'answered' | 'expired' | 'cancelled';
  choice: string | null;
  answeredBy: Answerer | null;
  answeredVia: 'api' | 'link' | 'default' | null;
  answeredAt: number | null;
  delivery: Delivery;
  createdAt: number;
  version: number;
}

/** Maps a row to a record. */
export function approvalFromRow(row: ApprovalsTable): ApprovalRecord {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    runId: row.run_id,
    stepKey: row.step_key,
    playbookId: row.playbook_id,
    playbookName: row.playbook_name,
    incidentId: row.incident_id,
    message: row.message,
    choices: fromJson(row.choices, []),
    assignees: { users: fromJson(row.assignee_users, []), groups: fromJson(row.assignee_groups, []) },
    defaultChoice: row.default_choice,
    expiresAt: row.expires_at,
    status: row.status as ApprovalRecord['status'],
    choice: row.choice,
    answeredBy: fromJson<Answerer | null>(row.answered_by, null),
    answeredVia: row.answered_via as ApprovalRecord['answeredVia'],
    answeredAt: row.answered_at,
    delivery: fromJson<Delivery>(row.notified, { plan: { email: false }, sentAt: null }),
    createdAt: row.created_at,
    version: row.version,
  };
}

/** One approval of a workspace. */
export async function findApproval(db: Executor, workspaceId: string, id: string): Promise<ApprovalRecord | undefined> {
  const row = await db
    .selectFrom('approvals')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? approvalFromRow(row) : undefined;
}

/** The SHA-256 of a link token: only hashes are stored, as for API tokens. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A link by its token, with its approval. */
export async function findLink(db: Executor, token: string) {
  return db.selectFrom('approval_links').selectAll().where('token_hash', '=', tokenHash(token)).executeTakeFirst();
}
