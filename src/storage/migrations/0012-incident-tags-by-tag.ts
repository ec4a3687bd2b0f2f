import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * Incident tags are kept in one B-tree keyed by tag, then incident, instead of two (the rows keyed
 * by incident, and an index by tag). The queue finds a tag's incidents, and tests whether one
 * incident has a tag, with the same key; an incident's own tags are its row's `tags` column, so the
 * rows keyed by incident served nothing else, and writing them cost a second B-tree per tag — about
 * a fifth of what automation rules that tag new incidents add to ingestion. Writers now change the
 * rows of the tags that changed (they know the incident's tags before and after).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db).name === 'postgres') {
    await db.schema.alterTable('incident_tags').dropConstraint('incident_tags_pk').execute();
    await db.schema.dropIndex('incident_tags_tag').execute();
    await db.schema
      .alterTable('incident_tags')
      .addPrimaryKeyConstraint('incident_tags_pk', ['workspace_id', 'tag_key', 'incident_id', 'kind'])
      .execute();
    return;
  }
  // SQLite cannot change a table's key: the rows move to a new table, which takes the old one's name.
  await db.schema
    .createTable('incident_tags_by_tag')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('tag_key', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_tags_pk', ['workspace_id', 'tag_key', 'incident_id', 'kind'])
    .addForeignKeyConstraint('incident_tags_incident', ['workspace_id', 'incident_id'], 'incidents', ['workspace_id', 'id'])
    .modifyEnd(sql`without rowid`)
    .execute();
  await sql`insert into incident_tags_by_tag (workspace_id, tag_key, incident_id, kind, tag)
    select workspace_id, tag_key, incident_id, kind, tag from incident_tags`.execute(db);
  await db.schema.dropTable('incident_tags').execute();
  await db.schema.alterTable('incident_tags_by_tag').renameTo('incident_tags').execute();
}
