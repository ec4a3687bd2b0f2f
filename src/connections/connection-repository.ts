import type { Actor } from '../common/actor.js';
import { SYSTEM_ACTOR } from '../common/actor.js';
import type { Executor } from '../storage/dialect.js';
import { fromJson, toJson } from '../storage/json.js';
import type { ConnectionsTable } from '../storage/schema-playbooks.js';

/** A connection as stored (secrets still sealed). */
export interface ConnectionRecord {
  workspaceId: string;
  id: string;
  name: string;
  connector: string;
  description: string;
  settings: Record<string, unknown>;
  sealedSecrets: string | null;
  secretFields: string[];
  status: 'untested' | 'connected' | 'error';
  statusMessage: string | null;
  checkedAt: number | null;
  createdBy: Actor;
  modifiedBy: Actor;
  createdAt: number;
  updatedAt: number;
  version: number;
}

/** Maps a row to a record. */
export function connectionFromRow(row: ConnectionsTable): ConnectionRecord {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    name: row.name,
    connector: row.connector,
    description: row.description,
    settings: fromJson(row.settings, {}),
    sealedSecrets: row.secrets,
    secretFields: fromJson(row.secret_fields, []),
    status: row.status as ConnectionRecord['status'],
    statusMessage: row.status_message,
    checkedAt: row.checked_at,
    createdBy: fromJson<Actor>(row.created_by, SYSTEM_ACTOR),
    modifiedBy: fromJson<Actor>(row.modified_by, SYSTEM_ACTOR),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** Maps a record to its row. */
export function connectionToRow(c: ConnectionRecord): ConnectionsTable {
  return {
    workspace_id: c.workspaceId,
    id: c.id,
    name: c.name,
    name_key: c.name.trim().toLowerCase(),
    connector: c.connector,
    description: c.description,
    settings: toJson(c.settings),
    secrets: c.sealedSecrets,
    secret_fields: toJson(c.secretFields),
    status: c.status,
    status_message: c.statusMessage,
    checked_at: c.checkedAt,
    created_by: toJson(c.createdBy),
    modified_by: toJson(c.modifiedBy),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    version: c.version,
  };
}

/** Finds a connection by id or (case-insensitive) name. */
export async function findConnection(db: Executor, workspaceId: string, ref: string): Promise<ConnectionRecord | undefined> {
  const row = await db
    .selectFrom('connections')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('id', '=', ref), eb('name_key', '=', ref.trim().toLowerCase())]))
    .executeTakeFirst();
  return row ? connectionFromRow(row) : undefined;
}

/** Connections by (case-insensitive) names. */
export async function findConnectionsByName(db: Executor, workspaceId: string, names: string[]): Promise<ConnectionRecord[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('connections')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where(
      'name_key',
      'in',
      names.map((n) => n.trim().toLowerCase()),
    )
    .execute();
  return rows.map(connectionFromRow);
}

/** The workspace's connections by name (optionally of one connector). */
export async function listConnectionRecords(db: Executor, workspaceId: string, connector?: string): Promise<ConnectionRecord[]> {
  let query = db.selectFrom('connections').selectAll().where('workspace_id', '=', workspaceId);
  if (connector) query = query.where('connector', '=', connector);
  return (await query.orderBy('name_key').limit(1000).execute()).map(connectionFromRow);
}

/** Writes a connection row if its version is still `expected`; returns whether it did. */
export async function updateConnectionRow(trx: Executor, c: ConnectionRecord, expected: number): Promise<boolean> {
  const { workspace_id, id, ...rest } = connectionToRow(c);
  const result = await trx
    .updateTable('connections')
    .set(rest)
    .where('workspace_id', '=', workspace_id)
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
