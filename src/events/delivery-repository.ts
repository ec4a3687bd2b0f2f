import { sql } from 'kysely';
import { newId } from '../ids/ids.js';
import { insertRows } from '../storage/bulk.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { fromJson, toJson } from '../storage/json.js';
import type { DeliveriesTable } from '../storage/schema-events.js';

/** Where a delivery stands: waiting for its (next) attempt, being sent, or ended. */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A delivery to make: one event to one webhook subscription or one email recipient. */
export interface NewDelivery {
  workspaceId: string;
  channel: string;
  targetId: string;
  eventId: string;
  eventType: string;
  incidentId: string | null;
  recipient?: string | null;
  payload: unknown;
  /** `skipped` records a delivery not made (rate limit, digest) in the log; default `pending`. */
  status?: 'pending' | 'skipped';
  /** Why it was skipped. */
  note?: string;
  /** When to make the first attempt (default now). */
  notBefore?: number;
}

/** A delivery as the sender and the delivery log see it. */
export interface Delivery {
  workspaceId: string;
  id: string;
  channel: string;
  targetId: string;
  eventId: string;
  eventType: string;
  incidentId: string | null;
  recipient: string | null;
  payload: unknown;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  responseCode: number | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
}

function toDelivery(row: DeliveriesTable): Delivery {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    channel: row.channel,
    targetId: row.target_id,
    eventId: row.event_id,
    eventType: row.event_type,
    incidentId: row.incident_id,
    recipient: row.recipient,
    payload: fromJson(row.payload, null),
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at === null ? null : Number(row.next_attempt_at),
    lastError: row.last_error,
    responseCode: row.response_code,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    sentAt: row.sent_at === null ? null : Number(row.sent_at),
  };
}

/** Writes new deliveries (in the dispatcher's transaction); returns their ids. */
export async function insertDeliveries(
  trx: Executor,
  dialect: Dialect,
  deliveries: NewDelivery[],
  at: number,
): Promise<string[]> {
  const rows: DeliveriesTable[] = deliveries.map((d) => {
    const skipped = d.status === 'skipped';
    return {
      workspace_id: d.workspaceId,
      id: newId(at),
      channel: d.channel,
      target_id: d.targetId,
      event_id: d.eventId,
      event_type: d.eventType,
      incident_id: d.incidentId,
      recipient: d.recipient ?? null,
      payload: toJson(d.payload ?? null),
      status: skipped ? 'skipped' : 'pending',
      attempts: 0,
      next_attempt_at: skipped ? null : (d.notBefore ?? at),
      last_error: d.note ?? null,
      response_code: null,
      created_at: at,
      updated_at: at,
      sent_at: null,
    };
  });
  await insertRows(trx, dialect, 'deliveries', rows);
  return rows.map((r) => r.id);
}

/**
 * Claims up to `limit` due deliveries for this process: each becomes `sending` with its attempt
 * counted and is due again at `now + leaseMs`, so a process that dies mid-send hands it back
 * by itself. PostgreSQL skips rows another process is claiming at the same moment.
 */
export async function claimDueDeliveries(
  db: Executor,
  dialect: Dialect,
  now: number,
  limit: number,
  leaseMs: number,
): Promise<Delivery[]> {
  return db.transaction().execute(async (trx) => {
    let due = trx
      .selectFrom('deliveries')
      .select(['workspace_id', 'id'])
      .where('status', 'in', ['pending', 'sending'])
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit);
    if (dialect.supportsRowLocks) due = due.forUpdate().skipLocked();
    const keys = await due.execute();
    const claimed: Delivery[] = [];
    for (const key of keys) {
      const row = await trx
        .updateTable('deliveries')
        .set({ status: 'sending', attempts: sql`attempts + 1`, next_attempt_at: now + leaseMs, updated_at: now })
        .where('workspace_id', '=', key.workspace_id)
        .where('id', '=', key.id)
        .returningAll()
        .executeTakeFirst();
      if (row) claimed.push(toDelivery(row));
    }
    return claimed;
  });
}

/** How an attempt ended: sent, to be retried at a time, or ended for good (failed or skipped). */
export type AttemptResult =
  | { status: 'sent'; responseCode?: number | null; detail?: string | null }
  | { status: 'retry'; at: number; error: string; responseCode?: number | null }
  | { status: 'failed' | 'skipped'; error: string; responseCode?: number | null };

/** Records an attempt's result, unless another process claimed the delivery since (lease lost). */
export async function recordAttempt(db: Executor, delivery: Delivery, result: AttemptResult, now: number): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({
      status: result.status === 'retry' ? 'pending' : result.status,
      next_attempt_at: result.status === 'retry' ? result.at : null,
      last_error: result.status === 'sent' ? (result.detail ?? null) : result.error.slice(0, 2000),
      response_code: result.responseCode ?? null,
      sent_at: result.status === 'sent' ? now : null,
      updated_at: now,
    })
    .where('workspace_id', '=', delivery.workspaceId)
    .where('id', '=', delivery.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', delivery.attempts)
    .execute();
}

/** What the delivery log lists. */
export interface DeliveryFilter {
  workspaceId: string;
  channel: string;
  targetId?: string;
  status?: DeliveryStatus;
  beforeId?: string;
  limit: number;
}

/** Deliveries newest first, one more than the limit to tell if there is a next page. */
export async function listDeliveries(db: Executor, filter: DeliveryFilter): Promise<Delivery[]> {
  let query = db
    .selectFrom('deliveries')
    .selectAll()
    .where('workspace_id', '=', filter.workspaceId)
    .where('channel', '=', filter.channel);
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return rows.map(toDelivery);
}

/** Reads one delivery. */
export async function findDelivery(db: Executor, workspaceId: string, id: string): Promise<Delivery | undefined> {
  const row = await db
    .selectFrom('deliveries')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toDelivery(row) : undefined;
}

/** Deletes ended deliveries older than `before` (the log keeps 30 days). */
export async function pruneDeliveries(db: Executor, before: number): Promise<number> {
  const result = await db
    .deleteFrom('deliveries')
    .where('status', 'in', ['sent', 'failed', 'skipped'])
    .where('updated_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
