import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { Storage } from '../storage/database.js';
import { createDeliverySender, type DeliveryChannel, type DeliverySender } from './delivery-sender.js';
import { createEventDispatcher, type EventConsumer, type EventDispatcher } from './event-dispatcher.js';

const DISPATCH_POLL_MS = 200;
const SENDER_POLL_MS = 1_000;
const SEND_BATCH = 16;
const SEND_LEASE_MS = 120_000;

/**
 * Event delivery: consumers (webhook subscriptions, notification rules) and their channels
 * register here; `start` runs the dispatcher (outbox → deliveries) and the sender (deliveries →
 * the world) in this process. Several processes on PostgreSQL share the work safely.
 */
export function createEventDelivery(deps: { storage: Storage; now: () => number; config: Pick<Config, 'deliveryRetryMs'> }) {
  const consumers: EventConsumer[] = [];
  const channels: DeliveryChannel[] = [];
  let running: { dispatcher: EventDispatcher; sender: DeliverySender } | undefined;

  return {
    /** Adds a consumer of events and the channel that delivers what it fans out. */
    register(consumer: EventConsumer, channel: DeliveryChannel): void {
      consumers.push(consumer);
      channels.push(channel);
    },

    /** Starts dispatching and sending in the background. */
    start(logger: Logger): void {
      if (running) return;
      const sender = createDeliverySender({
        storage: deps.storage,
        now: deps.now,
        logger,
        channels,
        options: {
          retryBaseMs: deps.config.deliveryRetryMs,
          pollMs: Math.min(SENDER_POLL_MS, deps.config.deliveryRetryMs),
          batchSize: SEND_BATCH,
          leaseMs: SEND_LEASE_MS,
        },
      });
      const dispatcher = createEventDispatcher({
        storage: deps.storage,
        now: deps.now,
        logger,
        consumers,
        pollMs: DISPATCH_POLL_MS,
        onDeliveries: () => sender.wake(),
      });
      running = { dispatcher, sender };
      sender.start();
      dispatcher.start();
    },

    /** Stops both loops, waiting for the work in flight. */
    async stop(): Promise<void> {
      if (!running) return;
      const { dispatcher, sender } = running;
      running = undefined;
      await dispatcher.stop();
      await sender.stop();
    },
  };
}

/** The event delivery module. */
export type EventDelivery = ReturnType<typeof createEventDelivery>;
