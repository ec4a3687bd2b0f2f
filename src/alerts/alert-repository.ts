import { sql } from 'kysely';
import type { Dialect, Executor } from '../storage/dialect.js';
import { insertRows } from '../storage/bulk.js';
import { chunkRows } from '../storage/json.js';
import type { AlertsTable } from '../storage/schema.js';

/** An alert already stored, found by the source's id. */
export interface StoredAlertRef {
  id: string;
  incidentId: string | null;
  incidentNumber: number | null;
}

/** The duplicate-detection key: product (case-insensitive) + the source's alert id. */
export const sourceKeyOf = (sourceKey: string, sourceAlertId: string) => `${sourceKey}\u0000${sourceAlertId}`;

/** Finds alerts already ingested with these product + source ids. */
export async function findAlertsBySourceIds(
  db: Executor,
  workspaceId: string,
  keys: { sourceKey: string; sourceAlertId: string }[],
): Promise<Map<string, StoredAlertRef>> {
  const found = new Map<string, StoredAlertRef>();
  const ids = [...new Set(keys.map((k) => k.sourceAlertId))];
  for (const chunk of chunkRows(ids, 1, 10_000)) {
    const rows = await db
      .selectFrom('alerts as a')
      .leftJoin('incidents as i', (join) =>
        join.onRef('i.workspace_id', '=', 'a.workspace_id').onRef('i.id', '=', 'a.incident_id'),
      )
      .select(['a.id', 'a.incident_id', 'a.source_key', 'a.source_alert_id', 'i.number'])
      .where('a.workspace_id', '=', workspaceId)
      .where('a.source_alert_id', 'in', chunk)
      .execute();
    for (const row of rows) {
      found.set(sourceKeyOf(row.source_key, row.source_alert_id), {
        id: row.id,
        incidentId: row.incident_id,
        incidentNumber: row.number ?? null,
      });
    }
  }
  return found;
}

/** Inserts alert rows. */
export async function insertAlerts(trx: Executor, dialect: Dialect, rows: AlertsTable[]): Promise<void> {
  await insertRows(trx, dialect, 'alerts', rows);
}

/** Alert filters for listing. */
export interface AlertFilter {
  workspaceId: string;
  incidentId?: string;
  products?: string[];
  severities?: string[];
  statuses?: string[];
  analyticsRuleId?: string;
  receivedFrom?: number;
  receivedTo?: number;
  withoutIncident?: boolean;
}

/** A page of alerts, newest first by receipt. */
export async function listAlerts(
  db: Executor,
  filter: AlertFilter,
  page: { after?: [number, string]; limit: number },
): Promise<AlertsTable[]> {
  let query = db.selectFrom('alerts').selectAll().where('workspace_id', '=', filter.workspaceId);
  if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
  if (filter.withoutIncident) query = query.where('incident_id', 'is', null);
  if (filter.products?.length)
    query = query.where(
      'source_key',
      'in',
      filter.products.map((p) => p.toLowerCase()),
    );
  if (filter.severities?.length) query = query.where('severity', 'in', filter.severities);
  if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses);
  if (filter.analyticsRuleId) query = query.where('analytics_rule_id', '=', filter.analyticsRuleId);
  if (filter.receivedFrom !== undefined) query = query.where('received_at', '>=', filter.receivedFrom);
  if (filter.receivedTo !== undefined) query = query.where('received_at', '<', filter.receivedTo);
  if (page.after) {
    const [at, id] = page.after;
    query = query.where((eb) => eb(eb.refTuple('received_at', 'id'), '<', eb.tuple(at, id)));
  }
  return query
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

/** Reads one alert; with `lock`, PostgreSQL locks its row for the rest of the transaction. */
export async function findAlert(db: Executor, workspaceId: string, id: string, lock?: Dialect): Promise<AlertsTable | undefined> {
  let query = db.selectFrom('alerts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
  if (lock?.supportsRowLocks) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** What an alert gives its incident (products, rules, tactics, times, severity): enough to recompute the aggregates. */
export type AlertContribution = Pick<
  AlertsTable,
  | 'id'
  | 'title'
  | 'severity'
  | 'product_name'
  | 'analytics_rule_id'
  | 'tactics'
  | 'techniques'
  | 'tags'
  | 'start_time'
  | 'end_time'
  | 'alert_time'
>;

/** What each alert of an incident contributes to it (without payloads). */
export async function findIncidentContributions(
  db: Executor,
  workspaceId: string,
  incidentId: string,
): Promise<AlertContribution[]> {
  return db
    .selectFrom('alerts')
    .select([
      'id',
      'title',
      'severity',
      'product_name',
      'analytics_rule_id',
      'tactics',
      'techniques',
      'tags',
      'start_time',
      'end_time',
      'alert_time',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('incident_id', '=', incidentId)
    .execute();
}

/** Where an alert now belongs: its incident, the incident's entity ids, and what it took from the incident. */
export type AlertPlacement = Pick<AlertsTable, 'incident_id' | 'entities' | 'owner_type' | 'owner_id' | 'status'>;

/** Moves an alert to another incident (bumping its version). */
export async function updateAlertPlacement(
  trx: Executor,
  workspaceId: string,
  id: string,
  placement: AlertPlacement,
  at: number,
): Promise<void> {
  await trx
    .updateTable('alerts')
    .set({ ...placement, updated_at: at, version: sql`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}
