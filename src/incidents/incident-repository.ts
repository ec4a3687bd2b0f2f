import { sql } from 'kysely';
import type { Dialect, Executor } from '../storage/dialect.js';
import { insertRows, overwrite, updateRow, upsertRows } from '../storage/bulk.js';
import { chunkRows } from '../storage/json.js';
import type { IncidentsTable } from '../storage/schema.js';
import type { AlertCascade } from './incident-changes.js';
import { incidentFromRow, incidentToRow, type IncidentRecord } from './incident-model.js';

/** How a client refers to an incident: its id or its number in the workspace. */
export function parseIncidentRef(ref: string | number): { id: string } | { number: number } {
  if (typeof ref === 'number') return { number: ref };
  return /^\d{1,15}$/.test(ref) ? { number: Number(ref) } : { id: ref };
}

/**
 * Reads one incident by id or number. With `forUpdate`, PostgreSQL locks the row for the rest of
 * the transaction (SQLite's single writer needs no lock).
 */
export async function findIncident(
  db: Executor,
  workspaceId: string,
  ref: string | number,
  lock?: Dialect,
): Promise<IncidentRecord | undefined> {
  const key = parseIncidentRef(ref);
  let query = db.selectFrom('incidents').selectAll().where('workspace_id', '=', workspaceId);
  query = 'id' in key ? query.where('id', '=', key.id) : query.where('number', '=', key.number);
  if (lock?.supportsRowLocks) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? incidentFromRow(row) : undefined;
}

/** Reads incidents by ids, locking them for update on PostgreSQL when asked. */
export async function findIncidentsByIds(
  db: Executor,
  workspaceId: string,
  ids: string[],
  lock?: Dialect,
): Promise<IncidentRecord[]> {
  if (ids.length === 0) return [];
  const records: IncidentRecord[] = [];
  for (const chunk of chunkRows(ids, 1, 10_000)) {
    let query = db.selectFrom('incidents').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', chunk);
    if (lock?.supportsRowLocks) query = query.orderBy('id').forUpdate();
    records.push(...(await query.execute()).map(incidentFromRow));
  }
  return records;
}

/** Reserves `count` consecutive incident numbers in a workspace; returns the first. */
export async function allocateIncidentNumbers(trx: Executor, workspaceId: string, count: number): Promise<number> {
  const row = await trx
    .updateTable('workspaces')
    .set((eb) => ({ next_incident_number: eb('next_incident_number', '+', count) }))
    .where('id', '=', workspaceId)
    .returning('next_incident_number')
    .executeTakeFirstOrThrow();
  return row.next_incident_number - count;
}

/**
 * Adds to the per-status, severity and owner counters of a workspace (negative to subtract), in
 * one of the dialect's counter shards picked per call, and in key order (so two transactions
 * never wait for each other's counter rows in opposite orders).
 */
async function adjustCounts(trx: Executor, dialect: Dialect, workspaceId: string, deltas: Map<string, number>): Promise<void> {
  const shard = dialect.counterShards > 1 ? Math.floor(Math.random() * dialect.counterShards) : 0;
  const rows = [...deltas]
    .filter(([, delta]) => delta !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, delta]) => {
      const [status, severity, owner_id] = key.split('|') as [string, string, string];
      return { workspace_id: workspaceId, status, severity, owner_id, shard, count: delta };
    });
  for (const row of rows) {
    await trx
      .insertInto('incident_counts')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['workspace_id', 'status', 'severity', 'owner_id', 'shard'])
          .doUpdateSet((eb) => ({ count: eb('incident_counts.count', '+', eb.ref('excluded.count')) })),
      )
      .execute();
  }
}

const countKey = (record: IncidentRecord) => `${record.status}|${record.severity}|${record.owner?.id ?? ''}`;

