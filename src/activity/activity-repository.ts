import type { Dialect, Executor } from '../storage/dialect.js';
import { insertRows } from '../storage/bulk.js';
import { fromJson, toJson } from '../storage/json.js';
import { newId } from '../ids/ids.js';
import { publishActivity } from '../events/outbox.js';
import type { ActivityAction, ActivityKind, FieldChange, NewActivity } from './activity-schemas.js';

const COMMENT_ACTIONS = new Set<ActivityAction>(['commentAdded', 'commentEdited', 'commentDeleted']);

/** Appends activity entries, and their events for subscribers; call inside the transaction that makes the change. */
export async function insertActivity(trx: Executor, dialect: Dialect, entries: NewActivity[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((entry) => ({
    workspace_id: entry.workspaceId,
    id: newId(entry.at),
    incident_id: entry.incidentId,
    action: entry.action,
    kind: COMMENT_ACTIONS.has(entry.action) ? 'comment' : 'change',
    actor_type: entry.actor.type,
    actor_id: entry.actor.id,
    actor_name: entry.actor.name,
    changes: toJson(entry.changes),
    // Delimited so that a filter on one field is a plain LIKE '%|field|%'.
    fields: `|${[...new Set(entry.changes.map((c) => c.field))].join('|')}|`,
    comment_id: entry.commentId ?? null,
    created_at: entry.at,
  }));
  await insertRows(trx, dialect, 'activity', rows);
  await publishActivity(trx, dialect, entries);
}

/** What to list: one incident's log or the workspace's, filtered. */
export interface ActivityFilter {
  workspaceId: string;
  incidentId?: string;
  kind?: ActivityKind;
  actorTypes?: string[];
  field?: string;
  since?: number;
  until?: number;
  beforeId?: string;
  limit: number;
}

/** An activity row with its incident number and, for comment entries, the comment's current text. */
export interface ActivityRow {
  id: string;
  incidentId: string;
  incidentNumber: number;
  action: ActivityAction;
  kind: ActivityKind;
  actor: { type: string; id: string; name: string };
  changes: FieldChange[];
  commentId: string | null;
  commentMessage: string | null;
  createdAt: number;
}

/** Lists entries newest first (ids are time-ordered), one more than the limit to tell if there is a next page. */
export async function listActivity(db: Executor, filter: ActivityFilter): Promise<ActivityRow[]> {
  let query = db
    .selectFrom('activity as a')
    .innerJoin('incidents as i', (join) =>
      join.onRef('i.workspace_id', '=', 'a.workspace_id').onRef('i.id', '=', 'a.incident_id'),
    )
    .leftJoin('comments as c', (join) => join.onRef('c.workspace_id', '=', 'a.workspace_id').onRef('c.id', '=', 'a.comment_id'))
    .select([
      'a.id',
      'a.incident_id',
      'i.number',
      'a.action',
      'a.kind',
      'a.actor_type',
      'a.actor_id',
      'a.actor_name',
      'a.changes',
      'a.comment_id',
      'c.message',
      'a.created_at',
    ])
    .where('a.workspace_id', '=', filter.workspaceId);
  if (filter.incidentId) query = query.where('a.incident_id', '=', filter.incidentId);
  if (filter.kind) query = query.where('a.kind', '=', filter.kind);
  if (filter.actorTypes?.length) query = query.where('a.actor_type', 'in', filter.actorTypes);
  if (filter.field) query = query.where('a.fields', 'like', `%|${filter.field.replace(/[\\%_|]/g, '')}|%`);
  if (filter.since !== undefined) query = query.where('a.created_at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('a.created_at', '<', filter.until);
  if (filter.beforeId) query = query.where('a.id', '<', filter.beforeId);
  const rows = await query
    .orderBy('a.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    incidentId: row.incident_id,
    incidentNumber: row.number,
    action: row.action as ActivityAction,
    kind: row.kind as ActivityKind,
    actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name },
    changes: fromJson<FieldChange[]>(row.changes, []),
    commentId: row.comment_id,
    commentMessage: row.message ?? null,
    createdAt: row.created_at,
  }));
}
