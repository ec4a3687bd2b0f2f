import { requirePermission, type Access } from '../auth/permissions.js';
import { resolveAnalyticsRules } from '../automation-rules/rule-service.js';
import {
  ConflictError,
  LimitExceededError,
  NotFoundError,
  PreconditionFailedError,
  RuleViolationError,
} from '../errors/errors.js';
import { listDeliveries, setSubscriberCount } from '../events/index.js';
import { decodeCursor, encodeCursor, isoTime } from '../http/cursor.js';
import { etagOf } from '../http/schemas.js';
import { newId } from '../ids/ids.js';
import type { Mailer } from '../mail/mailer.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import { findWorkspace } from '../workspaces/index.js';
import { EMAIL_CHANNEL } from './notification-consumer.js';
import { testEmail } from './notification-email.js';
import { describeRecipients, loadAudience, storeRecipients } from './notification-recipients.js';
import { sampleIncident, toNotificationDelivery } from './notification-views.js';
import {
  countRules,
  deleteNotificationRule,
  findNotificationRule,
  insertNotificationRule,
  listNotificationRules,
  nameTaken,
  updateNotificationRule,
  type NotificationRuleRecord,
  type StoredFilters,
} from './notification-repository.js';
import {
  NOTIFICATION_LIMITS,
  type DeliveryQuery,
  type NotificationDelivery,
  type NotificationFiltersInput,
  type NotificationRule,
  type NotificationRuleCreate,
  type NotificationRulePatch,
  type TestSendResult,
} from './notification-schemas.js';

/** Email notification rules: CRUD, the delivery log, and the test send. */
export type NotificationService = ReturnType<typeof createNotificationService>;

