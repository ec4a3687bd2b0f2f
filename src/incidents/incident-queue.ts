import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { SEVERITY_RANK, type Severity } from '../common/enums.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { searchTerms, type Dialect, type Executor, type TextSearchPlan } from '../storage/dialect.js';
import type { Database } from '../storage/schema.js';
import { incidentFromRow, type IncidentRecord } from './incident-model.js';
import type { IncidentCounts, IncidentSort } from './incident-schemas.js';

/** The queue's filters with owners already resolved to ids and times to milliseconds. */
export interface QueueFilter {
  /** One workspace, or several for the cross-workspace queue. */
  workspaceIds: string[];
  statuses?: string[];
  severities?: Severity[];
  ownerIds?: string[];
  includeUnassigned?: boolean;
  tags?: string[];
  classifications?: string[];
  products?: string[];
  analyticsRuleIds?: string[];
  createdFrom?: number;
  createdTo?: number;
  updatedFrom?: number;
  updatedTo?: number;
  text?: string;
  hasOpenTasks?: boolean;
}

type IncidentQuery = SelectQueryBuilder<Database, 'incidents', object>;

/** The columns each sort orders by, most significant first; all run in the same direction. */
const SORT_COLUMNS: Record<IncidentSort, ('created_at' | 'updated_at' | 'severity_rank' | 'number' | 'id')[]> = {
  created: ['created_at', 'id'],
  updated: ['updated_at', 'id'],
  severity: ['severity_rank', 'created_at', 'id'],
  number: ['number', 'id'],
};

/**
 * How membership filters (tags, products, rules) are written. A page walks an index in sort order
 * and stops after 50 rows, so it probes each row (EXISTS); a count reads every match, so it starts
 * from the matching tag or source (IN).
 */
type MembershipStyle = 'probe' | 'drive';

function membership(
  style: MembershipStyle,
  table: 'incident_tags' | 'incident_sources',
  workspaceIds: string[],
  condition: RawBuilder<unknown>,
): RawBuilder<boolean> {
  return style === 'probe'
    ? sql<boolean>`exists (select 1 from ${sql.table(table)} m where m.workspace_id = incidents.workspace_id and m.incident_id = incidents.id and ${condition})`
    : sql<boolean>`incidents.id in (select m.incident_id from ${sql.table(table)} m where m.workspace_id in (${sql.join(workspaceIds)}) and ${condition})`;
}

/** Applies the filters to a query over incidents. */
function applyFilter(
  query: IncidentQuery,
  filter: QueueFilter,
  dialect: Dialect,
  style: MembershipStyle = 'probe',
  textPlan?: TextSearchPlan,
): IncidentQuery {
  let q =
    filter.workspaceIds.length === 1
      ? query.where('workspace_id', '=', filter.workspaceIds[0]!)
      : query.where('workspace_id', 'in', filter.workspaceIds);
  if (filter.statuses?.length) q = q.where('status', 'in', filter.statuses);
  if (filter.severities?.length)
    q = q.where(
      'severity_rank',
      'in',
      filter.severities.map((s) => SEVERITY_RANK[s]),
    );
  if (filter.ownerIds?.length || filter.includeUnassigned) {
    const ids = filter.ownerIds ?? [];
    q = q.where((eb) => {
      const alternatives = [];
      if (ids.length) alternatives.push(eb('owner_id', 'in', ids));
      if (filter.includeUnassigned) alternatives.push(eb('owner_id', 'is', null));
      return eb.or(alternatives);
    });
  }
  if (filter.classifications?.length) q = q.where('classification', 'in', filter.classifications);
  if (filter.tags?.length) {
    const keys = filter.tags.map((t) => t.toLowerCase());
    q = q.where(membership(style, 'incident_tags', filter.workspaceIds, sql`m.tag_key in (${sql.join(keys)})`));
  }
  const sources: [string, string[] | undefined][] = [
    ['product', filter.products],
    ['rule', filter.analyticsRuleIds],
  ];
  for (const [kind, values] of sources) {
    if (!values?.length) continue;
    const keys = values.map((v) => v.toLowerCase());
    q = q.where(
      membership(style, 'incident_sources', filter.workspaceIds, sql`m.kind = ${kind} and m.value_key in (${sql.join(keys)})`),
    );
  }
  if (filter.createdFrom !== undefined) q = q.where('created_at', '>=', filter.createdFrom);
  if (filter.createdTo !== undefined) q = q.where('created_at', '<', filter.createdTo);
  if (filter.updatedFrom !== undefined) q = q.where('updated_at', '>=', filter.updatedFrom);
  if (filter.updatedTo !== undefined) q = q.where('updated_at', '<', filter.updatedTo);
  if (filter.text) {
    const text = filter.text;
    const terms = searchTerms(text);
    // Words go through the full-text index; a search of only symbols ("%") falls back to a scan.
    q = terms.length
      ? q.where(dialect.incidentTextSearch(terms, textPlan))
      : q.where((eb) =>
          eb.or([dialect.containsInsensitive(eb.ref('title'), text), dialect.containsInsensitive(eb.ref('description'), text)]),
        );
  }
  if (filter.hasOpenTasks !== undefined) {
    q = filter.hasOpenTasks
      ? q.where(sql<boolean>`task_count > task_completed_count`)
      : q.where(sql<boolean>`task_count = task_completed_count`);
  }
  return q;
}

