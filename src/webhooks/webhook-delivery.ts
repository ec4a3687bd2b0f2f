import { ActionError } from '../connectors/action.js';
import { egressPolicy } from '../connectors/outbound/egress-guard.js';
import { sendRequest } from '../connectors/outbound/http-client.js';
import { bodyExcerpt, isRetryableStatus } from '../connectors/outbound/response-body.js';
import type { DeliveryChannel, DeliveryOutcome, EventConsumer, NewDelivery } from '../events/index.js';
import type { IncidentService } from '../incidents/index.js';
import type { Storage } from '../storage/database.js';
import { findWebhook, listWebhookRecords, type WebhookRecord } from './webhook-repository.js';
import { webhookPayload } from './webhook-payload.js';
import { signatureHeader } from './webhook-signature.js';

/** The delivery channel's name, in the delivery log. */
export const WEBHOOK_CHANNEL = 'webhook';
const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

/** One signed POST of a payload to a subscription's URL. */
export interface SignedPost {
  url: string;
  secret: string;
  body: string;
  eventType: string;
  deliveryId: string;
}

/**
 * POSTs the body with its signature, through the connectors' egress guard (the same SSRF rules
 * as the HTTP connector: no loopback, private, link-local or metadata addresses unless
 * `VIGIL_EGRESS_ALLOWLIST` names them; no redirects followed). 2xx is delivered; 408, 429, 5xx
 * and network errors are retried; other answers and refused destinations fail at once.
 */
export async function postSigned(post: SignedPost, options: { egressAllowlist?: string; now: number }): Promise<DeliveryOutcome> {
  try {
    const response = await sendRequest(egressPolicy({ allowlist: options.egressAllowlist }), {
      method: 'POST',
      url: post.url,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Vigil-Webhooks/1',
        'x-vigil-event': post.eventType,
        'x-vigil-delivery': post.deliveryId,
        'x-vigil-signature': signatureHeader(post.secret, post.body, options.now),
      },
      body: post.body,
      timeoutMs: TIMEOUT_MS,
      maxBytes: MAX_RESPONSE_BYTES,
      maxRedirects: 0,
    });
    if (response.status >= 200 && response.status < 300) return { status: 'sent', responseCode: response.status };
    const error = `${new URL(post.url).host} answered HTTP ${response.status}: ${bodyExcerpt(response.body, 300)}`;
    return isRetryableStatus(response.status)
      ? { status: 'retry', error, responseCode: response.status }
      : { status: 'failed', error, responseCode: response.status };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const retryable = error instanceof ActionError ? error.retryable : true;
    return retryable ? { status: 'retry', error: message } : { status: 'failed', error: message };
  }
}

/** Outbound webhooks as an event consumer (fan-out) and a delivery channel (signed POSTs). */
export function createWebhookDelivery(deps: {
  storage: Storage;
  incidents: IncidentService;
  secretOf: (record: WebhookRecord) => string;
  egressAllowlist?: string;
  now: () => number;
}): { consumer: EventConsumer; channel: DeliveryChannel } {
  const consumer: EventConsumer = {
    name: 'webhooks',
    async fanOut(trx, workspaceId, events) {
      const deliveries: NewDelivery[] = [];
      const subscriptions = await listWebhookRecords(trx, workspaceId, true);
      if (subscriptions.length === 0) return deliveries;
      const wanted = events.filter((e) => e.types.some((t) => subscriptions.some((s) => s.events.includes(t))));
      if (wanted.length === 0) return deliveries;
      const incidentIds = wanted.flatMap((e) => (e.incidentId ? [e.incidentId] : []));
      const incidents = await deps.incidents.describe(trx, workspaceId, incidentIds);
      for (const event of wanted) {
        for (const type of event.types) {
          const targets = subscriptions.filter((s) => s.events.includes(type));
          if (targets.length === 0) continue;
          const incident = event.incidentId ? (incidents.get(event.incidentId) ?? null) : null;
          const payload = await webhookPayload(trx, event, type, incident);
          for (const target of targets) {
            deliveries.push({
              workspaceId,
              channel: WEBHOOK_CHANNEL,
              targetId: target.id,
              eventId: event.id,
              eventType: type,
              incidentId: event.incidentId,
              payload,
            });
          }
        }
      }
      return deliveries;
    },
  };

  const channel: DeliveryChannel = {
    name: WEBHOOK_CHANNEL,
    maxAttempts: MAX_ATTEMPTS,
    async deliver(delivery) {
      const subscription = await findWebhook(deps.storage.db, delivery.workspaceId, delivery.targetId);
      if (!subscription) return { status: 'skipped', error: 'the subscription was deleted' };
      if (!subscription.enabled) return { status: 'skipped', error: 'the subscription is disabled' };
      return postSigned(
        {
          url: subscription.url,
          secret: deps.secretOf(subscription),
          body: JSON.stringify(delivery.payload),
          eventType: delivery.eventType,
          deliveryId: delivery.id,
        },
        { egressAllowlist: deps.egressAllowlist, now: deps.now() },
      );
    },
  };
  return { consumer, channel };
}
