import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * Automation rules and their run log. `workspaces.automation_version` changes with every rule
 * change, so every process knows when its compiled rules are stale.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .addColumn('automation_version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('automation_rules')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('trigger_kind', 'text', (c) => c.notNull())
    .addColumn('analytics_rule_ids', 'text')
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('modified_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('automation_rules_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('automation_rules_order')
    .on('automation_rules')
    .columns(['workspace_id', 'trigger_kind', 'sort_order', 'created_at'])
    .execute();

  // Read only per rule, newest first: stored in that key's order, one B-tree per row.
  await db.schema
    .createTable('automation_rule_runs')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text')
    .addColumn('alert_id', 'text')
    .addColumn('trigger_kind', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('results', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('automation_rule_runs_pk', ['workspace_id', 'rule_id', 'id'])
    .modifyEnd(dialectOf(db).clusteredByKey)
    .execute();
}
