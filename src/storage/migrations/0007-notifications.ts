import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * Email notification rules, and their rate-limit state: one row per rule, recipient and
 * 10-minute window (emails sent at once, events folded into the window's digest), and the
 * digest's lines. Delivery rows themselves live in `deliveries` (0006-events).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const clustered = dialectOf(db).clusteredByKey;

  await db.schema
    .createTable('notification_rules')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('on_created', 'integer', (c) => c.notNull())
    .addColumn('on_updates', 'text', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('include_summary', 'integer', (c) => c.notNull())
    .addColumn('digest_after', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('modified_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_rules_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('notification_rules_name', ['workspace_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('notification_windows')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('window_end', 'bigint', (c) => c.notNull())
    .addColumn('sent', 'integer', (c) => c.notNull())
    .addColumn('folded', 'integer', (c) => c.notNull())
    .addColumn('closed', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_windows_pk', ['workspace_id', 'rule_id', 'recipient', 'window_start'])
    .modifyEnd(clustered)
    .execute();

  await db.schema
    .createTable('notification_digest_items')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text')
    .addColumn('line', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_digest_items_pk', ['workspace_id', 'rule_id', 'recipient', 'window_start', 'event_id'])
    .execute();
}
