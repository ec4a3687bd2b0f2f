import { insertActivity } from '../activity/activity-repository.js';
import type { NewActivity } from '../activity/activity-schemas.js';
import type { Access } from '../auth/permissions.js';
import type { Severity } from '../common/enums.js';
import { LIMITS } from '../common/limits.js';
import { entityIdentity, type EntityKind } from '../entities/index.js';
import { findKnownEntities, findTitleEntities } from '../entities/entity-repository.js';
import { ConflictError, NotFoundError, RuleViolationError } from '../errors/errors.js';
import type { IncidentAutomation } from '../incidents/incident-automation.js';
import { findIncident, findIncidentsByIds, type IncidentRecord } from '../incidents/index.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { fromJson, toJson } from '../storage/json.js';
import type { AlertsTable } from '../storage/schema.js';
import { describeOwners } from '../users/owner.js';
import { findAlert, findIncidentContributions, updateAlertPlacement } from './alert-repository.js';
import { incidentWithoutAlert } from './alert-removal.js';
import type { Alert } from './alert-schemas.js';
import { toAlert } from './alert-view.js';
import { addAlertToWork, finishTitle, workChanges, workOnExisting, type AlertToAdd, type IncidentWork } from './incident-work.js';
import { saveExistingWork, saveIncidentWithout, saveWorkEntities } from './incident-work-writes.js';

/** What adding an alert to an incident did: the alert as it is now, both incidents as written. */
export interface AlertMoveResult {
  alert: Alert;
  /** The incident the alert is in, as incident-updated automation rules left it. */
  incident: IncidentRecord;
  /** The incident the alert left, when it had one and it changed. */
  movedFrom: IncidentRecord | null;
  /** False when the alert was already in the incident (nothing was written). */
  changed: boolean;
}

type StoredEntity = { id?: string; kind: string; name: string; properties: Record<string, unknown> };

/**
 * Moves an alert into an incident inside the caller's transaction (the caller checks permissions).
 * The incident gains the alert as alert grouping adds one (counts, severity, lists, times, title,
 * entities de-duplicated) but is never re-opened; the incident it leaves is recomputed from its
 * remaining alerts and keeps its entities. Activity on both; incident-updated rules on the target.
 */
export async function moveAlertWithin(
  trx: Executor,
  deps: { dialect: Dialect; automation: IncidentAutomation },
  access: Access,
  alertId: string,
  incidentRef: string,
  at: number,
): Promise<AlertMoveResult> {
  const workspaceId = access.workspaceId!;
  const wanted = await findIncident(trx, workspaceId, incidentRef);
  if (!wanted) throw new NotFoundError(`Incident ${incidentRef} not found in workspace ${workspaceId}`);
  const { alert, target, source } = await lockMove(trx, deps.dialect, workspaceId, alertId, wanted.id);
  if (alert.incident_id === target.id) {
    return { alert: await present(trx, alert), incident: target, movedFrom: null, changed: false };
  }
  if (target.alertCount >= LIMITS.alertsPerIncident) {
    throw new RuleViolationError(
      `Incident ${target.number} already has ${target.alertCount} alerts, the most an incident holds (${LIMITS.alertsPerIncident})`,
      [{ path: 'alertId', message: `incident ${target.number} is full` }],
    );
  }

  // The incident gains the alert exactly as alert grouping adds one.
  const stored = fromJson<StoredEntity[]>(alert.entities, []);
  const adding = alertToAdd(alert, stored);
  const work = await startWork(trx, workspaceId, target, adding);
  const entityIds = addAlertToWork(work, adding, alert.id, alert.severity as Severity, alert.analytics_rule_id, {
    reopen: false,
    at,
  });
  finishTitle(work);
  await saveExistingWork(trx, deps.dialect, [work], at);
  await updateAlertPlacement(trx, workspaceId, alert.id, placementIn(work.record, alert, stored, entityIds), at);
  await saveWorkEntities(trx, deps.dialect, workspaceId, [work]);
  const added = { action: 'alertsAdded' as const, actor: access.actor, changes: workChanges(work) };
  const activity: NewActivity[] = [{ workspaceId, incidentId: target.id, ...added, at }];

  // The incident it leaves loses what only this alert gave it.
  let movedFrom: IncidentRecord | null = null;
  if (source) {
    const remaining = await findIncidentContributions(trx, workspaceId, source.id);
    const namers = source.titleSource === 'generated' ? await findTitleEntities(trx, workspaceId, [source.id]) : [];
    const names = {
      hosts: namers.filter((e) => e.kind === 'Host').map((e) => e.name),
      accounts: namers.filter((e) => e.kind === 'Account').map((e) => e.name),
    };
    const { record, changes } = incidentWithoutAlert(source, alert, remaining, names, at);
    const oldEntityIds = stored.flatMap((e) => (e.id ? [e.id] : []));
    await saveIncidentWithout(trx, deps.dialect, record, source, oldEntityIds);
    activity.push({ workspaceId, incidentId: source.id, action: 'alertsRemoved', actor: access.actor, changes, at });
    movedFrom = record;
  }
  await insertActivity(trx, deps.dialect, activity);

  // For incident-updated automation rules the target was updated with "alerts added".
  const incident = await deps.automation.updated(trx, work.record, added, { now: at });
  const moved = await findAlert(trx, workspaceId, alert.id);
  return { alert: await present(trx, moved!), incident, movedFrom, changed: true };
}

