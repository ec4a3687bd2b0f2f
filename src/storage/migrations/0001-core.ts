import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * The core schema: workspaces, identity, analytics rules, incidents with their tags and sources,
 * alerts, entities, the activity log and comments. Portable DDL only (see storage/schema.ts for
 * the conventions); anything dialect-specific goes in a migration step that asks the dialect.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('next_incident_number', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('archived_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('is_admin', 'integer', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull())
    .addColumn('must_change_password', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('group_members_user').on('group_members').columns(['user_id']).execute();

  await db.schema
    .createTable('workspace_members')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('principal_type', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'bigint', (c) => c.notNull())
    .addColumn('granted_by', 'text')
    .addPrimaryKeyConstraint('workspace_members_pk', ['workspace_id', 'principal_type', 'principal_id', 'role'])
    .execute();
  await db.schema
    .createIndex('workspace_members_principal')
    .on('workspace_members')
    .columns(['principal_type', 'principal_id'])
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .execute();
  await db.schema.createIndex('api_tokens_workspace').on('api_tokens').columns(['workspace_id', 'user_id']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id']).execute();

  await db.schema
    .createTable('analytics_rules')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('tactics', 'text', (c) => c.notNull())
    .addColumn('techniques', 'text', (c) => c.notNull())
    .addColumn('creates_incidents', 'integer', (c) => c.notNull())
    .addColumn('grouping', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_rules_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('analytics_rules_external_id')
    .on('analytics_rules')
    .columns(['workspace_id', 'external_id'])
    .unique()
    .where('external_id', 'is not', null)
    .execute();
  await db.schema.createIndex('analytics_rules_name').on('analytics_rules').columns(['workspace_id', 'name_key']).execute();

  await db.schema
    .createTable('incidents')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('number', 'bigint', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_source', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('severity_rank', 'integer', (c) => c.notNull())
    .addColumn('severity_source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner_type', 'text')
    .addColumn('owner_id', 'text')
    .addColumn('classification', 'text')
    .addColumn('classification_reason', 'text')
    .addColumn('classification_comment', 'text')
    .addColumn('determination', 'text')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('system_tags', 'text', (c) => c.notNull())
    .addColumn('tactics', 'text', (c) => c.notNull())
    .addColumn('techniques', 'text', (c) => c.notNull())
    .addColumn('product_names', 'text', (c) => c.notNull())
    .addColumn('analytics_rule_ids', 'text', (c) => c.notNull())
    .addColumn('first_activity_at', 'bigint')
    .addColumn('last_activity_at', 'bigint')
    .addColumn('alert_count', 'integer', (c) => c.notNull())
    .addColumn('comment_count', 'integer', (c) => c.notNull())
    .addColumn('task_count', 'integer', (c) => c.notNull())
    .addColumn('task_completed_count', 'integer', (c) => c.notNull())
    .addColumn('grouping_key', 'text')
    .addColumn('grouping_window_start', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('incidents_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('incidents_number', ['workspace_id', 'number'])
    .execute();
  // The queue's sort orders, each with the columns most filters use.
  await db.schema.createIndex('incidents_created').on('incidents').columns(['workspace_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('incidents_updated').on('incidents').columns(['workspace_id', 'updated_at', 'id']).execute();
  await db.schema
    .createIndex('incidents_status_created')
    .on('incidents')
    .columns(['workspace_id', 'status', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('incidents_severity_created')
    .on('incidents')
    .columns(['workspace_id', 'severity_rank', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('incidents_owner_created')
    .on('incidents')
    .columns(['workspace_id', 'owner_id', 'created_at', 'id'])
    .execute();
  await dialect.createIncidentSearch(db);
  await db.schema
    .createIndex('incidents_grouping')
    .on('incidents')
    .columns(['workspace_id', 'grouping_key', 'grouping_window_start'])
    .where('grouping_key', 'is not', null)
    .execute();

  // Incidents per status, severity and owner ('' = unassigned), kept in step by the repository: the
  // queue's summary counts for the common filters without scanning a million rows.
  await db.schema
    .createTable('incident_counts')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_counts_pk', ['workspace_id', 'status', 'severity', 'owner_id'])
    .modifyEnd(dialect.clusteredByKey)
    .execute();

  await db.schema
    .createTable('incident_tags')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('tag_key', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_tags_pk', ['workspace_id', 'incident_id', 'kind', 'tag_key'])
    .addForeignKeyConstraint('incident_tags_incident', ['workspace_id', 'incident_id'], 'incidents', ['workspace_id', 'id'])
    .modifyEnd(dialect.clusteredByKey)
    .execute();
  await db.schema
    .createIndex('incident_tags_tag')
    .on('incident_tags')
    .columns(['workspace_id', 'tag_key', 'incident_id'])
    .execute();

  await db.schema
    .createTable('incident_sources')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value_key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_sources_pk', ['workspace_id', 'incident_id', 'kind', 'value_key'])
    .addForeignKeyConstraint('incident_sources_incident', ['workspace_id', 'incident_id'], 'incidents', ['workspace_id', 'id'])
    .modifyEnd(dialect.clusteredByKey)
    .execute();
  await db.schema
    .createIndex('incident_sources_value')
    .on('incident_sources')
    .columns(['workspace_id', 'kind', 'value_key', 'incident_id'])
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text')
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('source_alert_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('product_name', 'text', (c) => c.notNull())
    .addColumn('vendor_name', 'text', (c) => c.notNull())
    .addColumn('analytics_rule_id', 'text')
    .addColumn('analytics_rule_name', 'text')
    .addColumn('tactics', 'text', (c) => c.notNull())
    .addColumn('techniques', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('start_time', 'bigint')
    .addColumn('end_time', 'bigint')
    .addColumn('alert_time', 'bigint', (c) => c.notNull())
    .addColumn('custom_details', 'text', (c) => c.notNull())
    .addColumn('entities', 'text', (c) => c.notNull())
    .addColumn('raw', 'text')
    .addColumn('owner_type', 'text')
    .addColumn('owner_id', 'text')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('alerts_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('alerts_incident', ['workspace_id', 'incident_id'], 'incidents', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('alerts_source_id')
    .on('alerts')
    .columns(['workspace_id', 'source_alert_id', 'source_key'])
    .unique()
    .execute();
  await db.schema.createIndex('alerts_incident').on('alerts').columns(['workspace_id', 'incident_id', 'alert_time']).execute();
  await db.schema.createIndex('alerts_received').on('alerts').columns(['workspace_id', 'received_at', 'id']).execute();

  await db.schema
    .createTable('entities')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('identity_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('properties', 'text', (c) => c.notNull())
    .addColumn('alert_count', 'integer', (c) => c.notNull())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    // Keyed by identity: an entity is the same thing seen again in the same incident.
    .addPrimaryKeyConstraint('entities_pk', ['workspace_id', 'incident_id', 'kind', 'identity_key'])
    .addForeignKeyConstraint('entities_incident', ['workspace_id', 'incident_id'], 'incidents', ['workspace_id', 'id'])
    .modifyEnd(dialect.clusteredByKey)
    .execute();

  await db.schema
    .createTable('comments')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('author_type', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('edited_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('comments_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('comments_incident', ['workspace_id', 'incident_id'], 'incidents', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('comments_incident')
    .on('comments')
    .columns(['workspace_id', 'incident_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('activity')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('comment_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('activity_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('activity_incident', ['workspace_id', 'incident_id'], 'incidents', ['workspace_id', 'id'])
    .execute();
  await db.schema.createIndex('activity_incident').on('activity').columns(['workspace_id', 'incident_id', 'id']).execute();
  await db.schema.createIndex('activity_actor').on('activity').columns(['workspace_id', 'actor_type', 'id']).execute();
}
