import { insertActivity } from '../activity/activity-repository.js';
import type { NewActivity } from '../activity/activity-schemas.js';
import { identifiersOf, type AnalyticsRuleRecord } from '../analytics-rules/index.js';
import { ALERT_GROUPING_ACTOR } from '../common/actor.js';
import { findKnownEntities, findTitleEntities, type KnownEntity } from '../entities/entity-repository.js';
import { allocateIncidentNumbers, findIncidentsByIds, insertIncidents } from '../incidents/index.js';
import { newId } from '../ids/ids.js';
import {
  NO_AUTOMATION,
  type AlertFacts,
  type IncidentAutomation,
  type IncidentExtras,
} from '../incidents/incident-automation.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { fromJson, toJson } from '../storage/json.js';
import type { AlertsTable } from '../storage/schema.js';
import { findWorkspace } from '../workspaces/workspace-repository.js';
import { alertSeverity, type PreparedAlert } from './alert-input.js';
import { findAlertsBySourceIds, insertAlerts, sourceKeyOf } from './alert-repository.js';
import type { IngestResult } from './alert-schemas.js';
import { groupingKey, placeAlerts, type AlertToPlace, type GroupCandidate } from './grouping-plan.js';
import { addAlertToWork, finishTitle, workChanges, workOnExisting, workOnNew, type IncidentWork } from './incident-work.js';
import { saveExistingWork, saveWorkEntities } from './incident-work-writes.js';
import { resolveAlertRules } from './ingest-rules.js';

type Result = IngestResult['results'][number];

/**
 * Ingests a batch of prepared alerts inside the caller's transaction: drops duplicates, resolves
 * analytics rules, groups alerts into incidents, and writes alerts, incidents, entities and
 * activity. Writers of one workspace are serialized so grouping decisions see each other.
 */
