import type { FieldChange } from '../activity/activity-schemas.js';
import { maxSeverity } from '../common/enums.js';
import { titleAfterAlerts, unionInsensitive, type IncidentRecord } from '../incidents/index.js';
import { newId } from '../ids/ids.js';
import type { PreparedAlert } from './alert-input.js';
import type { Severity } from '../common/enums.js';

/**
 * What adding an alert to an incident reads: a new alert of a batch (a PreparedAlert) or a stored
 * alert being moved between incidents.
 */
export interface AlertToAdd {
  input: {
    title: string;
    productName: string;
    tactics: readonly string[];
    techniques: readonly string[];
    tags: readonly string[];
  };
  entities: PreparedAlert['entities'];
  customDetails: Record<string, string[]>;
  startTime: number | null;
  endTime: number | null;
  alertTime: number;
}

/** An entity of an incident being built: known already, or new with this batch. */
export interface WorkEntity {
  id: string;
  kind: string;
  identity: string;
  name: string;
  properties: Record<string, unknown>;
  isNew: boolean;
  addedAlerts: number;
  firstSeenAt: number;
  lastSeenAt: number;
}

/** The alerts of this batch joining one incident, and what they do to it. */
export interface IncidentWork {
  record: IncidentRecord;
  isNew: boolean;
  before: IncidentRecord;
  addedAlerts: { id: string; title: string }[];
  /** The incident's entities this batch mentions (known ones and new ones). */
  entities: Map<string, WorkEntity>;
  /** The custom details of the alerts this batch adds (automation rules may read them). */
  customDetails: Record<string, string[]>[];
  /** Hosts and accounts by identity, enough (up to two known) to name the incident. */
  titleNames: { Host: Map<string, string>; Account: Map<string, string> };
  reopened: boolean;
}

const entityKey = (kind: string, identity: string) => `${kind}\u0000${identity}`;

type Known = { id: string; kind: string; identity: string; name: string };

/**
 * Starts the work on an existing incident with the entities it already has among those the batch
 * mentions, and the hosts and accounts that name it.
 */
export function workOnExisting(record: IncidentRecord, entities: Known[], titleEntities: Known[]): IncidentWork {
  const titleNames = { Host: new Map<string, string>(), Account: new Map<string, string>() };
  for (const e of titleEntities) titleNames[e.kind as 'Host' | 'Account']?.set(e.identity, e.name);
  const map = new Map<string, WorkEntity>();
  for (const e of entities) {
    map.set(entityKey(e.kind, e.identity), {
      ...e,
      properties: {},
      isNew: false,
      addedAlerts: 0,
      firstSeenAt: 0,
      lastSeenAt: 0,
    });
  }
  return {
    record: { ...record },
    isNew: false,
    before: record,
    addedAlerts: [],
    customDetails: [],
    entities: map,
    titleNames,
    reopened: false,
  };
}

/** Starts a new incident for the first alert of a group. */
export function workOnNew(
  workspaceId: string,
  alert: PreparedAlert,
  groupingKey: string | null,
  at: number,
  createdBy: IncidentRecord['createdBy'],
): IncidentWork {
  const record: IncidentRecord = {
    workspaceId,
    id: newId(at),
    number: 0,
    title: alert.input.title,
    titleSource: 'alert',
    description: alert.input.description,
    severity: 'Informational',
    severitySource: 'alerts',
    status: 'New',
    owner: null,
    classification: null,
    classificationReason: null,
    classificationComment: null,
    determination: null,
    tags: [],
    systemTags: [],
    tactics: [],
    techniques: [],
    productNames: [],
    analyticsRuleIds: [],
    firstActivityAt: null,
    lastActivityAt: null,
    alertCount: 0,
    commentCount: 0,
    taskCount: 0,
    taskCompletedCount: 0,
    groupingKey,
    groupingWindowStart: groupingKey ? alert.alertTime : null,
    createdBy,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    version: 1,
  };
  return {
    record,
    isNew: true,
    before: record,
    addedAlerts: [],
    customDetails: [],
    entities: new Map(),
    titleNames: { Host: new Map(), Account: new Map() },
    reopened: false,
  };
}

/**
 * Adds one alert to an incident being built: counts, severity (while it follows the alerts),
 * tactics, products, rules, system tags, activity times, and its entities de-duplicated.
 * Returns the incident entity ids the alert mentions.
 */
