/** Tables of playbooks, their runs, approvals and connections (conventions in schema.ts). */

export interface ConnectionsTable {
  workspace_id: string;
  id: string;
  name: string;
  name_key: string;
  connector: string;
  description: string;
  settings: string;
  /** Sealed (AES-256-GCM) JSON of the secret fields; null when none are set. */
  secrets: string | null;
  /** The names of the secret fields that are set (the values are never returned). */
  secret_fields: string;
  status: string;
  status_message: string | null;
  checked_at: number | null;
  created_by: string;
  modified_by: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface PlaybooksTable {
  workspace_id: string;
  id: string;
  name: string;
  name_key: string;
  description: string;
  enabled: number;
  trigger_kind: string;
  current_version: number;
  valid: number;
  schedule_cron: string | null;
  schedule_timezone: string | null;
  next_run_at: number | null;
  runs_total: number;
  runs_succeeded: number;
  runs_failed: number;
  last_run_id: string | null;
  last_run_status: string | null;
  last_run_at: number | null;
  created_by: string;
  modified_by: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface PlaybookVersionsTable {
  workspace_id: string;
  playbook_id: string;
  version: number;
  source: string;
  format: string;
  /** The validated definition (JSON); null when the source does not validate. */
  definition: string | null;
  problems: string;
  created_by: string;
  created_at: number;
}

export interface PlaybookWebhooksTable {
  token_hash: string;
  workspace_id: string;
  playbook_id: string;
  created_at: number;
}

export interface PlaybookRunsTable {
  workspace_id: string;
  id: string;
  playbook_id: string;
  playbook_name: string;
  playbook_version: number;
  status: string;
  trigger_kind: string;
  trigger: string;
  inputs: string;
  /** The trigger's data as the run first saw it (incident with alerts and entities, …). */
  context: string | null;
  incident_id: string | null;
  alert_id: string | null;
  started_by: string;
  rerun_of: string | null;
  queued_at: number;
  started_at: number | null;
  finished_at: number | null;
  active_ms: number;
  steps_executed: number;
  message: string | null;
  wake_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
  attempts: number;
  cancel_requested: number;
}

export interface PlaybookRunStepsTable {
  workspace_id: string;
  run_id: string;
  step_key: string;
  step_id: string;
  parent_key: string | null;
  kind: string;
  seq: number;
  status: string;
  attempts: number;
  input: string | null;
  output: string | null;
  error: string | null;
  started_at: number;
  finished_at: number | null;
}

export interface ApprovalsTable {
  workspace_id: string;
  id: string;
  run_id: string;
  step_key: string;
  playbook_id: string;
  playbook_name: string;
  incident_id: string | null;
  message: string;
  choices: string;
  assignee_users: string;
  assignee_groups: string;
  default_choice: string;
  expires_at: number;
  status: string;
  choice: string | null;
  answered_by: string | null;
  answered_via: string | null;
  answered_at: number | null;
  /** JSON: which channels were notified (email recipients, chat), once sent. */
  notified: string;
  created_at: number;
  version: number;
}

export interface ApprovalLinksTable {
  token_hash: string;
  workspace_id: string;
  approval_id: string;
  recipient: string;
  user_id: string | null;
  used_at: number | null;
  expires_at: number;
}

export interface PlaybookScheduleSlotsTable {
  workspace_id: string;
  playbook_id: string;
  slot_at: number;
  run_id: string;
}

/** The playbook tables, merged into the Database type. */
export interface PlaybookTables {
  connections: ConnectionsTable;
  playbooks: PlaybooksTable;
  playbook_versions: PlaybookVersionsTable;
  playbook_webhooks: PlaybookWebhooksTable;
  playbook_runs: PlaybookRunsTable;
  playbook_run_steps: PlaybookRunStepsTable;
  approvals: ApprovalsTable;
  approval_links: ApprovalLinksTable;
  playbook_schedule_slots: PlaybookScheduleSlotsTable;
}
