import type { Actor } from '../common/actor.js';
import {
  SEVERITY_RANK,
  type Classification,
  type ClassificationReason,
  type Determination,
  type IncidentStatus,
  type Severity,
} from '../common/enums.js';
import { fromJson, toJson } from '../storage/json.js';
import type { IncidentsTable } from '../storage/schema.js';
import type { OwnerRef } from '../users/owner.js';

/** Where the title comes from: one alert's title, generated for several alerts, or set by hand. */
export type TitleSource = 'alert' | 'generated' | 'manual';
/** Where the severity comes from: the highest alert severity (and follows new alerts up), or set explicitly. */
export type SeveritySource = 'alerts' | 'manual';

/** An incident as the services work with it (times in epoch milliseconds). */
export interface IncidentRecord {
  workspaceId: string;
  id: string;
  number: number;
  title: string;
  titleSource: TitleSource;
  description: string;
  severity: Severity;
  severitySource: SeveritySource;
  status: IncidentStatus;
  owner: OwnerRef | null;
  classification: Classification | null;
  classificationReason: ClassificationReason | null;
  classificationComment: string | null;
  determination: Determination | null;
  tags: string[];
  systemTags: string[];
  tactics: string[];
  techniques: string[];
  productNames: string[];
  analyticsRuleIds: string[];
  firstActivityAt: number | null;
  lastActivityAt: number | null;
  alertCount: number;
  commentCount: number;
  taskCount: number;
  taskCompletedCount: number;
  groupingKey: string | null;
  groupingWindowStart: number | null;
  createdBy: Actor;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  version: number;
}

/** Maps an incidents row to a record. */
export function incidentFromRow(row: IncidentsTable): IncidentRecord {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    number: row.number,
    title: row.title,
    titleSource: row.title_source as TitleSource,
    description: row.description,
    severity: row.severity as Severity,
    severitySource: row.severity_source as SeveritySource,
    status: row.status as IncidentStatus,
    owner: row.owner_type && row.owner_id ? { type: row.owner_type as OwnerRef['type'], id: row.owner_id } : null,
    classification: row.classification as Classification | null,
    classificationReason: row.classification_reason as ClassificationReason | null,
    classificationComment: row.classification_comment,
    determination: row.determination as Determination | null,
    tags: fromJson<string[]>(row.tags, []),
    systemTags: fromJson<string[]>(row.system_tags, []),
    tactics: fromJson<string[]>(row.tactics, []),
    techniques: fromJson<string[]>(row.techniques, []),
    productNames: fromJson<string[]>(row.product_names, []),
    analyticsRuleIds: fromJson<string[]>(row.analytics_rule_ids, []),
    firstActivityAt: row.first_activity_at,
    lastActivityAt: row.last_activity_at,
    alertCount: row.alert_count,
    commentCount: row.comment_count,
    taskCount: row.task_count,
    taskCompletedCount: row.task_completed_count,
    groupingKey: row.grouping_key,
    groupingWindowStart: row.grouping_window_start,
    createdBy: fromJson<Actor>(row.created_by, { type: 'system', id: 'system', name: 'Vigil' }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    version: row.version,
  };
}

/** Maps a record to its row. */
export function incidentToRow(record: IncidentRecord): IncidentsTable {
  return {
    workspace_id: record.workspaceId,
    id: record.id,
    number: record.number,
    title: record.title,
    title_source: record.titleSource,
    description: record.description,
    severity: record.severity,
    severity_rank: SEVERITY_RANK[record.severity],
    severity_source: record.severitySource,
    status: record.status,
    owner_type: record.owner?.type ?? null,
    owner_id: record.owner?.id ?? null,
    classification: record.classification,
    classification_reason: record.classificationReason,
    classification_comment: record.classificationComment,
    determination: record.determination,
    tags: toJson(record.tags),
    system_tags: toJson(record.systemTags),
    tactics: toJson(record.tactics),
    techniques: toJson(record.techniques),
    product_names: toJson(record.productNames),
    analytics_rule_ids: toJson(record.analyticsRuleIds),
    first_activity_at: record.firstActivityAt,
    last_activity_at: record.lastActivityAt,
    alert_count: record.alertCount,
    comment_count: record.commentCount,
    task_count: record.taskCount,
    task_completed_count: record.taskCompletedCount,
    grouping_key: record.groupingKey,
    grouping_window_start: record.groupingWindowStart,
    created_by: toJson(record.createdBy),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    closed_at: record.closedAt,
    version: record.version,
  };
}

/** Adds values to a list, ignoring case, keeping the first spelling; returns a new list. */
export function unionInsensitive(list: readonly string[], additions: readonly string[]): string[] {
  const out = [...list];
  const seen = new Set(list.map((v) => v.toLowerCase()));
  for (const value of additions) {
    const key = value.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(value);
    }
  }
  return out;
}

/** Removes values from a list, ignoring case; returns a new list. */
export function removeInsensitive(list: readonly string[], removals: readonly string[]): string[] {
  const drop = new Set(removals.map((v) => v.toLowerCase()));
  return list.filter((v) => !drop.has(v.toLowerCase()));
}