export function addAlertToWork(
  work: IncidentWork,
  alert: AlertToAdd,
  alertId: string,
  severity: Severity,
  analyticsRuleId: string | null,
  options: { reopen: boolean; at: number },
): string[] {
  const r = work.record;
  r.alertCount += 1;
  if (r.severitySource === 'alerts') r.severity = maxSeverity(r.severity, severity);
  r.tactics = unionInsensitive(r.tactics, alert.input.tactics);
  r.techniques = unionInsensitive(r.techniques, alert.input.techniques);
  r.productNames = unionInsensitive(r.productNames, [alert.input.productName]);
  if (analyticsRuleId) r.analyticsRuleIds = unionInsensitive(r.analyticsRuleIds, [analyticsRuleId]);
  r.systemTags = unionInsensitive(r.systemTags, alert.input.tags);
  const first = alert.startTime ?? alert.alertTime;
  const last = alert.endTime ?? alert.alertTime;
  r.firstActivityAt = r.firstActivityAt === null ? first : Math.min(r.firstActivityAt, first);
  r.lastActivityAt = r.lastActivityAt === null ? last : Math.max(r.lastActivityAt, last);
  if (options.reopen && r.status === 'Closed') {
    r.status = 'Active';
    r.closedAt = null;
    work.reopened = true;
  }
  r.updatedAt = options.at;
  work.addedAlerts.push({ id: alertId, title: alert.input.title });
  work.customDetails.push(alert.customDetails);

  const ids: string[] = [];
  for (const entity of alert.entities) {
    const key = entityKey(entity.kind, entity.identity);
    let known = work.entities.get(key);
    if (!known) {
      known = {
        id: newId(options.at),
        kind: entity.kind,
        identity: entity.identity,
        name: entity.name,
        properties: entity.properties,
        isNew: true,
        addedAlerts: 0,
        firstSeenAt: alert.alertTime,
        lastSeenAt: alert.alertTime,
      };
      work.entities.set(key, known);
      if (entity.kind === 'Host' || entity.kind === 'Account') work.titleNames[entity.kind].set(entity.identity, entity.name);
    }
    known.addedAlerts += 1;
    known.lastSeenAt = Math.max(known.lastSeenAt, alert.alertTime);
    if (known.isNew) known.firstSeenAt = Math.min(known.firstSeenAt, alert.alertTime);
    ids.push(known.id);
  }
  return ids;
}

/** Sets the generated title once all of the batch's alerts are in. */
export function finishTitle(work: IncidentWork): void {
  const names = (kind: 'Host' | 'Account') => [...work.titleNames[kind].values()];
  const { title, titleSource } = titleAfterAlerts({
    currentTitle: work.record.title,
    titleSource: work.record.titleSource,
    alertCount: work.record.alertCount,
    newAlertTitles: work.addedAlerts.map((a) => a.title),
    hostNames: names('Host'),
    accountNames: names('Account'),
    productCount: work.record.productNames.length,
  });
  work.record.title = title;
  work.record.titleSource = titleSource;
}

/** The activity entry's field changes for the alerts this batch added. */
export function workChanges(work: IncidentWork): FieldChange[] {
  const { before, record } = work;
  const changes: FieldChange[] = [{ field: 'alerts', from: null, to: work.addedAlerts }];
  if (work.isNew) {
    changes.push(
      { field: 'title', from: null, to: record.title },
      { field: 'severity', from: null, to: record.severity },
      { field: 'status', from: null, to: record.status },
    );
    if (record.systemTags.length) changes.push({ field: 'systemTags', from: [], to: record.systemTags });
    return changes;
  }
  if (before.title !== record.title) changes.push({ field: 'title', from: before.title, to: record.title });
  if (before.severity !== record.severity) changes.push({ field: 'severity', from: before.severity, to: record.severity });
  if (before.status !== record.status) changes.push({ field: 'status', from: before.status, to: record.status });
  if (before.systemTags.length !== record.systemTags.length) {
    changes.push({ field: 'systemTags', from: before.systemTags, to: record.systemTags });
  }
  if (before.tactics.length !== record.tactics.length)
    changes.push({ field: 'tactics', from: before.tactics, to: record.tactics });
  return changes;
}
