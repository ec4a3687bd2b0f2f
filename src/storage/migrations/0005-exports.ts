import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * Incident exports (PDF): one row per requested document, its status, the fingerprint of the
 * incident's data it was made from (to serve it again from cache), and the file itself once
 * rendered. Two indexes look across workspaces by design: the background generator picks up
 * pending exports and the sweeper deletes expired ones, for every workspace.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incident_exports')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('incident_number', 'bigint', (c) => c.notNull())
    .addColumn('sections', 'text', (c) => c.notNull())
    .addColumn('data_version', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('content', dialectOf(db).binaryType)
    .addColumn('size_bytes', 'bigint')
    .addColumn('page_count', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_exports_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('incident_exports_incident', ['workspace_id', 'incident_id'], 'incidents', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('incident_exports_incident')
    .on('incident_exports')
    .columns(['workspace_id', 'incident_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('incident_exports_pending')
    .on('incident_exports')
    .column('created_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema.createIndex('incident_exports_expiry').on('incident_exports').column('expires_at').execute();
}
