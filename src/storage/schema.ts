import type { Generated } from 'kysely';
import type { EventTables } from './schema-events.js';
import type { ExportTables } from './schema-exports.js';
import type { NotificationTables } from './schema-notifications.js';
import type { PlaybookTables } from './schema-playbooks.js';

/**
 * The tables, as Kysely sees them. Conventions, the same on SQLite and PostgreSQL:
 * - times are integers: milliseconds since the epoch (UTC), columns named `*_at`;
 * - flags are integers 0/1; lists and objects are JSON text, parsed by the repositories;
 * - every workspace-owned table leads its primary key and indexes with `workspace_id`.
 */

export interface WorkspacesTable {
  id: string;
  name: string;
  settings: string;
  next_incident_number: number;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
  version: number;
  /** Has a database default (0); changes with every automation rule change. */
  automation_version: Generated<number>;
}

export interface UsersTable {
  id: string;
  email: string;
  email_key: string;
  display_name: string;
  password_hash: string | null;
  is_admin: number;
  disabled: number;
  must_change_password: number;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
  version: number;
}

export interface GroupsTable {
  id: string;
  name: string;
  name_key: string;
  description: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
  added_at: number;
}

export interface WorkspaceMembersTable {
  workspace_id: string;
  principal_type: string;
  principal_id: string;
  role: string;
  granted_at: number;
  granted_by: string | null;
}

export interface ApiTokensTable {
  id: string;
  token_hash: string;
  name: string;
  user_id: string;
  workspace_id: string;
  role: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface AnalyticsRulesTable {
  workspace_id: string;
  id: string;
  external_id: string | null;
  name: string;
  name_key: string;
  description: string;
  severity: string;
  enabled: number;
  tactics: string;
  techniques: string;
  creates_incidents: number;
  grouping: string;
  /** JSON list of playbook ids run on each alert (automated response); null when none. */
  playbook_ids: string | null;
  origin: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface IncidentsTable {
  workspace_id: string;
  id: string;
  number: number;
  title: string;
  title_source: string;
  description: string;
  severity: string;
  severity_rank: number;
  severity_source: string;
  status: string;
  owner_type: string | null;
  owner_id: string | null;
  classification: string | null;
  classification_reason: string | null;
  classification_comment: string | null;
  determination: string | null;
  tags: string;
  system_tags: string;
  tactics: string;
  techniques: string;
  product_names: string;
  analytics_rule_ids: string;
  first_activity_at: number | null;
  last_activity_at: number | null;
  alert_count: number;
  comment_count: number;
  task_count: number;
  task_completed_count: number;
  grouping_key: string | null;
  grouping_window_start: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  version: number;
}

export interface IncidentCountsTable {
  workspace_id: string;
  status: string;
  severity: string;
  owner_id: string;
  /** Which of the dialect's counter shards (dialect.counterShards); readers add the shards up. */
  shard: number;
  count: number;
}

export interface IncidentTagsTable {
  workspace_id: string;
  incident_id: string;
  kind: string;
  tag_key: string;
  tag: string;
}

export interface IncidentSourcesTable {
  workspace_id: string;
  incident_id: string;
  kind: string;
  value_key: string;
  value: string;
}

export interface AlertsTable {
  workspace_id: string;
  id: string;
  incident_id: string | null;
  source_key: string;
  source_alert_id: string;
  title: string;
  description: string;
  severity: string;
  status: string;
  product_name: string;
  vendor_name: string;
  analytics_rule_id: string | null;
  analytics_rule_name: string | null;
  tactics: string;
  techniques: string;
  tags: string;
  start_time: number | null;
  end_time: number | null;
  alert_time: number;
  custom_details: string;
  entities: string;
  raw: string | null;
  owner_type: string | null;
  owner_id: string | null;
  received_at: number;
  updated_at: number;
  version: number;
}

export interface EntitiesTable {
  workspace_id: string;
  id: string;
  incident_id: string;
  kind: string;
  identity_key: string;
  name: string;
  properties: string;
  alert_count: number;
  first_seen_at: number;
  last_seen_at: number;
}

export interface ActivityTable {
  workspace_id: string;
  id: string;
  incident_id: string;
  action: string;
  kind: string;
  actor_type: string;
  actor_id: string;
  actor_name: string;
  changes: string;
  fields: string;
  comment_id: string | null;
  created_at: number;
  /** JSON, on rows that hold several entries (automation rules on one incident in one write): `[{ action, actor, changes }]`. */
  entries: string | null;
}

export interface CommentsTable {
  workspace_id: string;
  id: string;
  incident_id: string;
  message: string;
  author_type: string;
  author_id: string;
  author_name: string;
  created_at: number;
  updated_at: number;
  edited_at: number | null;
  version: number;
}

export interface TasksTable {
  workspace_id: string;
  id: string;
  incident_id: string;
  position: number;
  title: string;
  description: string;
  status: string;
  created_by_type: string;
  created_by_id: string;
  created_by_name: string;
  last_modified_by: string;
  completed_by: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  version: number;
}

export interface AutomationRulesTable {
  workspace_id: string;
  id: string;
  name: string;
  description: string;
  sort_order: number;
  enabled: number;
  expires_at: number | null;
  trigger_kind: string;
  analytics_rule_ids: string | null;
  conditions: string;
  actions: string;
  created_by: string;
  modified_by: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface AutomationRuleRunGroupsTable {
  workspace_id: string;
  rule_id: string;
  id: string;
  rule_name: string;
  trigger_kind: string;
  /** JSON: the rule's action types when it ran (what a run's results read when every action was applied). */
  action_types: string;
  run_count: number;
  /** JSON: the write's runs in order, each `{ incidentId?, alertId?, outcome, results? }`. */
  runs: string;
  created_at: number;
}

/** All tables, for Kysely's typing. */
export interface Database extends PlaybookTables, EventTables, ExportTables, NotificationTables {
  workspaces: WorkspacesTable;
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  workspace_members: WorkspaceMembersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  analytics_rules: AnalyticsRulesTable;
  incidents: IncidentsTable;
  incident_counts: IncidentCountsTable;
  incident_tags: IncidentTagsTable;
  incident_sources: IncidentSourcesTable;
  alerts: AlertsTable;
  entities: EntitiesTable;
  activity: ActivityTable;
  comments: CommentsTable;
  tasks: TasksTable;
  automation_rules: AutomationRulesTable;
  automation_rule_run_groups: AutomationRuleRunGroupsTable;
}
