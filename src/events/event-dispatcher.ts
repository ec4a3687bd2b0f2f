import type { Logger } from '../logging/logger.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import { insertDeliveries, type NewDelivery } from './delivery-repository.js';
import type { OutboxEvent } from './event-types.js';
import { eventFromRow } from './outbox.js';

/** Turns committed events into deliveries (webhook subscriptions, notification rules). */
export interface EventConsumer {
  readonly name: string;
  /**
   * Runs in the dispatcher's transaction, once per workspace of the batch (workspaces in a fixed
   * order, so consumers that lock rows never deadlock each other): what it returns is written with
   * the outbox rows' removal.
   */
  fanOut(trx: Executor, workspaceId: string, events: OutboxEvent[]): Promise<NewDelivery[]>;
}

/** Events by workspace, workspaces sorted, events in outbox order. */
function byWorkspace(events: OutboxEvent[]): [string, OutboxEvent[]][] {
  const groups = new Map<string, OutboxEvent[]>();
  for (const event of events) {
    const list = groups.get(event.workspaceId);
    if (list) list.push(event);
    else groups.set(event.workspaceId, [event]);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const BATCH = 200;
const MAX_EVENT_FAILURES = 3;

/**
 * Drops an incident's update events written in the same change as its creation (the automation
 * rules that shaped it): subscribers see the created incident as it was committed, once.
 */
export function withoutCreationEchoes(events: OutboxEvent[]): OutboxEvent[] {
  const created = new Set(events.filter((e) => e.action === 'incidentCreated').map((e) => `${e.incidentId}@${e.at}`));
  return events.filter((e) => e.action !== 'incidentUpdated' || !created.has(`${e.incidentId}@${e.at}`));
}

/**
 * Moves events from the outbox to deliveries: a batch at a time, oldest first, in one transaction
 * per batch (on PostgreSQL, processes skip each other's rows). A batch a consumer fails on is
 * retried event by event, so one bad event cannot hold the others back for long: an event that
 * fails alone three times is logged and dropped.
 */
export function createEventDispatcher(deps: {
  storage: Storage;
  now: () => number;
  logger: Logger;
  consumers: EventConsumer[];
  pollMs: number;
  /** Called after deliveries were committed. */
  onDeliveries: () => void;
}) {
  const { storage, now, logger, consumers } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  async function dispatch(limit: number): Promise<{ events: number; deliveries: number }> {
    return storage.db.transaction().execute(async (trx) => {
      let query = trx.selectFrom('event_outbox').selectAll().orderBy('id').limit(limit);
      if (storage.dialect.supportsRowLocks) query = query.forUpdate().skipLocked();
      const rows = await query.execute();
      if (rows.length === 0) return { events: 0, deliveries: 0 };
      const events = withoutCreationEchoes(rows.map(eventFromRow));
      const deliveries: NewDelivery[] = [];
      for (const [workspaceId, list] of byWorkspace(events)) {
        for (const consumer of consumers) deliveries.push(...(await consumer.fanOut(trx, workspaceId, list)));
      }
      if (deliveries.length > 0) await insertDeliveries(trx, storage.dialect, deliveries, now());
      for (const row of rows) {
        await trx.deleteFrom('event_outbox').where('workspace_id', '=', row.workspace_id).where('id', '=', row.id).execute();
      }
      return { events: rows.length, deliveries: deliveries.length };
    });
  }

  const failures = new Map<string, number>();

  /** Counts a failure of the oldest event alone; drops it at the third. Whether it was dropped. */
  async function giveUpOnOldest(error: unknown): Promise<boolean> {
    const row = await storage.db.selectFrom('event_outbox').selectAll().orderBy('id').limit(1).executeTakeFirst();
    if (!row) return false;
    const count = (failures.get(row.id) ?? 0) + 1;
    failures.set(row.id, count);
    if (count < MAX_EVENT_FAILURES) {
      logger.warn({ err: error, event: row.id, action: row.action }, 'an event could not be dispatched; will retry');
      return false;
    }
    failures.delete(row.id);
    logger.error({ err: error, event: row.id, action: row.action }, 'an event could not be dispatched three times; dropped it');
    await storage.db.deleteFrom('event_outbox').where('workspace_id', '=', row.workspace_id).where('id', '=', row.id).execute();
    return true;
  }

  /** Dispatches everything in the outbox now; resolves with how many deliveries it wrote. */
  async function drain(): Promise<number> {
    let written = 0;
    for (;;) {
      let result: { events: number; deliveries: number };
      try {
        result = await dispatch(BATCH);
      } catch {
        try {
          result = await dispatch(1);
        } catch (error) {
          if (await giveUpOnOldest(error)) continue;
          return written;
        }
      }
      written += result.deliveries;
      if (result.deliveries > 0) deps.onDeliveries();
      if (result.events === 0 || stopped) return written;
    }
  }

  function tick(): void {
    if (stopped || running) return;
    clearTimeout(timer);
    running = drain()
      .then(() => undefined)
      .catch((error) => logger.warn({ err: error }, 'event dispatcher failed; will retry'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, deps.pollMs);
      });
  }

  return {
    start(): void {
      stopped = false;
      tick();
    },
    drain,
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** The background dispatcher. */
export type EventDispatcher = ReturnType<typeof createEventDispatcher>;
