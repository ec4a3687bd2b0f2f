import { sql } from 'kysely';
import type { Logger } from '../logging/logger.js';
import type { Mailer } from '../mail/mailer.js';
import { newId } from '../ids/ids.js';
import type { ApprovalPort, ApprovalState, Execution } from '../playbooks/engine/execution.js';
import type { Storage } from '../storage/database.js';
import { toJson } from '../storage/json.js';
import type { ApprovalLinksTable, ApprovalsTable } from '../storage/schema-playbooks.js';
import { linkToken } from './approval-links.js';
import { approvalEmail, chatText } from './approval-messages.js';
import { findApproval, tokenHash, type ApprovalRecord, type Delivery } from './approval-repository.js';

const MAX_RECIPIENTS = 50;

/** What the engine's approval hooks need. */
export interface ApprovalPortDeps {
  storage: Storage;
  now: () => number;
  publicUrl: string;
  /** The server secret key's bytes (link tokens are HMACs under it). */
  linkKey: () => Buffer;
  mailer: Mailer;
  logger: Logger;
}

function stateOf(a: ApprovalRecord): ApprovalState {
  return {
    status: a.status,
    choice: a.choice,
    answeredBy: a.answeredBy ? { id: a.answeredBy.id ?? '', name: a.answeredBy.name, email: a.answeredBy.email } : null,
    answeredAt: a.answeredAt,
    expiresAt: a.expiresAt,
    notified: a.delivery.sentAt !== null,
  };
}

/**
 * The engine's side of approvals: a step's request becomes an approval row and one link per
 * recipient (written with the run's wait, in the same transaction), then the notifications go
 * out — email with one-click links, Slack or Teams through the playbook's connections.
 */
