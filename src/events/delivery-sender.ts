import type { Logger } from '../logging/logger.js';
import type { Storage } from '../storage/database.js';
import { claimDueDeliveries, pruneDeliveries, recordAttempt, type AttemptResult, type Delivery } from './delivery-repository.js';

/** How one attempt went, as a channel reports it; the sender turns `retry` into a time. */
export type DeliveryOutcome =
  | { status: 'sent'; responseCode?: number | null; detail?: string | null }
  | { status: 'retry'; error: string; responseCode?: number | null }
  | { status: 'failed' | 'skipped'; error: string; responseCode?: number | null };

/** A way of delivering: outbound webhooks, email. */
export interface DeliveryChannel {
  readonly name: string;
  /** Attempts before a delivery that keeps asking for a retry is recorded as failed. */
  readonly maxAttempts: number;
  deliver(delivery: Delivery): Promise<DeliveryOutcome>;
}

/** Sender settings: the first retry's delay (doubling up to an hour), claim size, lease. */
export interface SenderOptions {
  retryBaseMs: number;
  pollMs: number;
  batchSize: number;
  leaseMs: number;
}

const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;
const LOG_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** The delay before attempt `attempts + 1`: base · 2^(attempts−1), at most an hour, ±20% jitter. */
export function retryDelay(attempts: number, baseMs: number, random = Math.random): number {
  const delay = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
  return Math.round(delay * (0.8 + 0.4 * random()));
}

/** Turns a channel's outcome into what is recorded: retries get a time, or fail once attempts run out. */
export function attemptResult(
  outcome: DeliveryOutcome,
  attempts: number,
  maxAttempts: number,
  now: number,
  baseMs: number,
): AttemptResult {
  if (outcome.status !== 'retry') return outcome;
  if (attempts >= maxAttempts) {
    return {
      status: 'failed',
      error: `${outcome.error} (gave up after ${attempts} attempts)`,
      responseCode: outcome.responseCode,
    };
  }
  return { status: 'retry', at: now + retryDelay(attempts, baseMs), error: outcome.error, responseCode: outcome.responseCode };
}

/**
 * Sends due deliveries through their channels, a batch at a time, in the background: woken when
 * the dispatcher writes deliveries, and polling for retries that come due. Ended deliveries stay
 * in the log for 30 days.
 */
export function createDeliverySender(deps: {
  storage: Storage;
  now: () => number;
  logger: Logger;
  channels: DeliveryChannel[];
  options: SenderOptions;
}) {
  const { storage, now, logger, options } = deps;
  const channels = new Map(deps.channels.map((c) => [c.name, c]));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  let lastPrune = 0;

  async function deliverOne(delivery: Delivery): Promise<void> {
    const channel = channels.get(delivery.channel);
    let outcome: DeliveryOutcome;
    if (!channel) outcome = { status: 'failed', error: `No delivery channel named ${delivery.channel}` };
    else {
      try {
        outcome = await channel.deliver(delivery);
      } catch (error) {
        outcome = { status: 'retry', error: error instanceof Error ? error.message : String(error) };
      }
    }
    const at = now();
    const result = attemptResult(outcome, delivery.attempts, channel?.maxAttempts ?? 1, at, options.retryBaseMs);
    await recordAttempt(storage.db, delivery, result, at);
  }

  async function sendDue(): Promise<void> {
    for (;;) {
      const claimed = await claimDueDeliveries(storage.db, storage.dialect, now(), options.batchSize, options.leaseMs);
      await Promise.all(
        claimed.map((d) =>
          deliverOne(d).catch((error) => logger.warn({ err: error, delivery: d.id }, 'could not record a delivery attempt')),
        ),
      );
      if (claimed.length < options.batchSize || stopped) break;
    }
    if (now() - lastPrune > PRUNE_INTERVAL_MS) {
      lastPrune = now();
      await pruneDeliveries(storage.db, now() - LOG_RETENTION_MS);
    }
  }

  function tick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = sendDue()
      .catch((error) => logger.warn({ err: error }, 'delivery sender failed; will retry'))
      .finally(() => {
        running = undefined;
        if (stopped) return;
        if (again) {
          again = false;
          setImmediate(tick);
        } else timer = setTimeout(tick, options.pollMs);
      });
  }

  return {
    start(): void {
      stopped = false;
      tick();
    },
    /** Sends now instead of at the next poll (after deliveries were written). */
    wake(): void {
      tick();
    },
    /** Stops polling and waits for the attempts in flight to be recorded. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** The background sender. */
export type DeliverySender = ReturnType<typeof createDeliverySender>;
