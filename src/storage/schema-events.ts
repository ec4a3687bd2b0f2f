/** Tables of event delivery: outbox, deliveries, webhook subscriptions (conventions in schema.ts). */

export interface EventSubscribersTable {
  workspace_id: string;
  /** Who subscribes: `webhook` or `email`. */
  channel: string;
  /** Enabled subscriptions of the channel; while all are 0, writes put nothing in the outbox. */
  count: number;
}

export interface EventOutboxTable {
  workspace_id: string;
  id: string;
  /** The activity action (or `playbookRunFinished`) the event comes from. */
  action: string;
  /** The event types it raises, delimited `|a|b|`. */
  types: string;
  incident_id: string | null;
  actor_type: string;
  actor_id: string;
  actor_name: string;
  changes: string;
  /** The task, comment or run the event is about, when it is about one. */
  subject_id: string | null;
  created_at: number;
}

export interface DeliveriesTable {
  workspace_id: string;
  id: string;
  channel: string;
  /** The webhook subscription or notification rule the delivery is for. */
  target_id: string;
  event_id: string;
  event_type: string;
  incident_id: string | null;
  /** An email address, for email deliveries. */
  recipient: string | null;
  payload: string;
  /** pending | sending | sent | failed | skipped */
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  response_code: number | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

export interface WebhookSubscriptionsTable {
  workspace_id: string;
  id: string;
  name: string;
  name_key: string;
  description: string;
  url: string;
  events: string;
  /** The signing secret, sealed like connection secrets. */
  secret: string;
  enabled: number;
  created_by: string;
  modified_by: string;
  created_at: number;
  updated_at: number;
  version: number;
}

/** The event delivery tables, merged into the Database type. */
export interface EventTables {
  event_subscribers: EventSubscribersTable;
  event_outbox: EventOutboxTable;
  deliveries: DeliveriesTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
}
