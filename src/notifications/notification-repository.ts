import { SYSTEM_ACTOR, type Actor } from '../common/actor.js';
import type { Severity } from '../common/enums.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { fromJson, toJson } from '../storage/json.js';
import type { NotificationRulesTable } from '../storage/schema-notifications.js';
import type { UpdateKind } from './notification-schemas.js';

/** A rule's filters as stored: analytics rules by id. */
export interface StoredFilters {
  severities: Severity[];
  products: string[];
  analyticsRuleIds: string[];
  tags: string[];
  hostGroups: string[];
}

/** A rule's recipients as stored: users and groups by id, other addresses as given. */
export interface StoredRecipients {
  userIds: string[];
  groupIds: string[];
  addresses: string[];
}

/** A notification rule as services see it. */
export interface NotificationRuleRecord {
  workspaceId: string;
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  onCreated: boolean;
  onUpdates: UpdateKind[];
  filters: StoredFilters;
  recipients: StoredRecipients;
  includeSummary: boolean;
  digestAfter: number;
  createdBy: Actor;
  modifiedBy: Actor;
  createdAt: number;
  updatedAt: number;
  version: number;
}

const NO_FILTERS: StoredFilters = { severities: [], products: [], analyticsRuleIds: [], tags: [], hostGroups: [] };

/** Maps a row to a record. */
export function ruleFromRow(row: NotificationRulesTable): NotificationRuleRecord {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    name: row.name,
    description: row.description,
    enabled: row.enabled === 1,
    onCreated: row.on_created === 1,
    onUpdates: fromJson<UpdateKind[]>(row.on_updates, []),
    filters: { ...NO_FILTERS, ...fromJson<Partial<StoredFilters>>(row.filters, {}) },
    recipients: { userIds: [], groupIds: [], addresses: [], ...fromJson<Partial<StoredRecipients>>(row.recipients, {}) },
    includeSummary: row.include_summary === 1,
    digestAfter: row.digest_after,
    createdBy: fromJson<Actor>(row.created_by, SYSTEM_ACTOR),
    modifiedBy: fromJson<Actor>(row.modified_by, SYSTEM_ACTOR),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    version: row.version,
  };
}

/** Maps a record to its row. */
export function ruleToRow(rule: NotificationRuleRecord): NotificationRulesTable {
  return {
    workspace_id: rule.workspaceId,
    id: rule.id,
    name: rule.name,
    name_key: rule.name.trim().toLowerCase(),
    description: rule.description,
    enabled: rule.enabled ? 1 : 0,
    on_created: rule.onCreated ? 1 : 0,
    on_updates: toJson(rule.onUpdates),
    filters: toJson(rule.filters),
    recipients: toJson(rule.recipients),
    include_summary: rule.includeSummary ? 1 : 0,
    digest_after: rule.digestAfter,
    created_by: toJson(rule.createdBy),
    modified_by: toJson(rule.modifiedBy),
    created_at: rule.createdAt,
    updated_at: rule.updatedAt,
    version: rule.version,
  };
}

/** Finds a rule by id or (case-insensitive) name. */
export async function findNotificationRule(
  db: Executor,
  workspaceId: string,
  ref: string,
): Promise<NotificationRuleRecord | undefined> {
  const row = await db
    .selectFrom('notification_rules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('id', '=', ref), eb('name_key', '=', ref.trim().toLowerCase())]))
    .executeTakeFirst();
  return row ? ruleFromRow(row) : undefined;
}

/** Finds a rule by id only (deliveries name their rule by id). */
export async function findNotificationRuleById(
  db: Executor,
  workspaceId: string,
  id: string,
): Promise<NotificationRuleRecord | undefined> {
  const row = await db
    .selectFrom('notification_rules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? ruleFromRow(row) : undefined;
}

/** Whether another rule of the workspace has this name. */
export async function nameTaken(db: Executor, workspaceId: string, name: string, exceptId?: string): Promise<boolean> {
  let query = db
    .selectFrom('notification_rules')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('name_key', '=', name.trim().toLowerCase());
  if (exceptId) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

/** The workspace's rules by name. */
export async function listNotificationRules(db: Executor, workspaceId: string): Promise<NotificationRuleRecord[]> {
  const rows = await db
    .selectFrom('notification_rules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('name_key')
    .execute();
  return rows.map(ruleFromRow);
}

/**
 * The enabled rules of a workspace. With `lock` on PostgreSQL, their rows stay locked for the
 * transaction: the dispatcher and a digest's sender take them so rate-limit windows change one
 * writer at a time.
 */
export async function enabledRules(db: Executor, workspaceId: string, lock?: Dialect): Promise<NotificationRuleRecord[]> {
  let query = db
    .selectFrom('notification_rules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('enabled', '=', 1)
    .orderBy('id');
  if (lock?.supportsRowLocks) query = query.forUpdate();
  return (await query.execute()).map(ruleFromRow);
}

/** Locks one rule's row for the transaction (PostgreSQL; SQLite has one writer at a time). */
export async function lockNotificationRule(trx: Executor, dialect: Dialect, workspaceId: string, id: string): Promise<void> {
  if (!dialect.supportsRowLocks) return;
  await trx
    .selectFrom('notification_rules')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .execute();
}

/** How many rules a workspace has, and how many of them are enabled. */
export async function countRules(db: Executor, workspaceId: string): Promise<{ total: number; enabled: number }> {
  const rows = await db
    .selectFrom('notification_rules')
    .select((eb) => ['enabled', eb.fn.countAll<number>().as('count')])
    .where('workspace_id', '=', workspaceId)
    .groupBy('enabled')
    .execute();
  const total = rows.reduce((sum, r) => sum + Number(r.count), 0);
  return { total, enabled: Number(rows.find((r) => r.enabled === 1)?.count ?? 0) };
}

/** Inserts a rule. */
export async function insertNotificationRule(trx: Executor, rule: NotificationRuleRecord): Promise<void> {
  await trx.insertInto('notification_rules').values(ruleToRow(rule)).execute();
}

/** Writes a rule if its version is still `expected`; returns whether it did. */
export async function updateNotificationRule(trx: Executor, rule: NotificationRuleRecord, expected: number): Promise<boolean> {
  const { workspace_id, id, ...rest } = ruleToRow(rule);
  const result = await trx
    .updateTable('notification_rules')
    .set(rest)
    .where('workspace_id', '=', workspace_id)
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes a rule and its rate-limit state (its delivery log ages out with the others). */
export async function deleteNotificationRule(trx: Executor, workspaceId: string, id: string): Promise<void> {
  await trx.deleteFrom('notification_digest_items').where('workspace_id', '=', workspaceId).where('rule_id', '=', id).execute();
  await trx.deleteFrom('notification_windows').where('workspace_id', '=', workspaceId).where('rule_id', '=', id).execute();
  await trx.deleteFrom('notification_rules').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}