/**
 * Up to this many text-index matches, a page fetches and sorts just those (read once, ~2 ms for a
 * few hundred); from it on, the page walks its sort index and tests each incident (a word in 1 of 8
 * of a million incidents: ~15–25 ms, where sorting every match took ~500 ms).
 */
const FEW_TEXT_MATCHES = 2_000;

/** How the page should use the text index, where the dialect plans it. */
async function planTextSearch(db: Executor, dialect: Dialect, filter: QueueFilter): Promise<TextSearchPlan | undefined> {
  const terms = filter.text ? searchTerms(filter.text) : [];
  if (terms.length === 0) return undefined;
  return dialect.textSearchPlan(db, terms, FEW_TEXT_MATCHES);
}

/** One page of the queue, sorted, after `cursor`; plus the cursor of the next page. */
export async function queryIncidentPage(
  db: Executor,
  dialect: Dialect,
  filter: QueueFilter,
  page: { sort: IncidentSort; order: 'asc' | 'desc'; limit: number; cursor?: string },
): Promise<{ records: IncidentRecord[]; nextCursor: string | null }> {
  return dialect.pageRead(db, (db) => readPage(db, dialect, filter, page));
}

async function readPage(
  db: Executor,
  dialect: Dialect,
  filter: QueueFilter,
  page: { sort: IncidentSort; order: 'asc' | 'desc'; limit: number; cursor?: string },
): Promise<{ records: IncidentRecord[]; nextCursor: string | null }> {
  const columns = SORT_COLUMNS[page.sort];
  const textPlan = await planTextSearch(db, dialect, filter);
  let query = applyFilter(db.selectFrom('incidents'), filter, dialect, 'probe', textPlan).selectAll();
  if (page.cursor) {
    const position = decodeCursor(page.cursor, columns.length);
    const operator = page.order === 'desc' ? '<' : '>';
    // Keyset pagination: (sort columns…) after the last row's values, as a row-value comparison.
    query = query.where(sql<boolean>`(${sql.join(columns.map((c) => sql.ref(c)))}) ${sql.raw(operator)} (${sql.join(position)})`);
  }
  for (const column of columns) query = query.orderBy(column, page.order);
  const rows = await query.limit(page.limit + 1).execute();
  const hasMore = rows.length > page.limit;
  const records = rows.slice(0, page.limit).map(incidentFromRow);
  const last = rows[page.limit - 1];
  const nextCursor = hasMore && last ? encodeCursor(columns.map((c) => last[c])) : null;
  return { records, nextCursor };
}

/** Whether the filter uses only status, severity and owner, which the counters table answers directly. */
function countersAnswer(filter: QueueFilter): boolean {
  const { workspaceIds, statuses, severities, ownerIds, includeUnassigned, ...rest } = filter;
  void workspaceIds;
  void statuses;
  void severities;
  void ownerIds;
  void includeUnassigned;
  return Object.values(rest).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
}

/** Counts by status and severity for the same filters (the queue's summary). */
export async function countIncidents(db: Executor, dialect: Dialect, filter: QueueFilter): Promise<IncidentCounts> {
  let rows: { status: string; severity: string; n: number }[];
  if (countersAnswer(filter)) {
    let query = db
      .selectFrom('incident_counts')
      .select(['status', 'severity', 'count as n'])
      .where('workspace_id', 'in', filter.workspaceIds);
    if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses);
    if (filter.severities?.length) query = query.where('severity', 'in', filter.severities);
    if (filter.ownerIds?.length || filter.includeUnassigned) {
      query = query.where('owner_id', 'in', [...(filter.ownerIds ?? []), ...(filter.includeUnassigned ? [''] : [])]);
    }
    rows = await query.execute();
  } else {
    rows = await applyFilter(db.selectFrom('incidents'), filter, dialect, 'drive')
      .select((eb) => ['status', 'severity', eb.fn.countAll<number>().as('n')])
      .groupBy(['status', 'severity'])
      .execute();
  }
  const counts: IncidentCounts = {
    total: 0,
    byStatus: { New: 0, Active: 0, Closed: 0 },
    bySeverity: { High: 0, Medium: 0, Low: 0, Informational: 0 },
  };
  for (const row of rows) {
    const n = Number(row.n);
    counts.total += n;
    counts.byStatus[row.status as keyof IncidentCounts['byStatus']] += n;
    counts.bySeverity[row.severity as keyof IncidentCounts['bySeverity']] += n;
  }
  return counts;
}
