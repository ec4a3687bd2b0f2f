import { isoTime } from '../http/cursor.js';
import { etagOf } from '../http/schemas.js';
import { ownerKey, type Owner } from '../users/owner.js';
import type { IncidentRecord } from './incident-model.js';
import type { Incident } from './incident-schemas.js';

/** The link to an incident in the web UI. */
export function incidentUrl(publicUrl: string, workspaceId: string, number: number): string {
  return `${publicUrl}/w/${encodeURIComponent(workspaceId)}/incidents/${number}`;
}

/** An incident record as the API returns it. `owners` holds display names (see describeOwners). */
export function toIncident(record: IncidentRecord, owners: Map<string, Owner>, publicUrl: string): Incident {
  const owner = record.owner ? (owners.get(ownerKey(record.owner)) ?? { ...record.owner, name: '(unknown)', email: null }) : null;
  return {
    id: record.id,
    number: record.number,
    title: record.title,
    description: record.description,
    severity: record.severity,
    status: record.status,
    owner,
    classification: record.classification,
    classificationReason: record.classificationReason,
    classificationComment: record.classificationComment,
    determination: record.determination,
    tags: record.tags,
    systemTags: record.systemTags,
    tactics: record.tactics,
    techniques: record.techniques,
    alertProductNames: record.productNames,
    analyticsRuleIds: record.analyticsRuleIds,
    firstActivityTime: isoTime(record.firstActivityAt),
    lastActivityTime: isoTime(record.lastActivityAt),
    alertCount: record.alertCount,
    commentCount: record.commentCount,
    taskCounts: { total: record.taskCount, completed: record.taskCompletedCount },
    createdBy: record.createdBy,
    createdAt: isoTime(record.createdAt),
    updatedAt: isoTime(record.updatedAt),
    closedAt: isoTime(record.closedAt),
    etag: etagOf(record.version),
    url: incidentUrl(publicUrl, record.workspaceId, record.number),
  };
}