/** Inserts new incidents with their tag and source index rows, and counts them. */
export async function insertIncidents(trx: Executor, dialect: Dialect, records: IncidentRecord[]): Promise<void> {
  if (records.length === 0) return;
  await insertRows(trx, dialect, 'incidents', records.map(incidentToRow));
  const byWorkspace = new Map<string, Map<string, number>>();
  for (const record of records) {
    const deltas = byWorkspace.get(record.workspaceId) ?? new Map<string, number>();
    deltas.set(countKey(record), (deltas.get(countKey(record)) ?? 0) + 1);
    byWorkspace.set(record.workspaceId, deltas);
  }
  for (const [workspaceId, deltas] of byWorkspace) await adjustCounts(trx, dialect, workspaceId, deltas);
  await insertTagRows(
    trx,
    dialect,
    records.flatMap((r) => [
      ...r.tags.map((tag) => ({ workspaceId: r.workspaceId, incidentId: r.id, kind: 'custom', tag })),
      ...r.systemTags.map((tag) => ({ workspaceId: r.workspaceId, incidentId: r.id, kind: 'system', tag })),
    ]),
  );
  await addIncidentSources(
    trx,
    dialect,
    records.flatMap((r) => [
      ...r.productNames.map((value) => ({ workspaceId: r.workspaceId, incidentId: r.id, kind: 'product' as const, value })),
      ...r.analyticsRuleIds.map((value) => ({ workspaceId: r.workspaceId, incidentId: r.id, kind: 'rule' as const, value })),
    ]),
  );
}

/**
 * Writes an incident's mutable columns if the row is still at `previous.version` (optimistic
 * concurrency), and moves it between the status/severity counters. The row's version becomes
 * record.version. Returns whether the row was written.
 */
export async function updateIncidentRow(
  trx: Executor,
  dialect: Dialect,
  record: IncidentRecord,
  previous: IncidentRecord,
): Promise<boolean> {
  const { workspace_id, id, number, created_at, created_by, ...mutable } = incidentToRow(record);
  void number;
  void created_at;
  void created_by;
  // Only the columns that changed: indexes (and the search index's trigger) over the others are left alone.
  const before = incidentToRow(previous) as unknown as Record<string, unknown>;
  const set = Object.fromEntries(
    Object.entries(mutable).filter(([column, value]) => column === 'version' || before[column] !== value),
  );
  const changed = await updateRow(trx, dialect, 'incidents', set as Partial<IncidentsTable>, {
    workspace_id,
    id,
    version: previous.version,
  });
  if (changed !== 1) return false;
  if (countKey(previous) !== countKey(record)) {
    await adjustCounts(
      trx,
      dialect,
      record.workspaceId,
      new Map([
        [countKey(previous), -1],
        [countKey(record), 1],
      ]),
    );
  }
  return true;
}

/** Records that the title and severity were chosen by hand (they stop following alerts). */
export async function pinSources(trx: Executor, record: IncidentRecord): Promise<void> {
  await trx
    .updateTable('incidents')
    .set({ title_source: record.titleSource, severity_source: record.severitySource })
    .where('workspace_id', '=', record.workspaceId)
    .where('id', '=', record.id)
    .execute();
}

/**
 * Writes many incidents the caller has locked in this transaction (alert ingestion): one upsert
 * per chunk instead of one UPDATE each, and one adjustment of the counters.
 */
export async function updateLockedIncidents(
  trx: Executor,
  dialect: Dialect,
  changes: { record: IncidentRecord; previous: IncidentRecord }[],
): Promise<void> {
  if (changes.length === 0) return;
  const rows = changes.map((c) => incidentToRow(c.record));
  const { workspace_id, id, number, created_at, created_by, ...mutable } = rows[0]!;
  void [workspace_id, id, number, created_at, created_by];
  await upsertRows(
    trx,
    dialect,
    'incidents',
    rows,
    ['workspace_id', 'id'],
    overwrite(Object.keys(mutable) as (keyof typeof mutable)[]),
  );
  const byWorkspace = new Map<string, Map<string, number>>();
  for (const { record, previous } of changes) {
    if (countKey(record) === countKey(previous)) continue;
    const deltas = byWorkspace.get(record.workspaceId) ?? new Map<string, number>();
    deltas.set(countKey(previous), (deltas.get(countKey(previous)) ?? 0) - 1);
    deltas.set(countKey(record), (deltas.get(countKey(record)) ?? 0) + 1);
    byWorkspace.set(record.workspaceId, deltas);
  }
  for (const [workspaceId, deltas] of byWorkspace) await adjustCounts(trx, dialect, workspaceId, deltas);
}

interface TagRow {
  workspaceId: string;
  incidentId: string;
  kind: string;
  tag: string;
}

async function insertTagRows(trx: Executor, dialect: Dialect, tags: TagRow[]): Promise<void> {
  const rows = tags.map((t) => ({
    workspace_id: t.workspaceId,
    incident_id: t.incidentId,
    kind: t.kind,
    tag_key: t.tag.toLowerCase(),
    tag: t.tag,
  }));
  await insertRows(trx, dialect, 'incident_tags', rows, { onConflictDoNothing: true });
}

