import type { Dialect, Executor } from '../storage/dialect.js';
import { insertRows } from '../storage/bulk.js';
import { fromJson, toJson } from '../storage/json.js';
import { newId } from '../ids/ids.js';
import { publishActivity } from '../events/outbox.js';
import type { ActivityTable } from '../storage/schema.js';
import type { ActivityAction, ActivityKind, FieldChange, NewActivity } from './activity-schemas.js';

const COMMENT_ACTIONS = new Set<ActivityAction>(['commentAdded', 'commentEdited', 'commentDeleted']);

/**
 * Appends activity entries, and their events for subscribers; call inside the transaction that
 * makes the change. Entries that automation rules made on one incident in this call share one row
 * (its `entries`), placed where the first of them comes: a batch of alerts that fires several rules
 * on each new incident writes one row per incident for them instead of one per rule. Readers see
 * each entry on its own.
 */
export async function insertActivity(trx: Executor, dialect: Dialect, entries: NewActivity[]): Promise<void> {
  if (entries.length === 0) return;
  // Each row's entries, in input order; rows are made afterwards, ids in that same order.
  const rows: NewActivity[][] = [];
  const byRules = new Map<string, NewActivity[]>();
  for (const entry of entries) {
    if (entry.actor.type !== 'automationRule') {
      rows.push([entry]);
      continue;
    }
    const group = byRules.get(entry.incidentId);
    if (group) group.push(entry);
    else {
      const started = [entry];
      byRules.set(entry.incidentId, started);
      rows.push(started);
    }
  }
  await insertRows(
    trx,
    dialect,
    'activity',
    rows.map((group) => (group.length === 1 ? activityRow(group[0]!) : groupRow(group))),
  );
  await publishActivity(trx, dialect, entries);
}

/** Delimited so that a filter on one field is a plain LIKE '%|field|%'. */
const fieldList = (changes: FieldChange[]) => `|${[...new Set(changes.map((c) => c.field))].join('|')}|`;

function activityRow(entry: NewActivity, changes = toJson(entry.changes), fields = fieldList(entry.changes)): ActivityTable {
  return {
    workspace_id: entry.workspaceId,
    id: newId(entry.at),
    incident_id: entry.incidentId,
    action: entry.action,
    kind: COMMENT_ACTIONS.has(entry.action) ? 'comment' : 'change',
    actor_type: entry.actor.type,
    actor_id: entry.actor.id,
    actor_name: entry.actor.name,
    changes,
    fields,
    comment_id: entry.commentId ?? null,
    created_at: entry.at,
    entries: null,
  };
}

/** One row for several entries by automation rules on one incident: the first one's columns, every entry in `entries`. */
function groupRow(group: NewActivity[]): ActivityTable {
  const changes: FieldChange[] = [];
  for (const entry of group) changes.push(...entry.changes);
  return { ...activityRow(group[0]!, '[]', fieldList(changes)), entries: toJson(group.map(storedEntry)) };
}

/**
 * An entry inside a grouped row. A rule's update (nearly all of them) is stored compactly as
 * `[rule id, rule name, [[field, from, to], ...]]`; other entries (a rule's failure) as objects.
 * Rows written before the compact form hold objects only; both are read.
 */
type StoredEntry = CompactRuleUpdate | ObjectEntry;
type CompactRuleUpdate = [ruleId: string, ruleName: string, changes: [field: string, from: unknown, to: unknown][]];
type ObjectEntry = { action: ActivityAction; actor: { type: string; id: string; name: string }; changes: FieldChange[] };

function storedEntry(entry: NewActivity): StoredEntry {
  if (entry.action !== 'incidentUpdated' || entry.actor.type !== 'automationRule') {
    return { action: entry.action, actor: entry.actor, changes: entry.changes };
  }
  return [entry.actor.id, entry.actor.name, entry.changes.map((c) => [c.field, c.from, c.to])];
}

function readEntry(stored: StoredEntry): ObjectEntry {
  if (!Array.isArray(stored)) return stored;
  const [id, name, changes] = stored;
  return {
    action: 'incidentUpdated',
    actor: { type: 'automationRule', id, name },
    changes: changes.map(([field, from, to]) => ({ field, from, to })),
  };
}

/** The id of the `index`th entry of a grouped row: sorts after the row's own id and in entry order. */
const entryId = (rowId: string, index: number) => `${rowId}.${String(index).padStart(3, '0')}`;

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

/**
 * Lists entries newest first (ids are time-ordered), one more than the limit to tell if there is a
 * next page. Grouped rows are read as their entries, each with its own id.
 */
export async function listActivity(db: Executor, filter: ActivityFilter): Promise<ActivityRow[]> {
  const out: ActivityRow[] = [];
  let beforeId = filter.beforeId;
  for (;;) {
    const rows = await selectRows(db, { ...filter, beforeId });
    for (const row of rows) {
      for (const entry of expandRow(row, filter)) {
        if (filter.beforeId !== undefined && entry.id >= filter.beforeId) continue;
        out.push(entry);
        if (out.length > filter.limit) return out;
      }
    }
    // A grouped row may yield fewer entries than it counts for (a field filter, a cursor inside it).
    if (rows.length <= filter.limit) return out;
    beforeId = rows[rows.length - 1]!.id;
  }
}

/** A field name as filters match it: without LIKE's wildcards and the list delimiter. */
const plainField = (field: string) => field.replace(/[\\%_|]/g, '');

type SelectedRow = Awaited<ReturnType<typeof selectRows>>[number];

async function selectRows(db: Executor, filter: ActivityFilter) {
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
      'a.entries',
      'a.comment_id',
      'c.message',
      'a.created_at',
    ])
    .where('a.workspace_id', '=', filter.workspaceId);
  if (filter.incidentId) query = query.where('a.incident_id', '=', filter.incidentId);
  if (filter.kind) query = query.where('a.kind', '=', filter.kind);
  if (filter.actorTypes?.length) query = query.where('a.actor_type', 'in', filter.actorTypes);
  if (filter.field) query = query.where('a.fields', 'like', `%|${plainField(filter.field)}|%`);
  if (filter.since !== undefined) query = query.where('a.created_at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('a.created_at', '<', filter.until);
  // A grouped row's entries sort after its own id: a cursor on one of them still reads the row.
  if (filter.beforeId) query = query.where('a.id', '<', filter.beforeId);
  return query
    .orderBy('a.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

/** A row's entries, newest first: itself, or a grouped row's entries (those with the filtered field). */
function expandRow(row: SelectedRow, filter: ActivityFilter): ActivityRow[] {
  const base = {
    incidentId: row.incident_id,
    incidentNumber: row.number,
    kind: row.kind as ActivityKind,
    commentId: row.comment_id,
    commentMessage: row.message ?? null,
    createdAt: row.created_at,
  };
  if (row.entries === null) {
    return [
      {
        ...base,
        id: row.id,
        action: row.action as ActivityAction,
        actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name },
        changes: fromJson<FieldChange[]>(row.changes, []),
      },
    ];
  }
  const entries = fromJson<StoredEntry[]>(row.entries, []);
  const field = filter.field === undefined ? undefined : plainField(filter.field);
  const out: ActivityRow[] = [];
  for (let index = entries.length - 1; index >= 0; index -= 1) {
    const entry = readEntry(entries[index]!);
    if (field !== undefined && !entry.changes.some((c) => c.field === field)) continue;
    out.push({ ...base, id: entryId(row.id, index), action: entry.action, actor: entry.actor, changes: entry.changes });
  }
  return out;
}
