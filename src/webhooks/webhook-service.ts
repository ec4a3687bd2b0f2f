import { randomBytes } from 'node:crypto';
import { requirePermission, type Access } from '../auth/permissions.js';
import { openSecrets, sealSecrets, type SecretKey } from '../connections/secret-box.js';
import { checkEgress, egressPolicy, EgressRefusedError } from '../connectors/outbound/egress-guard.js';
import { deliveryLogPage, findDelivery, toDeliveryView, type DeliveryView } from '../events/index.js';
import type { DeliveryQuery } from '../events/delivery-log.js';
import { insertDeliveries } from '../events/delivery-repository.js';
import { ConflictError, InputError, LimitExceededError, NotFoundError, PreconditionFailedError } from '../errors/errors.js';
import { isoTime } from '../http/cursor.js';
import { etagOf } from '../http/schemas.js';
import { newId } from '../ids/ids.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import { postSigned, WEBHOOK_CHANNEL } from './webhook-delivery.js';
import type { WebhookPayload } from './webhook-payload.js';
import {
  countWebhooks,
  findWebhook,
  listWebhookRecords,
  recountWebhooks,
  updateWebhookRow,
  webhookToRow,
  type WebhookRecord,
} from './webhook-repository.js';
import {
  WEBHOOK_LIMITS,
  type WebhookCreate,
  type WebhookPatch,
  type WebhookSubscription,
  type WebhookTestResult,
  type WebhookWithSecret,
} from './webhook-schemas.js';

/** A subscription as the API shows it (never its secret). */
export function toWebhook(w: WebhookRecord): WebhookSubscription {
  return {
    id: w.id,
    name: w.name,
    description: w.description,
    url: w.url,
    events: w.events,
    enabled: w.enabled,
    createdBy: w.createdBy,
    modifiedBy: w.modifiedBy,
    createdAt: isoTime(w.createdAt),
    updatedAt: isoTime(w.updatedAt),
    etag: etagOf(w.version),
  };
}

/** Outbound webhook subscriptions: CRUD, secret rotation, test sends, the delivery log. */
export type WebhookService = ReturnType<typeof createWebhookService>;