export async function ingestBatch(
  trx: Executor,
  dialect: Dialect,
  workspaceId: string,
  alerts: PreparedAlert[],
  at: number,
  automation: IncidentAutomation = NO_AUTOMATION,
): Promise<IngestResult> {
  await dialect.lockWorkspace(trx, workspaceId);
  const workspace = await findWorkspace(trx, workspaceId);
  if (!workspace) throw new Error(`workspace ${workspaceId} vanished during ingestion`);

  const results: (Result | undefined)[] = new Array(alerts.length);
  const stored = await findAlertsBySourceIds(
    trx,
    workspaceId,
    alerts.map((a) => ({ sourceKey: a.sourceKey, sourceAlertId: a.input.sourceAlertId })),
  );
  const firstInBatch = new Map<string, number>();
  const duplicatesOf = new Map<number, number>();
  const fresh: PreparedAlert[] = [];
  for (const alert of alerts) {
    const key = sourceKeyOf(alert.sourceKey, alert.input.sourceAlertId);
    const known = stored.get(key);
    if (known) {
      results[alert.index] = {
        index: alert.index,
        id: known.id,
        sourceAlertId: alert.input.sourceAlertId,
        outcome: 'duplicate',
        incidentId: known.incidentId,
        incidentNumber: known.incidentNumber,
      };
    } else if (firstInBatch.has(key)) {
      duplicatesOf.set(alert.index, firstInBatch.get(key)!);
    } else {
      firstInBatch.set(key, alert.index);
      fresh.push(alert);
    }
  }

  const rules = await resolveAlertRules(trx, dialect, workspaceId, fresh, workspace.settings.defaultGrouping, at);
  const toPlace: AlertToPlace[] = fresh.map((alert) => {
    const rule = rules.get(alert.index) ?? null;
    const grouping = rule?.grouping ?? workspace.settings.defaultGrouping;
    return {
      alert,
      createsIncident: rule ? rule.enabled && rule.createsIncidents : true,
      grouping,
      key: groupingKey(alert, rule?.id ?? null, grouping),
    };
  });
  const placements = placeAlerts(toPlace, await loadCandidates(trx, dialect, workspaceId, toPlace));

  // Gather the incidents the batch touches.
  const existingIds = [...new Set(placements.flatMap((p) => (p.kind === 'existing' ? [p.incidentId] : [])))];
  const existingRecords = await findIncidentsByIds(trx, workspaceId, existingIds, dialect);
  const entityKeys = placements.flatMap((p, i) =>
    p.kind === 'existing'
      ? toPlace[i]!.alert.entities.map((e) => ({ incidentId: p.incidentId, kind: e.kind, identity: e.identity }))
      : [],
  );
  const known = groupBy(await findKnownEntities(trx, workspaceId, entityKeys));
  const namers = groupBy(
    await findTitleEntities(
      trx,
      workspaceId,
      existingRecords.filter((r) => r.titleSource !== 'manual').map((r) => r.id),
    ),
  );
  const works = new Map<string, IncidentWork>();
  for (const record of existingRecords) {
    works.set(record.id, workOnExisting(record, known.get(record.id) ?? [], namers.get(record.id) ?? []));
  }
  const created: IncidentWork[] = [];

  const alertRows: AlertsTable[] = [];
  placements.forEach((placement, i) => {
    const { alert } = toPlace[i]!;
    const rule = rules.get(alert.index) ?? null;
    const alertId = newId(at);
    const severity = alertSeverity(alert, rule?.severity);
    let work: IncidentWork | undefined;
    if (placement.kind === 'newIncident') {
      work = workOnNew(workspaceId, alert, toPlace[i]!.key, at, ALERT_GROUPING_ACTOR);
      created[placement.created] = work;
    } else if (placement.kind === 'created') {
      work = created[placement.created];
    } else if (placement.kind === 'existing') {
      work = works.get(placement.incidentId);
    }
    let entityIds: string[] = [];
    if (work) {
      entityIds = addAlertToWork(work, alert, alertId, severity, rule?.id ?? null, {
        reopen: placement.kind === 'existing' && placement.reopen,
        at,
      });
    }
    alertRows.push(alertRow(workspaceId, alertId, alert, severity, rule, work, entityIds, at));
    results[alert.index] = {
      index: alert.index,
      id: alertId,
      sourceAlertId: alert.input.sourceAlertId,
      outcome: placement.kind === 'existing' || placement.kind === 'created' ? 'grouped' : 'new',
      incidentId: work?.record.id ?? null,
      incidentNumber: null,
    };
  });

  const allWork = [...created, ...works.values()].filter((w) => w.addedAlerts.length > 0);
  for (const work of allWork) finishTitle(work);
  // What alert grouping did, recorded before the automation rules change anything.
  const groupingActivity: NewActivity[] = allWork.map((work) => ({
    workspaceId,
    incidentId: work.record.id,
    action: work.isNew ? 'incidentCreated' : 'alertsAdded',
    actor: ALERT_GROUPING_ACTOR,
    changes: workChanges(work),
    at,
  }));

  // Incident-created automation rules shape the new incidents before they are written.
  const ruleIdentifiers = new Map(
    [...new Set(rules.values())].flatMap((rule) => (rule ? [[rule.id, identifiersOf(rule)] as const] : [])),
  );
  const context = { now: at, version: workspace.automationVersion, ruleIdentifiers };
  const createdByRules = await automation.created(
    trx,
    workspaceId,
    created.map((work) => ({ record: work.record, extras: extrasOf(work) })),
    context,
  );
  createdByRules.records.forEach((record, i) => (created[i]!.record = record));
  applyRuleCascades(alertRows, created);

  // Write: new incidents (numbered in creation order), then changes to existing ones, then alerts.
  if (created.length > 0) {
    const first = await allocateIncidentNumbers(trx, workspaceId, created.length);
    created.forEach((work, i) => (work.record.number = first + i));
    await insertIncidents(
      trx,
      dialect,
      created.map((w) => w.record),
    );
  }
  const changed = [...works.values()].filter((w) => w.addedAlerts.length > 0);
  await saveExistingWork(trx, dialect, changed, at);
  await insertAlerts(trx, dialect, alertRows);

  await saveWorkEntities(trx, dialect, workspaceId, allWork);

  await insertActivity(trx, dialect, groupingActivity);
  await createdByRules.persist();

  // Alerts added to an incident are an update by alert grouping, for incident-updated rules.
  const updatedByRules = await automation.updatedMany(
    trx,
    workspaceId,
    changed.map((work) => ({
      written: work.record,
      event: { action: 'alertsAdded', actor: ALERT_GROUPING_ACTOR, changes: workChanges(work) },
    })),
    { now: at, version: workspace.automationVersion },
  );
  updatedByRules.forEach((record, i) => (changed[i]!.record = record));
  await automation.alertsCreated(
    trx,
    workspaceId,
    alertRows.map((row, i) => ({ id: row.id, facts: alertFacts(row), extras: alertExtras(toPlace[i]!.alert) })),
    context,
  );

  // Fill in incident numbers and the results of in-batch duplicates.
  const numbers = new Map(allWork.map((w) => [w.record.id, w.record.number]));
  for (const result of results) {
    if (result && result.outcome !== 'duplicate' && result.incidentId)
      result.incidentNumber = numbers.get(result.incidentId) ?? null;
  }
  for (const [index, original] of duplicatesOf) {
    const first = results[original]!;
    results[index] = { ...first, index, outcome: 'duplicate' };
  }
  const final = results as Result[];
  return {
    results: final,
    counts: {
      new: final.filter((r) => r.outcome === 'new').length,
      grouped: final.filter((r) => r.outcome === 'grouped').length,
      duplicate: final.filter((r) => r.outcome === 'duplicate').length,
    },
  };
}