/**
 * Brings one kind of an incident's tag rows (custom or system) from `previous`'s list to `record`'s:
 * deletes the rows of tags it lost and adds rows for the ones it gained (a tag spelled differently
 * is both, its row holding the spelling). The rows are keyed by tag, so the old list names them.
 */
export async function updateIncidentTags(
  trx: Executor,
  dialect: Dialect,
  previous: IncidentRecord,
  record: IncidentRecord,
  kind: 'custom' | 'system',
): Promise<void> {
  const before = kind === 'custom' ? previous.tags : previous.systemTags;
  const after = kind === 'custom' ? record.tags : record.systemTags;
  const kept = new Set(after);
  const had = new Set(before);
  const lost = before.filter((tag) => !kept.has(tag)).map((tag) => tag.toLowerCase());
  if (lost.length > 0) {
    await trx
      .deleteFrom('incident_tags')
      .where('workspace_id', '=', record.workspaceId)
      .where('tag_key', 'in', lost)
      .where('incident_id', '=', record.id)
      .where('kind', '=', kind)
      .execute();
  }
  await insertTagRows(
    trx,
    dialect,
    after.filter((tag) => !had.has(tag)).map((tag) => ({ workspaceId: record.workspaceId, incidentId: record.id, kind, tag })),
  );
}

/** Index rows that let the queue filter by alert product and analytics rule. */
export interface IncidentSourceRow {
  workspaceId: string;
  incidentId: string;
  kind: 'product' | 'rule';
  value: string;
}

/** Records products and analytics rules an incident's alerts came from (idempotent). */
export async function addIncidentSources(trx: Executor, dialect: Dialect, sources: IncidentSourceRow[]): Promise<void> {
  const rows = sources.map((s) => ({
    workspace_id: s.workspaceId,
    incident_id: s.incidentId,
    kind: s.kind,
    value_key: s.value.toLowerCase(),
    value: s.value,
  }));
  await insertRows(trx, dialect, 'incident_sources', rows, { onConflictDoNothing: true });
}

/** Applies an incident change's cascades to its alerts: owner, and resolve / re-activate. */
export async function cascadeToAlerts(
  trx: Executor,
  workspaceId: string,
  incidentId: string,
  cascade: AlertCascade,
  now: number,
): Promise<void> {
  if (cascade.owner !== undefined) {
    await trx
      .updateTable('alerts')
      .set({
        owner_type: cascade.owner?.type ?? null,
        owner_id: cascade.owner?.id ?? null,
        updated_at: now,
        version: sql`version + 1`,
      })
      .where('workspace_id', '=', workspaceId)
      .where('incident_id', '=', incidentId)
      .execute();
  }
  if (cascade.status === 'Resolved') {
    await trx
      .updateTable('alerts')
      .set({ status: 'Resolved', updated_at: now, version: sql`version + 1` })
      .where('workspace_id', '=', workspaceId)
      .where('incident_id', '=', incidentId)
      .where('status', 'not in', ['Resolved', 'Dismissed'])
      .execute();
  } else if (cascade.status === 'New') {
    await trx
      .updateTable('alerts')
      .set({ status: 'New', updated_at: now, version: sql`version + 1` })
      .where('workspace_id', '=', workspaceId)
      .where('incident_id', '=', incidentId)
      .where('status', '=', 'Resolved')
      .execute();
  }
}

/** Tags in use in a workspace, most used first, optionally starting with a prefix (for type-ahead). */
export async function listTagsInUse(
  db: Executor,
  workspaceId: string,
  options: { prefix?: string; limit: number },
): Promise<{ tag: string; count: number; system: boolean }[]> {
  let query = db
    .selectFrom('incident_tags')
    .select((eb) => ['tag_key', eb.fn.min('tag').as('tag'), eb.fn.countAll<number>().as('count'), eb.fn.min('kind').as('kind')])
    .where('workspace_id', '=', workspaceId)
    .groupBy('tag_key');
  if (options.prefix) {
    const prefix = options.prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    query = query.where(sql<boolean>`tag_key like ${`${prefix}%`} escape '\\'`);
  }
  const rows = await query.orderBy('count', 'desc').orderBy('tag_key').limit(options.limit).execute();
  return rows.map((row) => ({ tag: row.tag, count: Number(row.count), system: row.kind === 'system' }));
}
