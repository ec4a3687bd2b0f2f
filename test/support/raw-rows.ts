import { sql, type Kysely } from 'kysely';

/** Inserts a bare workspace row by SQL, for storage tests that run below the services (e.g. after a partial migration). */
export async function insertWorkspaceRow(db: Kysely<any>, id: string): Promise<void> {
  await sql`insert into workspaces (id, name, settings, next_incident_number, created_at, updated_at, version)
    values (${id}, ${id}, '{}', 1, 0, 0, 1)`.execute(db);
}

/** Inserts a minimal New, Low incident row by SQL (no tags, alerts or counters; created and updated at `number`). */
export async function insertIncidentRow(
  db: Kysely<any>,
  row: { workspaceId: string; id: string; number: number; title: string; description?: string },
): Promise<void> {
  await sql`insert into incidents (workspace_id, id, number, title, title_source, description, severity, severity_rank,
    severity_source, status, tags, system_tags, tactics, techniques, product_names, analytics_rule_ids, alert_count,
    comment_count, task_count, task_completed_count, created_by, created_at, updated_at, version)
    values (${row.workspaceId}, ${row.id}, ${row.number}, ${row.title}, 'manual', ${row.description ?? ''}, 'Low', 2,
    'manual', 'New', '[]', '[]', '[]', '[]', '[]', '[]', 0, 0, 0, 0, '{}', ${row.number}, ${row.number}, 1)`.execute(db);
}
