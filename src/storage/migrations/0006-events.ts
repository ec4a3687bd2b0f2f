import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * Event delivery: the outbox that incident, task, comment and run changes write to in their own
 * transaction (only while the workspace has subscribers), the deliveries fanned out from it (one
 * per webhook subscription or email recipient, retried with backoff, kept as the delivery log),
 * and the outbound webhook subscriptions. The outbox's `id` index and the deliveries' due index
 * are not led by `workspace_id`: the dispatcher and the sender work across workspaces by design.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const clustered = dialectOf(db).clusteredByKey;

  await db.schema
    .createTable('event_subscribers')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_subscribers_pk', ['workspace_id', 'channel'])
    .modifyEnd(clustered)
    .execute();

  await db.schema
    .createTable('event_outbox')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('types', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text')
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_outbox_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema.createIndex('event_outbox_order').on('event_outbox').column('id').execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text')
    .addColumn('recipient', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('response_code', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addPrimaryKeyConstraint('deliveries_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('deliveries_target')
    .on('deliveries')
    .columns(['workspace_id', 'channel', 'target_id', 'id'])
    .execute();
  await sql`create index deliveries_due on deliveries (next_attempt_at) where status in ('pending', 'sending')`.execute(db);

  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('modified_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_subscriptions_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('webhook_subscriptions_name', ['workspace_id', 'name_key'])
    .execute();
}
