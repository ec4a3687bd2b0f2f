import { z } from 'zod';
import { decodeCursor, encodeCursor, isoTime } from '../http/cursor.js';
import { paginationQuery } from '../http/schemas.js';
import type { Executor } from '../storage/dialect.js';
import { DELIVERY_STATUSES, listDeliveries, type Delivery } from './delivery-repository.js';

/** A delivery as the delivery log shows it (the payload is not repeated). */
export const deliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    incidentId: z.string().nullable(),
    recipient: z.string().nullable().describe('The email address, for email deliveries'),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable().describe('When the next attempt is due (pending deliveries)'),
    lastError: z.string().nullable().describe('The last failure (the SMTP or HTTP error), or why it was skipped'),
    responseCode: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .meta({ id: 'Delivery' });
export type DeliveryView = z.infer<typeof deliverySchema>;

/** Query of a delivery log: status filter and paging. */
export const deliveryQuerySchema = z.object({
  status: z.enum(DELIVERY_STATUSES, { error: `must be one of ${DELIVERY_STATUSES.join(', ')}` }).optional(),
  ...paginationQuery,
});
export type DeliveryQuery = z.infer<typeof deliveryQuerySchema>;

/** Maps a delivery to its view. */
export function toDeliveryView(d: Delivery): DeliveryView {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    incidentId: d.incidentId,
    recipient: d.recipient,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' || d.status === 'sending' ? isoTime(d.nextAttemptAt) : null,
    lastError: d.lastError,
    responseCode: d.responseCode,
    createdAt: isoTime(d.createdAt),
    updatedAt: isoTime(d.updatedAt),
    sentAt: isoTime(d.sentAt),
  };
}

/** One page of a webhook subscription's or notification rule's delivery log, newest first. */
export async function deliveryLogPage(
  db: Executor,
  target: { workspaceId: string; channel: string; targetId: string },
  query: DeliveryQuery,
): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
  const beforeId = query.cursor ? String(decodeCursor(query.cursor, 1)[0]) : undefined;
  const rows = await listDeliveries(db, { ...target, status: query.status, beforeId, limit: query.limit });
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return { items: page.map(toDeliveryView), nextCursor: more ? encodeCursor([page[page.length - 1]!.id]) : null };
}
