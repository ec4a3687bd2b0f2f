import { requirePermission, type Access } from '../auth/permissions.js';
import { renderMarkdown } from '../common/markdown.js';
import { isoTime, parseTime } from '../http/cursor.js';
import type { IncidentRecord } from '../incidents/index.js';
import type { Storage } from '../storage/database.js';
import { listActivity, type ActivityRow } from './activity-repository.js';
import type { ActivityEntry, ActivityKind, ActivityQuery } from './activity-schemas.js';

function toEntry(row: ActivityRow): ActivityEntry {
  return {
    id: row.id,
    incidentId: row.incidentId,
    incidentNumber: row.incidentNumber,
    action: row.action,
    kind: row.kind,
    actor: row.actor as ActivityEntry['actor'],
    changes: row.changes,
    comment: row.commentId
      ? {
          id: row.commentId,
          message: row.commentMessage,
          html: row.commentMessage === null ? null : renderMarkdown(row.commentMessage),
        }
      : null,
    createdAt: isoTime(row.createdAt),
  };
}

const KIND: Record<string, ActivityKind> = { change: 'change', changes: 'change', comment: 'comment', comments: 'comment' };

/** The activity log: every change to an incident, by whom, and the comments. */
export type ActivityService = ReturnType<typeof createActivityService>;

/** Builds the activity service. */
export function createActivityService({
  storage,
  resolveIncident,
}: {
  storage: Storage;
  resolveIncident: (access: Access, ref: string) => Promise<IncidentRecord>;
}) {
  const { db } = storage;

  async function page(access: Access, query: ActivityQuery, incidentId?: string) {
    const rows = await listActivity(db, {
      workspaceId: access.workspaceId!,
      incidentId,
      kind: query.kind ? KIND[query.kind] : undefined,
      actorTypes: query.actorType,
      field: query.field,
      since: parseTime(query.since),
      until: parseTime(query.until),
      beforeId: query.cursor,
      limit: query.limit,
    });
    const items = rows.slice(0, query.limit);
    return { items: items.map(toEntry), nextCursor: rows.length > query.limit ? items[items.length - 1]!.id : null };
  }

  return {
    /** One incident's log, newest first, filtered by kind, actor type and field. */
    async listForIncident(access: Access, ref: string, query: ActivityQuery) {
      const incident = await resolveIncident(access, ref);
      return page(access, query, incident.id);
    },

    /** The workspace's log across incidents, e.g. every change made by automation. */
    async listForWorkspace(access: Access, query: ActivityQuery) {
      requirePermission(access, 'incidents.read');
      return page(access, query);
    },
  };
}