/** What automation rules may read about a new incident: its entities, its alerts' custom details and titles. */
function extrasOf(work: IncidentWork): IncidentExtras {
  return {
    entities: [...work.entities.values()].map((e) => ({ kind: e.kind, properties: e.properties })),
    customDetails: work.customDetails,
    alertTitles: work.addedAlerts.map((a) => a.title),
  };
}

function alertExtras(alert: PreparedAlert): IncidentExtras {
  return { entities: alert.entities, customDetails: [alert.customDetails], alertTitles: [alert.input.title] };
}

function alertFacts(row: AlertsTable): AlertFacts {
  return {
    title: row.title,
    description: row.description,
    severity: row.severity,
    status: row.status,
    analyticsRuleIds: row.analytics_rule_id ? [row.analytics_rule_id] : [],
    tactics: fromJson<string[]>(row.tactics, []),
    tags: fromJson<string[]>(row.tags, []),
    productName: row.product_name,
    incidentId: row.incident_id,
  };
}

/** New incidents' alerts follow what the rules did: the owner they assigned, resolved when they closed it. */
function applyRuleCascades(alertRows: AlertsTable[], created: IncidentWork[]): void {
  const byId = new Map(created.map((w) => [w.record.id, w.record]));
  for (const row of alertRows) {
    const record = row.incident_id ? byId.get(row.incident_id) : undefined;
    if (!record) continue;
    row.owner_type = record.owner?.type ?? null;
    row.owner_id = record.owner?.id ?? null;
    if (record.status === 'Closed' && row.status !== 'Resolved' && row.status !== 'Dismissed') row.status = 'Resolved';
  }
}

function groupBy(entities: KnownEntity[]): Map<string, KnownEntity[]> {
  const byIncident = new Map<string, KnownEntity[]>();
  for (const entity of entities) {
    const list = byIncident.get(entity.incidentId) ?? [];
    list.push(entity);
    byIncident.set(entity.incidentId, list);
  }
  return byIncident;
}

/** Incidents that alerts with these grouping keys may join (recent enough for the longest lookback). */
async function loadCandidates(
  trx: Executor,
  dialect: Dialect,
  workspaceId: string,
  alerts: AlertToPlace[],
): Promise<GroupCandidate[]> {
  const grouped = alerts.filter((a) => a.key !== null && a.createsIncident);
  if (grouped.length === 0) return [];
  const keys = [...new Set(grouped.map((a) => a.key!))];
  const earliest = Math.min(...grouped.map((a) => a.alert.alertTime - a.grouping.lookbackMinutes * 60_000));
  const latest = Math.max(...grouped.map((a) => a.alert.alertTime + a.grouping.lookbackMinutes * 60_000));
  const candidates: GroupCandidate[] = [];
  for (let i = 0; i < keys.length; i += 5_000) {
    let query = trx
      .selectFrom('incidents')
      .select(['id', 'grouping_key', 'grouping_window_start', 'alert_count', 'status'])
      .where('workspace_id', '=', workspaceId)
      .where('grouping_key', 'in', keys.slice(i, i + 5_000))
      .where('grouping_window_start', '>=', earliest)
      .where('grouping_window_start', '<=', latest);
    // Lock them: a concurrent close or re-open must not slip between this read and our write.
    if (dialect.supportsRowLocks) query = query.orderBy('id').forUpdate();
    const rows = await query.execute();
    for (const row of rows) {
      candidates.push({
        ref: { existing: row.id },
        groupingKey: row.grouping_key!,
        windowStart: row.grouping_window_start!,
        alertCount: row.alert_count,
        closed: row.status === 'Closed',
      });
    }
  }
  return candidates;
}

function alertRow(
  workspaceId: string,
  id: string,
  alert: PreparedAlert,
  severity: string,
  rule: AnalyticsRuleRecord | null,
  work: IncidentWork | undefined,
  entityIds: string[],
  at: number,
): AlertsTable {
  const input = alert.input;
  return {
    workspace_id: workspaceId,
    id,
    incident_id: work?.record.id ?? null,
    source_key: alert.sourceKey,
    source_alert_id: input.sourceAlertId,
    title: input.title,
    description: input.description,
    severity,
    status: input.status,
    product_name: input.productName,
    vendor_name: input.vendorName,
    analytics_rule_id: rule?.id ?? null,
    analytics_rule_name: rule?.name ?? null,
    tactics: toJson(input.tactics),
    techniques: toJson(input.techniques),
    tags: toJson(input.tags),
    start_time: alert.startTime,
    end_time: alert.endTime,
    alert_time: alert.alertTime,
    custom_details: toJson(alert.customDetails),
    // Each entity names the incident entity it became (absent when the alert has no incident).
    entities: toJson(alert.entities.map((e, i) => ({ id: entityIds[i], kind: e.kind, name: e.name, properties: e.properties }))),
    raw: alert.raw,
    owner_type: work?.record.owner?.type ?? null,
    owner_id: work?.record.owner?.id ?? null,
    received_at: at,
    updated_at: at,
    version: 1,
  };
}