export function createApprovalPort(deps: ApprovalPortDeps): ApprovalPort {
  const { db } = deps.storage;

  async function recipients(users: string[], groups: string[]) {
    const emails = users.map((u) => u.trim()).filter((u) => u.includes('@'));
    const found = emails.length
      ? await db
          .selectFrom('users')
          .select(['id', 'email', 'email_key'])
          .where(
            'email_key',
            'in',
            emails.map((e) => e.toLowerCase()),
          )
          .execute()
      : [];
    const groupRows = groups.length
      ? await db
          .selectFrom('groups')
          .select(['id', 'name', 'name_key'])
          .where(
            'name_key',
            'in',
            groups.map((g) => g.trim().toLowerCase()),
          )
          .execute()
      : [];
    const members = groupRows.length
      ? await db
          .selectFrom('group_members as m')
          .innerJoin('users as u', 'u.id', 'm.user_id')
          .select(['u.id', 'u.email'])
          .where(
            'm.group_id',
            'in',
            groupRows.map((g) => g.id),
          )
          .where('u.disabled', '=', 0)
          .execute()
      : [];
    const byEmail = new Map<string, string | null>();
    for (const email of emails)
      byEmail.set(email.toLowerCase(), found.find((f) => f.email_key === email.toLowerCase())?.id ?? null);
    for (const m of members) if (!byEmail.has(m.email.toLowerCase())) byEmail.set(m.email.toLowerCase(), m.id);
    return {
      assignees: {
        users: emails.map((email) => ({ email, userId: byEmail.get(email.toLowerCase()) ?? null })),
        groups: groups.map((name) => ({
          name,
          groupId: groupRows.find((g) => g.name_key === name.trim().toLowerCase())?.id ?? null,
        })),
      },
      recipients: [...byEmail].slice(0, MAX_RECIPIENTS).map(([email, userId]) => ({ email, userId })),
    };
  }

  async function sendAll(x: Execution, approval: ApprovalRecord, links: { recipient: string }[]): Promise<Delivery> {
    const delivery: Delivery = { ...approval.delivery, sentAt: deps.now(), email: [], chat: [], errors: [] };
    const key = deps.linkKey();
    if (approval.delivery.plan.email) {
      if (!deps.mailer.configured) delivery.errors!.push('email: no SMTP server is configured (SMTP_URL)');
      for (const { recipient } of links.filter((l) => l.recipient.includes('@'))) {
        try {
          await deps.mailer.send(approvalEmail(approval, deps.publicUrl, linkToken(key, approval.id, recipient), recipient));
          delivery.email!.push(recipient);
        } catch (error) {
          delivery.errors!.push(`email to ${recipient}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    for (const channel of ['slack', 'teams'] as const) {
      const alias = approval.delivery.plan[channel];
      if (!alias) continue;
      const connection = x.connections.get(alias);
      const action = x.catalog.action(`${channel}.postMessage`);
      try {
        if (!connection || !action) throw new Error(`connection "${alias}" is not available`);
        const text = chatText(approval, deps.publicUrl, linkToken(key, approval.id, `${channel}:${alias}`));
        const input = channel === 'slack' ? { text } : { title: `Approval needed: ${approval.playbookName}`, text };
        await action.run(
          {
            workspaceId: approval.workspaceId,
            runId: approval.runId,
            stepKey: approval.stepKey,
            idempotencyKey: `${approval.id}:${channel}`,
            attempt: 1,
            signal: AbortSignal.timeout(30_000),
            connection,
            actor: x.actor,
            publicUrl: deps.publicUrl,
          },
          action.input.parse(input),
        );
        delivery.chat!.push(`${channel}:${alias}`);
      } catch (error) {
        delivery.errors!.push(`${channel}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return delivery;
  }

  async function state(x: Execution, approvalId: string): Promise<ApprovalState> {
    const approval = await findApproval(db, x.run.workspaceId, approvalId);
    if (!approval) throw new Error(`approval ${approvalId} no longer exists`);
    return stateOf(approval);
  }

  return {
    async request(x, record, request) {
      const at = deps.now();
      const id = newId(at);
      const { assignees, recipients: people } = await recipients(request.users, request.groups);
      const chatRecipients = (['slack', 'teams'] as const).flatMap((c) =>
        request.notify[c] ? [`${c}:${request.notify[c]}`] : [],
      );
      const key = deps.linkKey();
      const approval: ApprovalsTable = {
        workspace_id: x.run.workspaceId,
        id,
        run_id: x.run.id,
        step_key: record.key,
        playbook_id: x.run.playbookId,
        playbook_name: x.run.playbookName,
        incident_id: x.run.incidentId,
        message: request.message.slice(0, 10_000),
        choices: toJson(request.choices),
        assignee_users: toJson(assignees.users),
        assignee_groups: toJson(assignees.groups),
        default_choice: request.defaultChoice,
        expires_at: request.expiresAt,
        status: 'pending',
        choice: null,
        answered_by: null,
        answered_via: null,
        answered_at: null,
        notified: toJson({ plan: request.notify, sentAt: null } satisfies Delivery),
        created_at: at,
        version: 1,
      };
      const links: ApprovalLinksTable[] = [
        ...people.map((p) => ({ recipient: p.email, userId: p.userId })),
        ...chatRecipients.map((r) => ({ recipient: r, userId: null })),
      ].map(({ recipient, userId }) => ({
        token_hash: tokenHash(linkToken(key, id, recipient)),
        workspace_id: x.run.workspaceId,
        approval_id: id,
        recipient,
        user_id: userId,
        used_at: null,
        expires_at: request.expiresAt,
      }));
      x.journal.addApproval(approval, links);
      return { approvalId: id };
    },

    state,

    async expire(x, approvalId) {
      await db
        .updateTable('approvals')
        .set({
          status: 'expired',
          choice: sql`default_choice`,
          answered_via: 'default',
          answered_at: deps.now(),
          version: sql`version + 1`,
        })
        .where('workspace_id', '=', x.run.workspaceId)
        .where('id', '=', approvalId)
        .where('status', '=', 'pending')
        .execute();
      return state(x, approvalId);
    },

    async deliver(x, approvalId) {
      const approval = await findApproval(db, x.run.workspaceId, approvalId);
      if (!approval || approval.delivery.sentAt !== null || approval.status !== 'pending') return;
      const links = await db
        .selectFrom('approval_links')
        .select('recipient')
        .where('workspace_id', '=', approval.workspaceId)
        .where('approval_id', '=', approval.id)
        .execute();
      const delivery = await sendAll(x, approval, links);
      for (const error of delivery.errors ?? [])
        deps.logger.warn({ approvalId, runId: x.run.id }, `approval notification: ${error}`);
      await db
        .updateTable('approvals')
        .set({ notified: toJson(delivery) })
        .where('workspace_id', '=', approval.workspaceId)
        .where('id', '=', approval.id)
        .execute();
    },
  };
}