/** Builds the notification rule service. */
export function createNotificationService(deps: { storage: Storage; now?: () => number; mailer: Mailer; publicUrl: string }) {
  const { storage, mailer, publicUrl } = deps;
  const { db } = storage;
  const now = deps.now ?? Date.now;

  async function present(executor: Executor, rules: NotificationRuleRecord[]): Promise<NotificationRule[]> {
    const ruleIds = [...new Set(rules.flatMap((r) => r.filters.analyticsRuleIds))];
    const names = ruleIds.length
      ? await executor
          .selectFrom('analytics_rules')
          .select(['id', 'name'])
          .where('workspace_id', '=', rules[0]!.workspaceId)
          .where('id', 'in', ruleIds)
          .execute()
      : [];
    const recipientsOf = await describeRecipients(
      executor,
      rules.map((r) => r.recipients),
    );
    return rules.map((rule) => ({
      id: rule.id,
      name: rule.name,
      description: rule.description,
      enabled: rule.enabled,
      triggers: { created: rule.onCreated, updates: rule.onUpdates },
      filters: {
        severities: rule.filters.severities,
        products: rule.filters.products,
        analyticsRules: rule.filters.analyticsRuleIds.map((id) => ({
          id,
          name: names.find((n) => n.id === id)?.name ?? '(deleted)',
        })),
        tags: rule.filters.tags,
        hostGroups: rule.filters.hostGroups,
      },
      recipients: recipientsOf(rule.recipients),
      includeSummary: rule.includeSummary,
      digestAfter: rule.digestAfter,
      createdBy: rule.createdBy,
      modifiedBy: rule.modifiedBy,
      createdAt: isoTime(rule.createdAt),
      updatedAt: isoTime(rule.updatedAt),
      etag: etagOf(rule.version),
    }));
  }

  async function requireRule(executor: Executor, access: Access, ref: string): Promise<NotificationRuleRecord> {
    const rule = await findNotificationRule(executor, access.workspaceId!, ref);
    if (!rule) throw new NotFoundError(`Notification rule ${ref} not found in workspace ${access.workspaceId}`);
    return rule;
  }

  async function storeFilters(trx: Executor, workspaceId: string, input: NotificationFiltersInput): Promise<StoredFilters> {
    const analyticsRules = input.analyticsRules.length
      ? await resolveAnalyticsRules(trx, workspaceId, input.analyticsRules, 'filters.analyticsRules')
      : [];
    const unique = (values: string[]) => [...new Map(values.map((v) => [v.toLowerCase(), v])).values()];
    return {
      severities: [...new Set(input.severities)],
      products: unique(input.products),
      analyticsRuleIds: analyticsRules.map((r) => r.id),
      tags: unique(input.tags),
      hostGroups: unique(input.hostGroups),
    };
  }

  async function checkName(trx: Executor, workspaceId: string, name: string, exceptId?: string) {
    if (await nameTaken(trx, workspaceId, name, exceptId)) {
      throw new ConflictError(`A notification rule named ${JSON.stringify(name)} already exists in workspace ${workspaceId}`, [
        { path: 'name', message: 'is taken by another rule' },
      ]);
    }
  }

  /** Keeps the outbox on while the workspace has an enabled rule (in the rule change's transaction). */
  async function syncSubscribers(trx: Executor, workspaceId: string) {
    await setSubscriberCount(trx, workspaceId, EMAIL_CHANNEL, (await countRules(trx, workspaceId)).enabled);
  }

  return {
    /** The workspace's rules, by name. */
    async list(access: Access): Promise<NotificationRule[]> {
      requirePermission(access, 'rules.read');
      return present(db, await listNotificationRules(db, access.workspaceId!));
    },

    /** One rule by id or name. */
    async get(access: Access, ref: string): Promise<NotificationRule> {
      requirePermission(access, 'rules.read');
      return (await present(db, [await requireRule(db, access, ref)]))[0]!;
    },

    /** Creates a rule (at most 100 per workspace). */
    async create(access: Access, input: NotificationRuleCreate): Promise<NotificationRule> {
      requirePermission(access, 'rules.write');
      const workspaceId = access.workspaceId!;
      return db.transaction().execute(async (trx) => {
        if ((await countRules(trx, workspaceId)).total >= NOTIFICATION_LIMITS.rulesPerWorkspace) {
          throw new LimitExceededError(
            `A workspace holds at most ${NOTIFICATION_LIMITS.rulesPerWorkspace} notification rules; delete one first`,
            { limit: NOTIFICATION_LIMITS.rulesPerWorkspace },
          );
        }
        await checkName(trx, workspaceId, input.name);
        const at = now();
        const rule: NotificationRuleRecord = {
          workspaceId,
          id: newId(at),
          name: input.name,
          description: input.description,
          enabled: input.enabled,
          onCreated: input.triggers.created,
          onUpdates: [...new Set(input.triggers.updates)],
          filters: await storeFilters(trx, workspaceId, input.filters),
          recipients: await storeRecipients(trx, workspaceId, input.recipients),
          includeSummary: input.includeSummary,
          digestAfter: input.digestAfter,
          createdBy: access.actor,
          modifiedBy: access.actor,
          createdAt: at,
          updatedAt: at,
          version: 1,
        };
        await insertNotificationRule(trx, rule);
        await syncSubscribers(trx, workspaceId);
        return (await present(trx, [rule]))[0]!;
      });
    },

    /** Changes a rule; `filters`, `recipients` and `triggers` are replaced whole. */
    async update(access: Access, ref: string, patch: NotificationRulePatch, ifMatch?: string): Promise<NotificationRule> {
      requirePermission(access, 'rules.write');
      return db.transaction().execute(async (trx) => {
        const current = await requireRule(trx, access, ref);
        const stale = () =>
          new PreconditionFailedError(`Notification rule ${current.name} was changed by someone else; reload it and try again`);
        if (ifMatch !== undefined && ifMatch !== String(current.version)) throw stale();
        if (patch.name !== undefined) await checkName(trx, current.workspaceId, patch.name, current.id);
        const next: NotificationRuleRecord = {
          ...current,
          name: patch.name ?? current.name,
          description: patch.description ?? current.description,
          enabled: patch.enabled ?? current.enabled,
          onCreated: patch.triggers ? patch.triggers.created : current.onCreated,
          onUpdates: patch.triggers ? [...new Set(patch.triggers.updates)] : current.onUpdates,
          filters: patch.filters ? await storeFilters(trx, current.workspaceId, patch.filters) : current.filters,
          recipients: patch.recipients ? await storeRecipients(trx, current.workspaceId, patch.recipients) : current.recipients,
          includeSummary: patch.includeSummary ?? current.includeSummary,
          digestAfter: patch.digestAfter ?? current.digestAfter,
          modifiedBy: access.actor,
          updatedAt: now(),
          version: current.version + 1,
        };
        if (!(await updateNotificationRule(trx, next, current.version))) throw stale();
        await syncSubscribers(trx, current.workspaceId);
        return (await present(trx, [next]))[0]!;
      });
    },

    /** Deletes a rule; emails not sent yet are skipped. */
    async remove(access: Access, ref: string): Promise<void> {
      requirePermission(access, 'rules.write');
      await db.transaction().execute(async (trx) => {
        const rule = await requireRule(trx, access, ref);
        await deleteNotificationRule(trx, rule.workspaceId, rule.id);
        await syncSubscribers(trx, rule.workspaceId);
      });
    },

    /** Sends a sample email to each of the rule's recipients now, and says how each went. */
    async test(access: Access, ref: string): Promise<TestSendResult> {
      requirePermission(access, 'rules.write');
      const rule = await requireRule(db, access, ref);
      if (!mailer.configured) {
        throw new RuleViolationError(
          'No SMTP server is configured (set SMTP_URL and SMTP_FROM on the server), so Vigil cannot send email',
        );
      }
      const audience = await loadAudience(db, rule.workspaceId, [rule.recipients]);
      const { addresses, skipped } = audience.addressesOf(rule.recipients);
      const workspace = await findWorkspace(db, rule.workspaceId);
      const email = testEmail({
        ruleName: rule.name,
        workspaceName: workspace?.name ?? rule.workspaceId,
        sample: sampleIncident(publicUrl, rule.workspaceId, now()),
      });
      const results: TestSendResult['results'] = skipped.map((s) => ({
        recipient: s.recipient,
        status: 'skipped',
        error: s.reason,
      }));
      // One at a time: a test is a handful of emails, and a slow server should not get them all at once.
      for (const recipient of addresses) {
        try {
          await mailer.send({
            to: [recipient],
            ...email,
            headers: { 'Auto-Submitted': 'auto-generated', 'X-Vigil-Rule': rule.id },
          });
          results.push({ recipient, status: 'sent', error: null });
        } catch (error) {
          const e = error as { response?: string; message?: string };
          results.push({ recipient, status: 'failed', error: (e.response ?? e.message ?? String(error)).slice(0, 1000) });
        }
      }
      return { results };
    },

    /** A page of the rule's delivery log, newest first. */
    async deliveries(
      access: Access,
      ref: string,
      query: DeliveryQuery,
    ): Promise<{ items: NotificationDelivery[]; nextCursor: string | null }> {
      requirePermission(access, 'rules.read');
      const rule = await requireRule(db, access, ref);
      const beforeId = query.cursor ? String(decodeCursor(query.cursor, 1)[0]) : undefined;
      const rows = await listDeliveries(db, {
        workspaceId: rule.workspaceId,
        channel: EMAIL_CHANNEL,
        targetId: rule.id,
        status: query.status,
        beforeId,
        limit: query.limit,
      });
      const page = rows.slice(0, query.limit);
      return {
        items: page.map(toNotificationDelivery),
        nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
      };
    },
  };
}
