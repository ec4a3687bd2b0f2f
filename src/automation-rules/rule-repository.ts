import { sql } from 'kysely';
import type { Actor } from '../common/actor.js';
import type { Executor } from '../storage/dialect.js';
import { fromJson, toJson } from '../storage/json.js';
import type { AutomationRulesTable } from '../storage/schema.js';
import type { StoredAction } from './rule-engine.js';
import type { Condition, Trigger } from './rule-schemas.js';

/** An automation rule as stored. */
export interface RuleRecord {
  workspaceId: string;
  id: string;
  name: string;
  description: string;
  order: number;
  enabled: boolean;
  expiresAt: number | null;
  trigger: Trigger;
  analyticsRuleIds: string[] | null;
  conditions: Condition[];
  actions: StoredAction[];
  createdBy: Actor;
  modifiedBy: Actor;
  createdAt: number;
  updatedAt: number;
  version: number;
}

/** Maps a row to a record. */
export function ruleFromRow(row: AutomationRulesTable): RuleRecord {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    name: row.name,
    description: row.description,
    order: row.sort_order,
    enabled: row.enabled === 1,
    expiresAt: row.expires_at,
    trigger: row.trigger_kind as Trigger,
    analyticsRuleIds: fromJson<string[] | null>(row.analytics_rule_ids, null),
    conditions: fromJson<Condition[]>(row.conditions, []),
    actions: fromJson<StoredAction[]>(row.actions, []),
    createdBy: fromJson<Actor>(row.created_by, { type: 'system', id: 'system', name: 'Vigil' }),
    modifiedBy: fromJson<Actor>(row.modified_by, { type: 'system', id: 'system', name: 'Vigil' }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** Maps a record to its row. */
export function ruleToRow(rule: RuleRecord): AutomationRulesTable {
  return {
    workspace_id: rule.workspaceId,
    id: rule.id,
    name: rule.name,
    description: rule.description,
    sort_order: rule.order,
    enabled: rule.enabled ? 1 : 0,
    expires_at: rule.expiresAt,
    trigger_kind: rule.trigger,
    analytics_rule_ids: rule.analyticsRuleIds ? toJson(rule.analyticsRuleIds) : null,
    conditions: toJson(rule.conditions),
    actions: toJson(rule.actions),
    created_by: toJson(rule.createdBy),
    modified_by: toJson(rule.modifiedBy),
    created_at: rule.createdAt,
    updated_at: rule.updatedAt,
    version: rule.version,
  };
}

/** Every rule of a workspace, in execution order per trigger. */
export async function listRuleRecords(db: Executor, workspaceId: string): Promise<RuleRecord[]> {
  const rows = await db
    .selectFrom('automation_rules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('sort_order')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(ruleFromRow);
}

/** One rule. */
export async function findRuleRecord(db: Executor, workspaceId: string, id: string): Promise<RuleRecord | undefined> {
  const row = await db
    .selectFrom('automation_rules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? ruleFromRow(row) : undefined;
}

/** How many rules a workspace has. */
export async function countRules(db: Executor, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('automation_rules')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts a rule. */
export async function insertRule(trx: Executor, rule: RuleRecord): Promise<void> {
  await trx.insertInto('automation_rules').values(ruleToRow(rule)).execute();
}

/** Writes a rule if it is still at `expectedVersion`. */
export async function updateRuleRecord(trx: Executor, rule: RuleRecord, expectedVersion: number): Promise<boolean> {
  const { workspace_id, id, created_at, created_by, ...rest } = ruleToRow(rule);
  void [created_at, created_by];
  const result = await trx
    .updateTable('automation_rules')
    .set(rest)
    .where('workspace_id', '=', workspace_id)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes a rule (its run log stays, naming it). */
export async function deleteRuleRecord(trx: Executor, workspaceId: string, id: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('automation_rules')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Marks the workspace's rules changed, so every process recompiles them. */
export async function bumpAutomationVersion(trx: Executor, workspaceId: string): Promise<void> {
  await trx
    .updateTable('workspaces')
    .set({ automation_version: sql`automation_version + 1` })
    .where('id', '=', workspaceId)
    .execute();
}

/** The workspace's current rules version. */
export async function automationVersion(db: Executor, workspaceId: string): Promise<number> {
  const row = await db.selectFrom('workspaces').select('automation_version').where('id', '=', workspaceId).executeTakeFirst();
  return row ? Number(row.automation_version) : 0;
}
