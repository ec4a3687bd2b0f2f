import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/** The high-volume tables whose rows name an incident, and the foreign keys that checked it. */
export const UNCHECKED_INCIDENT_REFERENCES = [
  ['alerts', 'alerts_incident'],
  ['entities', 'entities_incident'],
  ['incident_tags', 'incident_tags_incident'],
  ['incident_sources', 'incident_sources_incident'],
  ['activity', 'activity_incident'],
  ['tasks', 'tasks_incident'],
] as const;

/**
 * On PostgreSQL, the rows ingestion and automation rules write in bulk no longer have the database
 * check their incident: each check looked the incident up and locked it (FOR KEY SHARE, a logged
 * change to the incident's row) for every alert, entity, tag, source, activity row and task — about
 * a fifth of PostgreSQL's work during ingest. Vigil writes these rows only in the transaction that
 * created or read the incident, and incidents are never deleted. SQLite keeps the checks (they cost
 * it little), so the test suite, which runs on both, still fails on a row naming no incident.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db).name !== 'postgres') return;
  for (const [table, constraint] of UNCHECKED_INCIDENT_REFERENCES) {
    await db.schema.alterTable(table).dropConstraint(constraint).execute();
  }
}
