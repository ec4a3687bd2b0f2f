import { sql } from 'kysely';
import type { Dialect, Executor } from '../storage/dialect.js';
import { upsertRows } from '../storage/bulk.js';
import { chunkRows, fromJson } from '../storage/json.js';
import type { EntitiesTable } from '../storage/schema.js';

/** An entity of an incident, de-duplicated across its alerts. */
export interface IncidentEntity {
  id: string;
  incidentId: string;
  kind: string;
  identity: string;
  name: string;
  properties: Record<string, unknown>;
  alertCount: number;
  firstSeenAt: number;
  lastSeenAt: number;
}

function fromRow(row: EntitiesTable): IncidentEntity {
  return {
    id: row.id,
    incidentId: row.incident_id,
    kind: row.kind,
    identity: row.identity_key,
    name: row.name,
    properties: fromJson<Record<string, unknown>>(row.properties, {}),
    alertCount: row.alert_count,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
  };
}

/** An entity an incident already has, as ingestion needs it. */
export interface KnownEntity {
  id: string;
  incidentId: string;
  kind: string;
  identity: string;
  name: string;
}

/**
 * The entities incidents already have among those a batch of alerts mentions, looked up by
 * (incident, kind, identity): the work is bounded by the batch, not by the incidents' size.
 */
export async function findKnownEntities(
  db: Executor,
  workspaceId: string,
  keys: { incidentId: string; kind: string; identity: string }[],
): Promise<KnownEntity[]> {
  const out: KnownEntity[] = [];
  for (const chunk of chunkRows(keys, 3, 9_000)) {
    const tuples = sql.join(chunk.map((k) => sql`(${k.incidentId}, ${k.kind}, ${k.identity})`));
    const rows = await sql<{ id: string; incident_id: string; kind: string; identity_key: string; name: string }>`
      select id, incident_id, kind, identity_key, name from entities
      where workspace_id = ${workspaceId} and (incident_id, kind, identity_key) in (values ${tuples})`.execute(db);
    out.push(
      ...rows.rows.map((r) => ({ id: r.id, incidentId: r.incident_id, kind: r.kind, identity: r.identity_key, name: r.name })),
    );
  }
  return out;
}

/** Up to two hosts and two accounts of each incident, first seen first: what a generated title names. */
export async function findTitleEntities(db: Executor, workspaceId: string, incidentIds: string[]): Promise<KnownEntity[]> {
  const out: KnownEntity[] = [];
  for (const chunk of chunkRows(incidentIds, 1, 5_000)) {
    const rows = await sql<{ id: string; incident_id: string; kind: string; identity_key: string; name: string }>`
      select id, incident_id, kind, identity_key, name from (
        select id, incident_id, kind, identity_key, name,
          row_number() over (partition by incident_id, kind order by first_seen_at, id) as position
        from entities
        where workspace_id = ${workspaceId} and incident_id in (${sql.join(chunk)}) and kind in ('Host', 'Account')
      ) ranked where position <= 2`.execute(db);
    out.push(
      ...rows.rows.map((r) => ({ id: r.id, incidentId: r.incident_id, kind: r.kind, identity: r.identity_key, name: r.name })),
    );
  }
  return out;
}

/**
 * Writes the entities an ingestion batch touched: new ones are inserted; ones the incident already
 * had get the new alerts counted and their last-seen time moved (their stored properties stay).
 */
export async function saveEntities(trx: Executor, dialect: Dialect, rows: EntitiesTable[]): Promise<void> {
  await upsertRows(trx, dialect, 'entities', rows, ['workspace_id', 'incident_id', 'kind', 'identity_key'], {
    alert_count: 'entities.alert_count + excluded.alert_count',
    last_seen_at:
      'case when entities.last_seen_at > excluded.last_seen_at then entities.last_seen_at else excluded.last_seen_at end',
  });
}

/** A page of an incident's entities (optionally of one kind), by kind then name. */
export async function listIncidentEntities(
  db: Executor,
  workspaceId: string,
  incidentId: string,
  options: { kind?: string; after?: [string, string, string]; limit: number },
): Promise<IncidentEntity[]> {
  let query = db.selectFrom('entities').selectAll().where('workspace_id', '=', workspaceId).where('incident_id', '=', incidentId);
  if (options.kind) query = query.where('kind', '=', options.kind);
  if (options.after) {
    const [kind, name, id] = options.after;
    query = query.where((eb) => eb(eb.refTuple('kind', 'name', 'id'), '>', eb.tuple(kind, name, id)));
  }
  const rows = await query
    .orderBy('kind')
    .orderBy('name')
    .orderBy('id')
    .limit(options.limit + 1)
    .execute();
  return rows.map(fromRow);
}

/** How many entities of each kind an incident has (Sentinel's `metaData`). */
export async function countIncidentEntities(
  db: Executor,
  workspaceId: string,
  incidentId: string,
): Promise<{ kind: string; count: number }[]> {
  const rows = await db
    .selectFrom('entities')
    .select((eb) => ['kind', eb.fn.countAll<number>().as('count')])
    .where('workspace_id', '=', workspaceId)
    .where('incident_id', '=', incidentId)
    .groupBy('kind')
    .orderBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, count: Number(r.count) }));
}

/** The entities of one kind of several incidents (e.g. their hosts, for notification filters). */
export async function findEntitiesOfKind(
  db: Executor,
  workspaceId: string,
  incidentIds: string[],
  kind: string,
): Promise<IncidentEntity[]> {
  const out: IncidentEntity[] = [];
  for (const chunk of chunkRows([...new Set(incidentIds)], 1, 5_000)) {
    const rows = await db
      .selectFrom('entities')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('incident_id', 'in', chunk)
      .where('kind', '=', kind)
      .execute();
    out.push(...rows.map(fromRow));
  }
  return out;
}
