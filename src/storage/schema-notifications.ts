/** Tables of email notification rules (conventions in schema.ts). */

export interface NotificationRulesTable {
  workspace_id: string;
  id: string;
  name: string;
  name_key: string;
  description: string;
  enabled: number;
  /** 1 when the rule mails on new incidents. */
  on_created: number;
  /** JSON list of the update kinds it mails on (status, severity, owner, alerts, comments). */
  on_updates: string;
  /** JSON filters: severities, products, analytics rule ids, tags, host groups. */
  filters: string;
  /** JSON recipients: user ids, group ids, addresses. */
  recipients: string;
  include_summary: number;
  /** Emails sent at once per recipient in a rate-limit window before events go into the digest. */
  digest_after: number;
  created_by: string;
  modified_by: string;
  created_at: number;
  updated_at: number;
  version: number;
}

/** One rate-limit window of one rule and recipient (email address). */
export interface NotificationWindowsTable {
  workspace_id: string;
  rule_id: string;
  recipient: string;
  window_start: number;
  window_end: number;
  /** Emails sent at once in the window. */
  sent: number;
  /** Events folded into the window's digest. */
  folded: number;
  /** 1 once the digest's sender closed the window: no event joins it afterwards. */
  closed: number;
}

/** An event folded into a window's digest: the line the digest lists for it. */
export interface NotificationDigestItemsTable {
  workspace_id: string;
  rule_id: string;
  recipient: string;
  window_start: number;
  event_id: string;
  incident_id: string | null;
  /** JSON: incident number, title, severity, status, what happened, link. */
  line: string;
  created_at: number;
}

/** The notification tables, merged into the Database type. */
export interface NotificationTables {
  notification_rules: NotificationRulesTable;
  notification_windows: NotificationWindowsTable;
  notification_digest_items: NotificationDigestItemsTable;
}
