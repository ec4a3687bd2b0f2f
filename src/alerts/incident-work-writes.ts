import { sql } from 'kysely';
import { saveEntities } from '../entities/entity-repository.js';
import { addIncidentSources, updateIncidentTags, updateLockedIncidents, type IncidentRecord } from '../incidents/index.js';
import { cascadeToAlerts } from '../incidents/incident-repository.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { toJson } from '../storage/json.js';
import type { EntitiesTable } from '../storage/schema.js';
import type { IncidentWork } from './incident-work.js';

/**
 * Writes existing incidents that gained alerts (locked by the caller in this transaction): the
 * rows with their version bumped and the status/severity counters, the system tags and the
 * product/rule index rows the queue filters on, and the re-activation of a re-opened incident's alerts.
 */
export async function saveExistingWork(trx: Executor, dialect: Dialect, works: IncidentWork[], at: number): Promise<void> {
  for (const work of works) work.record.version = work.before.version + 1;
  await updateLockedIncidents(
    trx,
    dialect,
    works.map((w) => ({ record: w.record, previous: w.before })),
  );
  for (const work of works) {
    const { record, before } = work;
    if (record.systemTags.length !== before.systemTags.length) await updateIncidentTags(trx, dialect, before, record, 'system');
    await addIncidentSources(trx, dialect, [
      ...record.productNames
        .filter((p) => !before.productNames.includes(p))
        .map((value) => ({ workspaceId: record.workspaceId, incidentId: record.id, kind: 'product' as const, value })),
      ...record.analyticsRuleIds
        .filter((r) => !before.analyticsRuleIds.includes(r))
        .map((value) => ({ workspaceId: record.workspaceId, incidentId: record.id, kind: 'rule' as const, value })),
    ]);
    if (work.reopened) await cascadeToAlerts(trx, record.workspaceId, record.id, { status: 'New' }, at);
  }
}

/**
 * Writes the entities the work touched: new ones are inserted; ones the incident already had get
 * the added alerts counted and their last-seen time moved (their stored properties stay).
 */
export async function saveWorkEntities(
  trx: Executor,
  dialect: Dialect,
  workspaceId: string,
  works: IncidentWork[],
): Promise<void> {
  const rows: EntitiesTable[] = [];
  for (const work of works) {
    for (const entity of work.entities.values()) {
      if (!entity.isNew && entity.addedAlerts === 0) continue;
      rows.push({
        workspace_id: workspaceId,
        id: entity.id,
        incident_id: work.record.id,
        kind: entity.kind,
        identity_key: entity.identity,
        name: entity.name,
        // Known entities keep their stored properties; these values only count the new alerts.
        properties: entity.isNew ? toJson(entity.properties) : '{}',
        alert_count: entity.addedAlerts,
        first_seen_at: entity.isNew ? entity.firstSeenAt : entity.lastSeenAt,
        last_seen_at: entity.lastSeenAt,
      });
    }
  }
  await saveEntities(trx, dialect, rows);
}

/**
 * Writes an incident (locked by the caller) that an alert left: the row with its version bumped
 * and the counters, its system tags and queue index rows, and the uncounted entities.
 */
export async function saveIncidentWithout(
  trx: Executor,
  dialect: Dialect,
  record: IncidentRecord,
  previous: IncidentRecord,
  entityIds: string[],
): Promise<void> {
  record.version = previous.version + 1;
  await updateLockedIncidents(trx, dialect, [{ record, previous }]);
  if (record.systemTags.length !== previous.systemTags.length) await updateIncidentTags(trx, dialect, previous, record, 'system');
  await removeIncidentSources(trx, record, previous);
  await releaseIncidentEntities(trx, record.workspaceId, record.id, entityIds);
}

/** Drops the queue's product/rule index rows of values an incident lost; the counterpart of `addIncidentSources`. */
async function removeIncidentSources(trx: Executor, record: IncidentRecord, previous: IncidentRecord): Promise<void> {
  const gone = (before: string[], after: string[]) => {
    const kept = new Set(after.map((v) => v.toLowerCase()));
    return [...new Set(before.map((v) => v.toLowerCase()))].filter((v) => !kept.has(v));
  };
  for (const [kind, keys] of [
    ['product', gone(previous.productNames, record.productNames)],
    ['rule', gone(previous.analyticsRuleIds, record.analyticsRuleIds)],
  ] as const) {
    if (keys.length === 0) continue;
    await trx
      .deleteFrom('incident_sources')
      .where('workspace_id', '=', record.workspaceId)
      .where('incident_id', '=', record.id)
      .where('kind', '=', kind)
      .where('value_key', 'in', keys)
      .execute();
  }
}

/**
 * Uncounts an alert that left an incident from the incident's entities it mentioned. The entities
 * stay (they may come from other alerts, and what was seen stays recorded); only `alertCount` drops.
 */
async function releaseIncidentEntities(
  trx: Executor,
  workspaceId: string,
  incidentId: string,
  entityIds: string[],
): Promise<void> {
  if (entityIds.length === 0) return;
  await trx
    .updateTable('entities')
    .set({ alert_count: sql`alert_count - 1` })
    .where('workspace_id', '=', workspaceId)
    .where('incident_id', '=', incidentId)
    .where('id', 'in', [...new Set(entityIds)])
    .where('alert_count', '>', 0)
    .execute();
}
