import type { Actor } from '../common/actor.js';
import type { Executor } from '../storage/dialect.js';
import { fromJson } from '../storage/json.js';
import type { IncidentExportsTable } from '../storage/schema-exports.js';
import type { ExportSection, ExportStatus } from './export-schemas.js';

/** An export as services see it, without its file. */
export interface ExportRecord {
  workspaceId: string;
  id: string;
  incidentId: string;
  incidentNumber: number;
  sections: ExportSection[];
  dataVersion: string;
  status: ExportStatus;
  error: string | null;
  requestedBy: Actor;
  attempts: number;
  sizeBytes: number | null;
  pageCount: number | null;
  createdAt: number;
  completedAt: number | null;
  expiresAt: number;
}

/** Which export: the key every statement filters on. */
export interface ExportKey {
  workspaceId: string;
  id: string;
}

// Every column but the file, which only the download reads.
const COLUMNS = [
  'workspace_id',
  'id',
  'incident_id',
  'incident_number',
  'sections',
  'data_version',
  'status',
  'error',
  'requested_by',
  'attempts',
  'size_bytes',
  'page_count',
  'created_at',
  'completed_at',
  'expires_at',
] as const;
type ExportRow = Pick<IncidentExportsTable, (typeof COLUMNS)[number]>;

function exportFromRow(row: ExportRow): ExportRecord {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    incidentId: row.incident_id,
    incidentNumber: Number(row.incident_number),
    sections: fromJson<ExportSection[]>(row.sections, []),
    dataVersion: row.data_version,
    status: row.status as ExportStatus,
    error: row.error,
    requestedBy: fromJson<Actor>(row.requested_by, { type: 'system', id: 'system', name: 'Vigil' }),
    attempts: row.attempts,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    pageCount: row.page_count,
    createdAt: Number(row.created_at),
    completedAt: row.completed_at === null ? null : Number(row.completed_at),
    expiresAt: Number(row.expires_at),
  };
}

/** Records a new, pending export. */
export async function insertExport(db: Executor, record: ExportRecord): Promise<void> {
  await db
    .insertInto('incident_exports')
    .values({
      workspace_id: record.workspaceId,
      id: record.id,
      incident_id: record.incidentId,
      incident_number: record.incidentNumber,
      sections: JSON.stringify(record.sections),
      data_version: record.dataVersion,
      status: record.status,
      error: record.error,
      requested_by: JSON.stringify(record.requestedBy),
      attempts: record.attempts,
      lease_until: null,
      content: null,
      size_bytes: null,
      page_count: null,
      created_at: record.createdAt,
      completed_at: null,
      expires_at: record.expiresAt,
    })
    .execute();
}

/** One export (of any incident of the workspace), unless it has expired. */
export async function findExport(db: Executor, key: ExportKey, now: number): Promise<ExportRecord | undefined> {
  const row = await db
    .selectFrom('incident_exports')
    .select(COLUMNS)
    .where('workspace_id', '=', key.workspaceId)
    .where('id', '=', key.id)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? exportFromRow(row) : undefined;
}

/** An incident's unexpired exports, newest first. */
export async function listExports(
  db: Executor,
  workspaceId: string,
  incidentId: string,
  now: number,
  limit: number,
): Promise<ExportRecord[]> {
  const rows = await db
    .selectFrom('incident_exports')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('incident_id', '=', incidentId)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(exportFromRow);
}

/**
 * The newest export a new request may reuse: same incident, sections and data version, requested
 * since `since`, and not failed.
 */
export async function findReusableExport(
  db: Executor,
  match: { workspaceId: string; incidentId: string; sections: ExportSection[]; dataVersion: string },
  since: number,
): Promise<ExportRecord | undefined> {
  const row = await db
    .selectFrom('incident_exports')
    .select(COLUMNS)
    .where('workspace_id', '=', match.workspaceId)
    .where('incident_id', '=', match.incidentId)
    .where('created_at', '>=', since)
    .where('sections', '=', JSON.stringify(match.sections))
    .where('data_version', '=', match.dataVersion)
    .where('status', 'in', ['pending', 'ready'])
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? exportFromRow(row) : undefined;
}

/** How many exports of the workspace wait to be generated. */
export async function countPendingExports(db: Executor, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('incident_exports')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** The file of a ready export. */
export async function readExportContent(db: Executor, key: ExportKey): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('incident_exports')
    .select('content')
    .where('workspace_id', '=', key.workspaceId)
    .where('id', '=', key.id)
    .where('status', '=', 'ready')
    .executeTakeFirst();
  return row?.content ? Buffer.from(row.content) : undefined;
}

/**
 * Claims a pending export for one generator until `leaseUntil`, unless another holds a live lease.
 * Returns the claimed export (its attempts counted), or undefined when it is not this one's to make.
 */
export async function claimExport(
  db: Executor,
  key: ExportKey,
  now: number,
  leaseUntil: number,
): Promise<ExportRecord | undefined> {
  const result = await db
    .updateTable('incident_exports')
    .set((eb) => ({ lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('workspace_id', '=', key.workspaceId)
    .where('id', '=', key.id)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  return findExport(db, key, Number.MIN_SAFE_INTEGER);
}

/** Stores the rendered file; the first generator to finish wins, a late one changes nothing. */
export async function completeExport(
  db: Executor,
  key: ExportKey,
  file: { content: Buffer; pageCount: number },
  at: number,
): Promise<boolean> {
  const result = await db
    .updateTable('incident_exports')
    .set({
      status: 'ready',
      content: file.content,
      size_bytes: file.content.length,
      page_count: file.pageCount,
      completed_at: at,
      lease_until: null,
    })
    .where('workspace_id', '=', key.workspaceId)
    .where('id', '=', key.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records that an export could not be generated, and why. */
export async function failExport(db: Executor, key: ExportKey, error: string, at: number): Promise<void> {
  await db
    .updateTable('incident_exports')
    .set({ status: 'failed', error, completed_at: at, lease_until: null })
    .where('workspace_id', '=', key.workspaceId)
    .where('id', '=', key.id)
    .where('status', '=', 'pending')
    .execute();
}

/** Pending exports no generator holds (never claimed, or left by a process that stopped or crashed), oldest first. */
export async function listClaimableExports(db: Executor, now: number, limit: number): Promise<ExportKey[]> {
  const rows = await db
    .selectFrom('incident_exports')
    .select(['workspace_id', 'id'])
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ workspaceId: row.workspace_id, id: row.id }));
}

/** Deletes expired exports of every workspace; returns how many. */
export async function deleteExpiredExports(db: Executor, now: number): Promise<number> {
  const result = await db.deleteFrom('incident_exports').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