/** Builds the webhook subscription service. */
export function createWebhookService(deps: {
  storage: Storage;
  now: () => number;
  /** Loaded on first use, like connections' key. */
  secretKey: () => SecretKey;
  egressAllowlist?: string;
}) {
  const { storage, now } = deps;
  const { db } = storage;
  const context = (w: { workspaceId: string; id: string }) => `webhook:${w.workspaceId}/${w.id}`;

  /** The subscription's signing secret, unsealed. */
  function secretOf(w: WebhookRecord): string {
    return openSecrets(deps.secretKey(), w.sealedSecret, context(w)).secret!;
  }

  function seal(w: { workspaceId: string; id: string }, secret: string): string {
    return sealSecrets(deps.secretKey(), { secret }, context(w));
  }

  /** Refuses destinations the egress guard would refuse (loopback, private, metadata) at save time. */
  async function checkDestination(url: string): Promise<void> {
    const parsed = new URL(url);
    const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
    try {
      await checkEgress(egressPolicy({ allowlist: deps.egressAllowlist }), parsed.hostname, port);
    } catch (error) {
      // A host that does not resolve now may later; only a refused destination is an input error.
      if (error instanceof EgressRefusedError)
        throw new InputError(`url: ${error.message}`, [{ path: 'url', message: error.message }]);
    }
  }

  async function requireWebhook(executor: Executor, access: Access, ref: string): Promise<WebhookRecord> {
    const found = await findWebhook(executor, access.workspaceId!, ref);
    if (!found) throw new NotFoundError(`Webhook subscription ${ref} not found in workspace ${access.workspaceId}`);
    return found;
  }

  const nameTaken = (name: string, workspaceId: string) =>
    new ConflictError(`A webhook subscription named ${JSON.stringify(name)} already exists in workspace ${workspaceId}`);
  const stale = (name: string) =>
    new PreconditionFailedError(`Webhook subscription ${name} was changed by someone else; reload it and try again`);

  return {
    secretOf,

    /** The workspace's subscriptions, by name. */
    async list(access: Access): Promise<WebhookSubscription[]> {
      requirePermission(access, 'playbooks.read');
      return (await listWebhookRecords(db, access.workspaceId!)).map(toWebhook);
    },

    /** One subscription by id or name. */
    async get(access: Access, ref: string): Promise<WebhookSubscription> {
      requirePermission(access, 'playbooks.read');
      return toWebhook(await requireWebhook(db, access, ref));
    },

    /** Creates a subscription; its secret (given or generated) is returned this once. */
    async create(access: Access, input: WebhookCreate): Promise<WebhookWithSecret> {
      requirePermission(access, 'playbooks.write');
      await checkDestination(input.url);
      const at = now();
      const secret = input.secret ?? randomBytes(32).toString('base64url');
      const id = newId(at);
      const record: WebhookRecord = {
        workspaceId: access.workspaceId!,
        id,
        name: input.name,
        description: input.description,
        url: input.url,
        events: input.events,
        sealedSecret: seal({ workspaceId: access.workspaceId!, id }, secret),
        enabled: input.enabled,
        createdBy: access.actor,
        modifiedBy: access.actor,
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      await db.transaction().execute(async (trx) => {
        if ((await countWebhooks(trx, record.workspaceId)) >= WEBHOOK_LIMITS.perWorkspace) {
          throw new LimitExceededError(
            `A workspace may have at most ${WEBHOOK_LIMITS.perWorkspace} webhook subscriptions; delete one first`,
          );
        }
        if (await findWebhook(trx, record.workspaceId, record.name)) throw nameTaken(record.name, record.workspaceId);
        await trx.insertInto('webhook_subscriptions').values(webhookToRow(record)).execute();
        await recountWebhooks(trx, record.workspaceId);
      });
      return { ...toWebhook(record), secret };
    },

    /** Changes a subscription (If-Match: its etag). */
    async update(access: Access, ref: string, patch: WebhookPatch, ifMatch?: string): Promise<WebhookSubscription> {
      requirePermission(access, 'playbooks.write');
      if (patch.url) await checkDestination(patch.url);
      const next = await db.transaction().execute(async (trx) => {
        const current = await requireWebhook(trx, access, ref);
        if (ifMatch !== undefined && ifMatch !== String(current.version)) throw stale(current.name);
        if (patch.name && patch.name.trim().toLowerCase() !== current.name.trim().toLowerCase()) {
          if (await findWebhook(trx, current.workspaceId, patch.name)) throw nameTaken(patch.name, current.workspaceId);
        }
        const record: WebhookRecord = {
          ...current,
          name: patch.name ?? current.name,
          description: patch.description ?? current.description,
          url: patch.url ?? current.url,
          events: patch.events ?? current.events,
          enabled: patch.enabled ?? current.enabled,
          modifiedBy: access.actor,
          updatedAt: now(),
          version: current.version + 1,
        };
        if (!(await updateWebhookRow(trx, record, current.version))) throw stale(current.name);
        await recountWebhooks(trx, record.workspaceId);
        return record;
      });
      return toWebhook(next);
    },

    /** Replaces the signing secret with a new random one, returned this once. */
    async rotateSecret(access: Access, ref: string): Promise<WebhookWithSecret> {
      requirePermission(access, 'playbooks.write');
      const secret = randomBytes(32).toString('base64url');
      const next = await db.transaction().execute(async (trx) => {
        const current = await requireWebhook(trx, access, ref);
        const record = {
          ...current,
          sealedSecret: seal(current, secret),
          modifiedBy: access.actor,
          updatedAt: now(),
          version: current.version + 1,
        };
        if (!(await updateWebhookRow(trx, record, current.version))) throw stale(current.name);
        return record;
      });
      return { ...toWebhook(next), secret };
    },

    /** Deletes a subscription; its pending deliveries are skipped, its log stays for 30 days. */
    async remove(access: Access, ref: string, ifMatch?: string): Promise<void> {
      requirePermission(access, 'playbooks.write');
      await db.transaction().execute(async (trx) => {
        const current = await requireWebhook(trx, access, ref);
        if (ifMatch !== undefined && ifMatch !== String(current.version)) throw stale(current.name);
        await trx
          .deleteFrom('webhook_subscriptions')
          .where('workspace_id', '=', current.workspaceId)
          .where('id', '=', current.id)
          .execute();
        await recountWebhooks(trx, current.workspaceId);
      });
    },

    /** Sends a signed `ping` to the subscription's URL now and says how it went (nothing is logged). */
    async test(access: Access, ref: string): Promise<WebhookTestResult> {
      requirePermission(access, 'playbooks.write');
      const subscription = await requireWebhook(db, access, ref);
      const at = now();
      const payload: WebhookPayload = {
        id: newId(at),
        type: 'ping',
        occurredAt: new Date(at).toISOString(),
        workspace: subscription.workspaceId,
        actor: access.actor,
        changes: [],
        incident: null,
      };
      const started = performance.now();
      const outcome = await postSigned(
        {
          url: subscription.url,
          secret: secretOf(subscription),
          body: JSON.stringify(payload),
          eventType: 'ping',
          deliveryId: payload.id,
        },
        { egressAllowlist: deps.egressAllowlist, now: at },
      );
      return {
        delivered: outcome.status === 'sent',
        responseCode: outcome.responseCode ?? null,
        error: outcome.status === 'sent' ? null : outcome.error,
        durationMs: Math.round(performance.now() - started),
      };
    },

    /** A page of the subscription's delivery log, newest first. */
    async deliveries(access: Access, ref: string, query: DeliveryQuery) {
      requirePermission(access, 'playbooks.read');
      const subscription = await requireWebhook(db, access, ref);
      return deliveryLogPage(
        db,
        { workspaceId: subscription.workspaceId, channel: WEBHOOK_CHANNEL, targetId: subscription.id },
        query,
      );
    },

    /** Queues a delivery's payload again as a new delivery (e.g. after the receiver was fixed). */
    async redeliver(access: Access, ref: string, deliveryId: string): Promise<DeliveryView> {
      requirePermission(access, 'playbooks.write');
      const subscription = await requireWebhook(db, access, ref);
      const original = await findDelivery(db, subscription.workspaceId, deliveryId);
      if (!original || original.channel !== WEBHOOK_CHANNEL || original.targetId !== subscription.id) {
        throw new NotFoundError(`Delivery ${deliveryId} not found for webhook subscription ${subscription.name}`);
      }
      if (original.status === 'pending' || original.status === 'sending') {
        throw new ConflictError(`Delivery ${deliveryId} is still ${original.status}; wait for it to end`);
      }
      const at = now();
      const id = await db.transaction().execute(async (trx) => {
        const [made] = await insertDeliveries(trx, storage.dialect, [{ ...original, recipient: null, status: 'pending' }], at);
        return made!;
      });
      const made = await findDelivery(db, subscription.workspaceId, id);
      return toDeliveryView(made!);
    },
  };
}
