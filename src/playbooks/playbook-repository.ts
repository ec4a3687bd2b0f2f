import type { Actor } from '../common/actor.js';
import { isUuid } from '../ids/ids.js';
import { SYSTEM_ACTOR } from '../common/actor.js';
import type { Executor } from '../storage/dialect.js';
import { fromJson, toJson } from '../storage/json.js';
import type { PlaybooksTable, PlaybookVersionsTable } from '../storage/schema-playbooks.js';
import type { PlaybookDefinition, TriggerType } from './definition/definition-types.js';

/** A playbook as stored: the current version's summary, schedule and run counts. */
export interface PlaybookRecord {
  workspaceId: string;
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  triggerKind: TriggerType;
  currentVersion: number;
  valid: boolean;
  scheduleCron: string | null;
  scheduleTimezone: string | null;
  nextRunAt: number | null;
  runsTotal: number;
  runsSucceeded: number;
  runsFailed: number;
  lastRunId: string | null;
  lastRunStatus: string | null;
  lastRunAt: number | null;
  createdBy: Actor;
  modifiedBy: Actor;
  createdAt: number;
  updatedAt: number;
  version: number;
}

/** One saved version of a playbook's source. */
export interface PlaybookVersionRecord {
  version: number;
  source: string;
  format: 'yaml' | 'json';
  definition: PlaybookDefinition | null;
  problems: { path: string; message: string; line?: number }[];
  createdBy: Actor;
  createdAt: number;
}

/** Maps a row to a record. */
export function playbookFromRow(row: PlaybooksTable): PlaybookRecord {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    name: row.name,
    description: row.description,
    enabled: row.enabled === 1,
    triggerKind: row.trigger_kind as TriggerType,
    currentVersion: row.current_version,
    valid: row.valid === 1,
    scheduleCron: row.schedule_cron,
    scheduleTimezone: row.schedule_timezone,
    nextRunAt: row.next_run_at,
    runsTotal: row.runs_total,
    runsSucceeded: row.runs_succeeded,
    runsFailed: row.runs_failed,
    lastRunId: row.last_run_id,
    lastRunStatus: row.last_run_status,
    lastRunAt: row.last_run_at,
    createdBy: fromJson<Actor>(row.created_by, SYSTEM_ACTOR),
    modifiedBy: fromJson<Actor>(row.modified_by, SYSTEM_ACTOR),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** Maps a record to its row. */
export function playbookToRow(p: PlaybookRecord): PlaybooksTable {
  return {
    workspace_id: p.workspaceId,
    id: p.id,
    name: p.name,
    name_key: p.name.trim().toLowerCase(),
    description: p.description,
    enabled: p.enabled ? 1 : 0,
    trigger_kind: p.triggerKind,
    current_version: p.currentVersion,
    valid: p.valid ? 1 : 0,
    schedule_cron: p.scheduleCron,
    schedule_timezone: p.scheduleTimezone,
    next_run_at: p.nextRunAt,
    runs_total: p.runsTotal,
    runs_succeeded: p.runsSucceeded,
    runs_failed: p.runsFailed,
    last_run_id: p.lastRunId,
    last_run_status: p.lastRunStatus,
    last_run_at: p.lastRunAt,
    created_by: toJson(p.createdBy),
    modified_by: toJson(p.modifiedBy),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    version: p.version,
  };
}

/** Maps a version row to a record. */
export function versionFromRow(row: PlaybookVersionsTable): PlaybookVersionRecord {
  return {
    version: row.version,
    source: row.source,
    format: row.format as 'yaml' | 'json',
    definition: fromJson<PlaybookDefinition | null>(row.definition, null),
    problems: fromJson(row.problems, []),
    createdBy: fromJson<Actor>(row.created_by, SYSTEM_ACTOR),
    createdAt: row.created_at,
  };
}

/** Finds a playbook by id or (case-insensitive) name. */
export async function findPlaybook(db: Executor, workspaceId: string, ref: string): Promise<PlaybookRecord | undefined> {
  let query = db.selectFrom('playbooks').selectAll().where('workspace_id', '=', workspaceId);
  query = isUuid(ref)
    ? query.where((eb) => eb.or([eb('id', '=', ref), eb('name_key', '=', ref.trim().toLowerCase())]))
    : query.where('name_key', '=', ref.trim().toLowerCase());
  const row = await query.executeTakeFirst();
  return row ? playbookFromRow(row) : undefined;
}

/** Filters of the playbook list. */
export interface PlaybookFilter {
  trigger?: TriggerType[];
  enabled?: boolean;
  q?: string;
  afterName?: [string, string];
  limit: number;
}

/** A page of playbooks by name (one extra row tells whether there is a next page). */
export async function listPlaybookRecords(db: Executor, workspaceId: string, filter: PlaybookFilter): Promise<PlaybookRecord[]> {
  let query = db.selectFrom('playbooks').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.trigger?.length) query = query.where('trigger_kind', 'in', filter.trigger);
  if (filter.enabled !== undefined) query = query.where('enabled', '=', filter.enabled ? 1 : 0);
  if (filter.q) query = query.where('name_key', 'like', `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.afterName) {
    const [name, id] = filter.afterName;
    query = query.where((eb) => eb.or([eb('name_key', '>', name), eb.and([eb('name_key', '=', name), eb('id', '>', id)])]));
  }
  const rows = await query
    .orderBy('name_key')
    .orderBy('id')
    .limit(filter.limit + 1)
    .execute();
  return rows.map(playbookFromRow);
}

/** Writes a playbook row if its version is still `expected`; returns whether it did. */
export async function updatePlaybookRow(trx: Executor, p: PlaybookRecord, expected: number): Promise<boolean> {
  const { workspace_id, id, ...rest } = playbookToRow(p);
  const result = await trx
    .updateTable('playbooks')
    .set(rest)
    .where('workspace_id', '=', workspace_id)
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** One version of a playbook. */
export async function findVersion(
  db: Executor,
  workspaceId: string,
  playbookId: string,
  version: number,
): Promise<PlaybookVersionRecord | undefined> {
  const row = await db
    .selectFrom('playbook_versions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('playbook_id', '=', playbookId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? versionFromRow(row) : undefined;
}

/** A playbook's versions, newest first (without their sources). */
export async function listVersions(db: Executor, workspaceId: string, playbookId: string) {
  return db
    .selectFrom('playbook_versions')
    .select(['version', 'format', 'created_by', 'created_at', 'problems'])
    .where('workspace_id', '=', workspaceId)
    .where('playbook_id', '=', playbookId)
    .orderBy('version', 'desc')
    .execute();
}
