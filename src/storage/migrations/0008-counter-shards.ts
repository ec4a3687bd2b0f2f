import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * Incident counters get a `shard` in their key: on PostgreSQL a change writes one of several rows
 * per (status, severity, owner), so concurrent transactions (playbook workers, parallel API
 * writes) stop queueing on one row lock. The existing counts become shard 0. The table is rebuilt
 * because SQLite cannot change a primary key in place.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incident_counts_sharded')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_counts_sharded_pk', ['workspace_id', 'status', 'severity', 'owner_id', 'shard'])
    .modifyEnd(dialectOf(db).clusteredByKey)
    .execute();
  await sql`insert into incident_counts_sharded (workspace_id, status, severity, owner_id, shard, count)
    select workspace_id, status, severity, owner_id, 0, count from incident_counts`.execute(db);
  await db.schema.dropTable('incident_counts').execute();
  await db.schema.alterTable('incident_counts_sharded').renameTo('incident_counts').execute();
}
