import { sql } from 'kysely';
import { workspacesOfUser } from '../auth/membership.js';
import { permissionsOf, requirePermission, type Access } from '../auth/permissions.js';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../errors/errors.js';
import { isoTime } from '../http/cursor.js';
import type { RunQueue } from '../playbooks/engine/run-executor.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import { toJson } from '../storage/json.js';
import { groupIdsOfUser } from '../users/group-repository.js';
import { approvalFromRow, findApproval, findLink, type Answerer, type ApprovalRecord } from './approval-repository.js';
import type { Approval } from './approval-schemas.js';

/** An approval as the API shows it. */
export function toApproval(a: ApprovalRecord): Approval {
  return {
    id: a.id,
    workspaceId: a.workspaceId,
    runId: a.runId,
    playbook: { id: a.playbookId, name: a.playbookName },
    incidentId: a.incidentId,
    message: a.message,
    choices: a.choices,
    assignees: { users: a.assignees.users.map((u) => u.email), groups: a.assignees.groups.map((g) => g.name) },
    defaultChoice: a.defaultChoice,
    expiresAt: isoTime(a.expiresAt),
    status: a.status,
    choice: a.choice,
    answeredBy: a.answeredBy,
    answeredVia: a.answeredVia,
    answeredAt: a.answeredAt === null ? null : isoTime(a.answeredAt),
    notified: {
      email: a.delivery.email ?? [],
      chat: a.delivery.chat ?? [],
      errors: a.delivery.errors ?? [],
      at: a.delivery.sentAt === null ? null : isoTime(a.delivery.sentAt),
    },
    createdAt: isoTime(a.createdAt),
    etag: `"${a.version}"`,
  };
}

/** Why an approval can no longer be answered, in words. */
function closedMessage(a: ApprovalRecord): string {
  if (a.status === 'answered') return `This request was already answered: "${a.choice}" by ${a.answeredBy?.name ?? 'someone'}`;
  if (a.status === 'expired') return `This request expired; the default "${a.defaultChoice}" applied`;
  return 'This request was cancelled (its run ended)';
}

/** Approvals: people's answers to playbooks waiting on them. */
export type ApprovalService = ReturnType<typeof createApprovalService>;

