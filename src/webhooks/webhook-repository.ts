import type { Actor } from '../common/actor.js';
import { SYSTEM_ACTOR } from '../common/actor.js';
import type { EventType } from '../events/index.js';
import { setSubscriberCount } from '../events/index.js';
import type { Executor } from '../storage/dialect.js';
import { fromJson, toJson } from '../storage/json.js';
import type { WebhookSubscriptionsTable } from '../storage/schema-events.js';

/** A subscription as stored (secret still sealed). */
export interface WebhookRecord {
  workspaceId: string;
  id: string;
  name: string;
  description: string;
  url: string;
  events: EventType[];
  sealedSecret: string;
  enabled: boolean;
  createdBy: Actor;
  modifiedBy: Actor;
  createdAt: number;
  updatedAt: number;
  version: number;
}

function fromRow(row: WebhookSubscriptionsTable): WebhookRecord {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    name: row.name,
    description: row.description,
    url: row.url,
    events: fromJson(row.events, []),
    sealedSecret: row.secret,
    enabled: row.enabled === 1,
    createdBy: fromJson<Actor>(row.created_by, SYSTEM_ACTOR),
    modifiedBy: fromJson<Actor>(row.modified_by, SYSTEM_ACTOR),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    version: row.version,
  };
}

/** Maps a record to its row. */
export function webhookToRow(w: WebhookRecord): WebhookSubscriptionsTable {
  return {
    workspace_id: w.workspaceId,
    id: w.id,
    name: w.name,
    name_key: w.name.trim().toLowerCase(),
    description: w.description,
    url: w.url,
    events: toJson(w.events),
    secret: w.sealedSecret,
    enabled: w.enabled ? 1 : 0,
    created_by: toJson(w.createdBy),
    modified_by: toJson(w.modifiedBy),
    created_at: w.createdAt,
    updated_at: w.updatedAt,
    version: w.version,
  };
}

/** The workspace's subscriptions, by name. */
export async function listWebhookRecords(db: Executor, workspaceId: string, onlyEnabled = false): Promise<WebhookRecord[]> {
  let query = db.selectFrom('webhook_subscriptions').selectAll().where('workspace_id', '=', workspaceId);
  if (onlyEnabled) query = query.where('enabled', '=', 1);
  return (await query.orderBy('name_key').execute()).map(fromRow);
}

/** One subscription by id or name. */
export async function findWebhook(db: Executor, workspaceId: string, ref: string): Promise<WebhookRecord | undefined> {
  const row = await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('id', '=', ref), eb('name_key', '=', ref.trim().toLowerCase())]))
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** How many subscriptions the workspace has. */
export async function countWebhooks(db: Executor, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_subscriptions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Writes a changed subscription if its version is still `expectedVersion`; whether it did. */
export async function updateWebhookRow(trx: Executor, record: WebhookRecord, expectedVersion: number): Promise<boolean> {
  const { workspace_id, id, created_at, created_by, ...rest } = webhookToRow(record);
  const result = await trx
    .updateTable('webhook_subscriptions')
    .set(rest)
    .where('workspace_id', '=', workspace_id)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Tells the outbox how many enabled subscriptions the workspace has (after any change to them). */
export async function recountWebhooks(trx: Executor, workspaceId: string): Promise<void> {
  const row = await trx
    .selectFrom('webhook_subscriptions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('enabled', '=', 1)
    .executeTakeFirst();
  await setSubscriberCount(trx, workspaceId, 'webhook', Number(row?.n ?? 0));
}
