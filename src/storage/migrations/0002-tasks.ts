import type { Kysely } from 'kysely';

/**
 * Incident tasks: the analyst's checklist. `position` orders them by creation (automation rules'
 * tasks first, in rule and action order, then playbook and manual ones as they are added).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tasks')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by_type', 'text', (c) => c.notNull())
    .addColumn('created_by_id', 'text', (c) => c.notNull())
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('last_modified_by', 'text', (c) => c.notNull())
    .addColumn('completed_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('tasks_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('tasks_incident', ['workspace_id', 'incident_id'], 'incidents', ['workspace_id', 'id'])
    .execute();
  await db.schema.createIndex('tasks_incident').on('tasks').columns(['workspace_id', 'incident_id', 'position']).execute();
  await db.schema.createIndex('tasks_created').on('tasks').columns(['workspace_id', 'created_at']).execute();
}
