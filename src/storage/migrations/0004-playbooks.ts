import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * Playbooks (with every version kept), their runs and step records, approvals, connections and
 * webhook tokens. The run table doubles as the embedded queue: `wake_at` is when a queued or
 * waiting run is due, `lease_until` when a running run's worker must have shown signs of life.
 * Those two indexes, and the token lookups, are the only ones not led by `workspace_id`: workers
 * and unauthenticated links look across workspaces by design.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const clustered = dialectOf(db).clusteredByKey;

  // An analytics rule's automated response: playbooks run on each alert it raises (JSON list of ids).
  await db.schema.alterTable('analytics_rules').addColumn('playbook_ids', 'text').execute();

  await db.schema
    .createTable('connections')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('connector', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('secrets', 'text')
    .addColumn('secret_fields', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_message', 'text')
    .addColumn('checked_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('modified_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('connections_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('connections_name', ['workspace_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('playbooks')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('trigger_kind', 'text', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('valid', 'integer', (c) => c.notNull())
    .addColumn('schedule_cron', 'text')
    .addColumn('schedule_timezone', 'text')
    .addColumn('next_run_at', 'bigint')
    .addColumn('runs_total', 'integer', (c) => c.notNull())
    .addColumn('runs_succeeded', 'integer', (c) => c.notNull())
    .addColumn('runs_failed', 'integer', (c) => c.notNull())
    .addColumn('last_run_id', 'text')
    .addColumn('last_run_status', 'text')
    .addColumn('last_run_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('modified_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('playbooks_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('playbooks_name', ['workspace_id', 'name_key'])
    .execute();
  await db.schema
    .createIndex('playbooks_schedule')
    .on('playbooks')
    .column('next_run_at')
    .where('next_run_at', 'is not', null)
    .execute();

  await db.schema
    .createTable('playbook_versions')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('definition', 'text')
    .addColumn('problems', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('playbook_versions_pk', ['workspace_id', 'playbook_id', 'version'])
    .modifyEnd(clustered)
    .execute();

  await db.schema
    .createTable('playbook_webhooks')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('playbook_webhooks_playbook')
    .on('playbook_webhooks')
    .columns(['workspace_id', 'playbook_id'])
    .execute();

  await db.schema
    .createTable('playbook_runs')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('playbook_name', 'text', (c) => c.notNull())
    .addColumn('playbook_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('trigger_kind', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addColumn('context', 'text')
    .addColumn('incident_id', 'text')
    .addColumn('alert_id', 'text')
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('rerun_of', 'text')
    .addColumn('queued_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('active_ms', 'bigint', (c) => c.notNull())
    .addColumn('steps_executed', 'integer', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('wake_at', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('cancel_requested', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('playbook_runs_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('playbook_runs_playbook')
    .on('playbook_runs')
    .columns(['workspace_id', 'playbook_id', 'id'])
    .execute();
  await db.schema
    .createIndex('playbook_runs_incident')
    .on('playbook_runs')
    .columns(['workspace_id', 'incident_id', 'id'])
    .where('incident_id', 'is not', null)
    .execute();
  await db.schema.createIndex('playbook_runs_status').on('playbook_runs').columns(['workspace_id', 'status', 'id']).execute();
  await db.schema
    .createIndex('playbook_runs_due')
    .on('playbook_runs')
    .column('wake_at')
    .where('wake_at', 'is not', null)
    .execute();
  await db.schema
    .createIndex('playbook_runs_lease')
    .on('playbook_runs')
    .column('lease_until')
    .where('lease_until', 'is not', null)
    .execute();

  await db.schema
    .createTable('playbook_run_steps')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('parent_key', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('input', 'text')
    .addColumn('output', 'text')
    .addColumn('error', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addPrimaryKeyConstraint('playbook_run_steps_pk', ['workspace_id', 'run_id', 'step_key'])
    .modifyEnd(clustered)
    .execute();

  await db.schema
    .createTable('approvals')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('playbook_name', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('choices', 'text', (c) => c.notNull())
    .addColumn('assignee_users', 'text', (c) => c.notNull())
    .addColumn('assignee_groups', 'text', (c) => c.notNull())
    .addColumn('default_choice', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('choice', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('answered_via', 'text')
    .addColumn('answered_at', 'bigint')
    .addColumn('notified', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('approvals_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema.createIndex('approvals_status').on('approvals').columns(['workspace_id', 'status', 'id']).execute();
  await db.schema.createIndex('approvals_run').on('approvals').columns(['workspace_id', 'run_id', 'step_key']).unique().execute();

  await db.schema
    .createTable('approval_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('approval_id', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('used_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('approval_links_approval').on('approval_links').columns(['workspace_id', 'approval_id']).execute();

  // Scheduled runs are created once per (playbook, time) whichever process gets there first.
  await db.schema
    .createTable('playbook_schedule_slots')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('slot_at', 'bigint', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('playbook_schedule_slots_pk', ['workspace_id', 'playbook_id', 'slot_at'])
    .modifyEnd(clustered)
    .execute();
}