/**
 * Locks the incidents involved (ids in order, as ingestion does) and then the alert, so that a
 * concurrent move, grouping or incident change cannot slip in. Re-reads when the alert moved while
 * the locks were being taken.
 */
async function lockMove(trx: Executor, dialect: Dialect, workspaceId: string, alertId: string, targetId: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const seen = await findAlert(trx, workspaceId, alertId);
    if (!seen) throw new NotFoundError(`Alert ${alertId} not found in workspace ${workspaceId}`);
    const ids = seen.incident_id && seen.incident_id !== targetId ? [targetId, seen.incident_id] : [targetId];
    const incidents = await findIncidentsByIds(trx, workspaceId, ids, dialect);
    const alert = await findAlert(trx, workspaceId, alertId, dialect);
    if (!alert) throw new NotFoundError(`Alert ${alertId} not found in workspace ${workspaceId}`);
    if (alert.incident_id !== seen.incident_id) continue;
    const target = incidents.find((i) => i.id === targetId);
    if (!target) throw new NotFoundError(`Incident ${targetId} not found in workspace ${workspaceId}`);
    const source = incidents.find((i) => i.id === alert.incident_id && i.id !== targetId) ?? null;
    return { alert, target, source };
  }
  throw new ConflictError(`Alert ${alertId} is being moved by someone else at the same time; try again`);
}

/** A stored alert as adding it to an incident reads it; entity identities are recomputed from the stored properties. */
function alertToAdd(row: AlertsTable, stored: StoredEntity[]): AlertToAdd {
  return {
    input: {
      title: row.title,
      productName: row.product_name,
      tactics: fromJson<string[]>(row.tactics, []),
      techniques: fromJson<string[]>(row.techniques, []),
      tags: fromJson<string[]>(row.tags, []),
    },
    entities: stored.map((e) => ({
      kind: e.kind as EntityKind,
      properties: e.properties,
      identity: entityIdentity(e.kind as EntityKind, e.properties),
      name: e.name,
    })),
    customDetails: fromJson<Record<string, string[]>>(row.custom_details, {}),
    startTime: row.start_time,
    endTime: row.end_time,
    alertTime: row.alert_time,
  };
}

/** Starts the work on the target with the entities it already has among the alert's, and the hosts and accounts naming it. */
async function startWork(trx: Executor, workspaceId: string, target: IncidentRecord, adding: AlertToAdd): Promise<IncidentWork> {
  const keys = adding.entities.map((e) => ({ incidentId: target.id, kind: e.kind, identity: e.identity }));
  const known = keys.length > 0 ? await findKnownEntities(trx, workspaceId, keys) : [];
  const namers = target.titleSource !== 'manual' ? await findTitleEntities(trx, workspaceId, [target.id]) : [];
  return workOnExisting(target, known, namers);
}

/** The alert in its new incident: the incident's entity ids, its owner, and resolved when the incident is closed. */
function placementIn(incident: IncidentRecord, alert: AlertsTable, stored: StoredEntity[], entityIds: string[]) {
  const resolve = incident.status === 'Closed' && alert.status !== 'Resolved' && alert.status !== 'Dismissed';
  return {
    incident_id: incident.id,
    entities: toJson(stored.map((e, i) => ({ id: entityIds[i], kind: e.kind, name: e.name, properties: e.properties }))),
    owner_type: incident.owner?.type ?? null,
    owner_id: incident.owner?.id ?? null,
    status: resolve ? 'Resolved' : alert.status,
  };
}

async function present(trx: Executor, row: AlertsTable): Promise<Alert> {
  const owner = row.owner_type && row.owner_id ? [{ type: row.owner_type as 'user' | 'group', id: row.owner_id }] : [];
  return toAlert(row, await describeOwners(trx, owner));
}
