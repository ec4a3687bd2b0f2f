import type { Severity } from '../common/enums.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { insertRows } from '../storage/bulk.js';
import { fromJson, toJson } from '../storage/json.js';
import type { AnalyticsRulesTable } from '../storage/schema.js';
import { DEFAULT_GROUPING, type Grouping } from './grouping.js';

/** An analytics rule as services see it. */
export interface AnalyticsRuleRecord {
  workspaceId: string;
  id: string;
  externalId: string | null;
  name: string;
  description: string;
  severity: Severity;
  enabled: boolean;
  tactics: string[];
  techniques: string[];
  createsIncidents: boolean;
  grouping: Grouping;
  /** Automated response: playbooks (alert trigger) run on each alert the rule raises. */
  playbookIds: string[];
  origin: 'implicit' | 'manual';
  createdAt: number;
  updatedAt: number;
  version: number;
}

/** Maps a row to a record. */
export function ruleFromRow(row: AnalyticsRulesTable): AnalyticsRuleRecord {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    externalId: row.external_id,
    name: row.name,
    description: row.description,
    severity: row.severity as Severity,
    enabled: row.enabled === 1,
    tactics: fromJson<string[]>(row.tactics, []),
    techniques: fromJson<string[]>(row.techniques, []),
    createsIncidents: row.creates_incidents === 1,
    grouping: { ...DEFAULT_GROUPING, ...fromJson<Partial<Grouping>>(row.grouping, {}) },
    playbookIds: fromJson<string[]>(row.playbook_ids, []),
    origin: row.origin as 'implicit' | 'manual',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** Maps a record to its row. */
export function ruleToRow(rule: AnalyticsRuleRecord): AnalyticsRulesTable {
  return {
    workspace_id: rule.workspaceId,
    id: rule.id,
    external_id: rule.externalId,
    name: rule.name,
    name_key: rule.name.trim().toLowerCase(),
    description: rule.description,
    severity: rule.severity,
    enabled: rule.enabled ? 1 : 0,
    tactics: toJson(rule.tactics),
    techniques: toJson(rule.techniques),
    creates_incidents: rule.createsIncidents ? 1 : 0,
    grouping: toJson(rule.grouping),
    playbook_ids: rule.playbookIds.length > 0 ? toJson(rule.playbookIds) : null,
    origin: rule.origin,
    created_at: rule.createdAt,
    updated_at: rule.updatedAt,
    version: rule.version,
  };
}

/** Finds rules by the source's ids and by names (lower-cased), for a batch of alerts. */
export async function findRulesByKeys(
  db: Executor,
  workspaceId: string,
  externalIds: string[],
  nameKeys: string[],
): Promise<AnalyticsRuleRecord[]> {
  if (externalIds.length === 0 && nameKeys.length === 0) return [];
  const rows = await db
    .selectFrom('analytics_rules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([
        ...(externalIds.length ? [eb('external_id', 'in', externalIds)] : []),
        ...(nameKeys.length ? [eb('name_key', 'in', nameKeys)] : []),
      ]),
    )
    .orderBy('created_at')
    .execute();
  return rows.map(ruleFromRow);
}

/** Inserts rules. */
export async function insertRules(trx: Executor, dialect: Dialect, rules: AnalyticsRuleRecord[]): Promise<void> {
  await insertRows(trx, dialect, 'analytics_rules', rules.map(ruleToRow));
}

/** Gives a rule the source's id for it (once; rules created by name have none). */
export async function setRuleExternalId(trx: Executor, workspaceId: string, id: string, externalId: string): Promise<void> {
  await trx
    .updateTable('analytics_rules')
    .set({ external_id: externalId })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('external_id', 'is', null)
    .execute();
}

/** Finds one rule by id. */
export async function findRuleById(db: Executor, workspaceId: string, id: string): Promise<AnalyticsRuleRecord | undefined> {
  const row = await db
    .selectFrom('analytics_rules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? ruleFromRow(row) : undefined;
}

/** Writes a rule if its version is still `expectedVersion`. */
export async function updateRuleRow(trx: Executor, rule: AnalyticsRuleRecord, expectedVersion: number): Promise<boolean> {
  const { workspace_id, id, created_at, ...mutable } = ruleToRow(rule);
  void created_at;
  const result = await trx
    .updateTable('analytics_rules')
    .set(mutable)
    .where('workspace_id', '=', workspace_id)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Lists a workspace's rules by name, with an optional text filter. */
export async function listRules(
  db: Executor,
  dialect: Dialect,
  workspaceId: string,
  options: { text?: string; enabled?: boolean; afterName?: string; afterId?: string; limit: number },
): Promise<AnalyticsRuleRecord[]> {
  let query = db.selectFrom('analytics_rules').selectAll().where('workspace_id', '=', workspaceId);
  if (options.text) query = query.where((eb) => dialect.containsInsensitive(eb.ref('name'), options.text!));
  if (options.enabled !== undefined) query = query.where('enabled', '=', options.enabled ? 1 : 0);
  if (options.afterName !== undefined && options.afterId !== undefined) {
    query = query.where((eb) => eb(eb.refTuple('name_key', 'id'), '>', eb.tuple(options.afterName!, options.afterId!)));
  }
  const rows = await query
    .orderBy('name_key')
    .orderBy('id')
    .limit(options.limit + 1)
    .execute();
  return rows.map(ruleFromRow);
}

/**
 * The identifiers an analytics rule goes by, as automation-rule conditions may name it: its id,
 * its name, and the source's id for it (and that id's last path segment, e.g. an ARM id's GUID).
 */
export function identifiersOf(rule: {
  id: string;
  external_id?: string | null;
  externalId?: string | null;
  name: string;
}): string[] {
  const external = rule.external_id ?? rule.externalId ?? null;
  return [rule.id, rule.name, ...(external ? [external, external.split('/').pop()!] : [])];
}