/** Builds the approval service. */
export function createApprovalService({
  storage,
  now = Date.now,
  queue,
}: {
  storage: Storage;
  now?: () => number;
  queue: () => RunQueue;
}) {
  const { db, dialect } = storage;

  /**
   * Records an answer and makes the waiting run due. The run row is locked first (as the engine
   * does when a run starts waiting), so an answer never slips between a run's check and its wait.
   */
  async function answerWithin(
    trx: Executor,
    approval: ApprovalRecord,
    choice: string,
    by: Answerer,
    via: 'api' | 'link',
  ): Promise<ApprovalRecord> {
    if (!approval.choices.includes(choice)) {
      throw new InputError(
        `choice must be one of ${approval.choices.map((c) => JSON.stringify(c)).join(', ')}; got ${JSON.stringify(choice)}`,
        [{ path: 'choice', message: `must be one of ${approval.choices.join(', ')}` }],
      );
    }
    let runQuery = trx
      .selectFrom('playbook_runs')
      .select(['status'])
      .where('workspace_id', '=', approval.workspaceId)
      .where('id', '=', approval.runId);
    if (dialect.supportsRowLocks) runQuery = runQuery.forUpdate();
    const run = await runQuery.executeTakeFirst();
    const at = now();
    const result = await trx
      .updateTable('approvals')
      .set({ status: 'answered', choice, answered_by: toJson(by), answered_via: via, answered_at: at, version: sql`version + 1` })
      .where('workspace_id', '=', approval.workspaceId)
      .where('id', '=', approval.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const current = await findApproval(trx, approval.workspaceId, approval.id);
      throw new ConflictError(closedMessage(current ?? approval));
    }
    await trx
      .updateTable('approval_links')
      .set({ used_at: at })
      .where('workspace_id', '=', approval.workspaceId)
      .where('approval_id', '=', approval.id)
      .where('used_at', 'is', null)
      .execute();
    if (run?.status === 'waiting') {
      await trx
        .updateTable('playbook_runs')
        .set({ wake_at: at })
        .where('workspace_id', '=', approval.workspaceId)
        .where('id', '=', approval.runId)
        .execute();
      await queue().enqueue(trx, [{ workspaceId: approval.workspaceId, runId: approval.runId, runAt: at }]);
    }
    return {
      ...approval,
      status: 'answered',
      choice,
      answeredBy: by,
      answeredVia: via,
      answeredAt: at,
      version: approval.version + 1,
    };
  }

  /** Whether a person may answer: named, in a named group, or — when nobody is named — anyone who may run playbooks. */
  async function mayAnswer(access: Access, approval: ApprovalRecord, roles: Set<string>): Promise<boolean> {
    const user = access.user;
    if (!user) return false;
    const { users, groups } = approval.assignees;
    if (users.length === 0 && groups.length === 0) return roles.has('playbooks.run');
    if (users.some((u) => u.userId === user.id || u.email.toLowerCase() === user.email.toLowerCase())) return true;
    const mine = new Set(await groupIdsOfUser(db, user.id));
    return groups.some((g) => g.groupId !== null && mine.has(g.groupId));
  }

  /** The approval with this id in one of the caller's workspaces. */
  async function findForUser(access: Access, id: string): Promise<{ approval: ApprovalRecord; permissions: Set<string> }> {
    const memberships = access.user ? await workspacesOfUser(db, access.user.id) : new Map();
    for (const [workspaceId, roles] of memberships) {
      const approval = await findApproval(db, workspaceId, id);
      if (approval) return { approval, permissions: permissionsOf(roles) as Set<string> };
    }
    throw new NotFoundError(`Approval ${id} not found`);
  }

  /** The request a link opens, for its confirmation page (a used or expired link says so). */
  async function byLink(token: string): Promise<{ approval: ApprovalRecord; recipient: string; usable: string | null }> {
    const link = await findLink(db, token);
    const approval = link ? await findApproval(db, link.workspace_id, link.approval_id) : undefined;
    if (!link || !approval) throw new NotFoundError('This link is not valid');
    const usable =
      approval.status !== 'pending'
        ? closedMessage(approval)
        : link.used_at !== null
          ? 'This link was already used'
          : now() >= link.expires_at
            ? 'This link has expired'
            : null;
    return { approval, recipient: link.recipient, usable };
  }

  return {
    /** A workspace's approvals, newest first (pending ones by default). */
    async list(
      access: Access,
      query: { status?: ApprovalRecord['status'][]; runId?: string; limit: number },
    ): Promise<Approval[]> {
      requirePermission(access, 'playbooks.read');
      let q = db.selectFrom('approvals').selectAll().where('workspace_id', '=', access.workspaceId!);
      q = q.where('status', 'in', query.status?.length ? query.status : ['pending']);
      if (query.runId) q = q.where('run_id', '=', query.runId);
      const rows = await q.orderBy('id', 'desc').limit(query.limit).execute();
      return rows.map((r) => toApproval(approvalFromRow(r)));
    },

    /** One approval, looked up across the caller's workspaces (links in messages carry only the id). */
    async get(access: Access, id: string): Promise<Approval> {
      return toApproval((await findForUser(access, id)).approval);
    },

    /** Answers as the signed-in person. */
    async answer(access: Access, id: string, choice: string): Promise<Approval> {
      const { approval, permissions } = await findForUser(access, id);
      if (!(await mayAnswer(access, approval, permissions))) {
        throw new ForbiddenError(`You are not among the people asked to answer this request`, { required: 'assignee' });
      }
      const by: Answerer = { id: access.user!.id, name: access.user!.displayName, email: access.user!.email };
      return toApproval(await db.transaction().execute((trx) => answerWithin(trx, approval, choice, by, 'api')));
    },

    byLink,

    /** Answers through a one-time link (the link's recipient is recorded as who answered). */
    async answerByLink(token: string, choice: string): Promise<ApprovalRecord> {
      const { approval, recipient, usable } = await byLink(token);
      if (usable) throw new ConflictError(usable);
      const user = recipient.includes('@')
        ? await db
            .selectFrom('users')
            .select(['id', 'display_name'])
            .where('email_key', '=', recipient.toLowerCase())
            .executeTakeFirst()
        : undefined;
      const by: Answerer = {
        id: user?.id ?? null,
        name: user?.display_name ?? recipient,
        email: recipient.includes('@') ? recipient : null,
      };
      return db.transaction().execute((trx) => answerWithin(trx, approval, choice, by, 'link'));
    },
  };
}
