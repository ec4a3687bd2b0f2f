import { DEFAULT_GROUPING, type Grouping } from '../analytics-rules/grouping.js';
import type { Executor } from '../storage/dialect.js';
import { fromJson, toJson } from '../storage/json.js';
import type { Selectable } from 'kysely';
import type { WorkspacesTable } from '../storage/schema.js';

/** Per-workspace settings. */
export interface WorkspaceSettings {
  /** Grouping for alerts that name no analytics rule, and for rules created implicitly. */
  defaultGrouping: Grouping;
}

/** A workspace: a tenant. Every incident, alert, rule and playbook belongs to exactly one. */
export interface WorkspaceRecord {
  id: string;
  name: string;
  settings: WorkspaceSettings;
  createdAt: number;
  updatedAt: number;
  archivedAt: number | null;
  version: number;
  /** Changes with every automation rule change (compiled rules are cached by it). */
  automationVersion: number;
}

export const DEFAULT_WORKSPACE_ID = 'default';

/** Maps a workspaces row to a record. */
export function workspaceFromRow(row: Selectable<WorkspacesTable>): WorkspaceRecord {
  const settings = fromJson<Partial<WorkspaceSettings>>(row.settings, {});
  return {
    id: row.id,
    name: row.name,
    settings: { defaultGrouping: { ...DEFAULT_GROUPING, ...settings.defaultGrouping } },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archivedAt: row.archived_at,
    version: row.version,
    automationVersion: Number(row.automation_version),
  };
}

/** Reads one workspace. */
export async function findWorkspace(db: Executor, id: string): Promise<WorkspaceRecord | undefined> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? workspaceFromRow(row) : undefined;
}

/** Reads several workspaces. */
export async function findWorkspaces(db: Executor, ids?: string[]): Promise<WorkspaceRecord[]> {
  let query = db.selectFrom('workspaces').selectAll();
  if (ids) {
    if (ids.length === 0) return [];
    query = query.where('id', 'in', ids);
  }
  const rows = await query.orderBy('name').execute();
  return rows.map(workspaceFromRow);
}

/** Inserts a workspace (incident numbers start at 1). */
export async function insertWorkspace(db: Executor, workspace: WorkspaceRecord): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({
      id: workspace.id,
      name: workspace.name,
      settings: toJson(workspace.settings),
      next_incident_number: 1,
      created_at: workspace.createdAt,
      updated_at: workspace.updatedAt,
      archived_at: workspace.archivedAt,
      version: workspace.version,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Writes a workspace's name, settings and archive state if its version is still `expectedVersion`. */
export async function updateWorkspaceRow(db: Executor, workspace: WorkspaceRecord, expectedVersion: number): Promise<boolean> {
  const result = await db
    .updateTable('workspaces')
    .set({
      name: workspace.name,
      settings: toJson(workspace.settings),
      updated_at: workspace.updatedAt,
      archived_at: workspace.archivedAt,
      version: workspace.version,
    })
    .where('id', '=', workspace.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
