import type { Logger } from '../../logging/logger.js';
import type { Storage } from '../../storage/database.js';
import type { RunQueue } from '../engine/run-executor.js';
import { nextScheduledRun } from '../playbook-validation.js';
import { launchRuns } from '../run-launcher.js';

/** Starts scheduled playbooks when their time comes. */
export interface Scheduler {
  start(): void;
  stop(): void;
  /** Starts what is due now; returns how many runs it started. */
  tick(): Promise<number>;
}

/**
 * The schedule trigger: every few seconds, playbooks whose next run time has passed get one run.
 * Each (playbook, time) makes at most one run whichever process gets there first (a slot row with
 * that key is inserted in the same transaction). Times missed while no worker ran are not made
 * up one by one: the next run is the first time after now.
 */
export function createScheduler(
  deps: { storage: Storage; now: () => number; queue: () => RunQueue; logger: Logger },
  intervalMs = 5_000,
): Scheduler {
  const { db, dialect } = deps.storage;
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  async function tick(): Promise<number> {
    const now = deps.now();
    const due = await db
      .selectFrom('playbooks')
      .select(['workspace_id', 'id', 'name', 'current_version', 'schedule_cron', 'schedule_timezone', 'next_run_at', 'enabled'])
      .where('next_run_at', '<=', now)
      .orderBy('next_run_at')
      .limit(100)
      .execute();
    let started = 0;
    for (const p of due) {
      const slot = p.next_run_at!;
      const next =
        p.enabled === 1 && p.schedule_cron
          ? nextScheduledRun(p.schedule_cron, p.schedule_timezone ?? 'UTC', Math.max(now, slot))
          : null;
      started += await db.transaction().execute(async (trx) => {
        const moved = await trx
          .updateTable('playbooks')
          .set({ next_run_at: next })
          .where('workspace_id', '=', p.workspace_id)
          .where('id', '=', p.id)
          .where('next_run_at', '=', slot)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) === 0 || p.enabled !== 1) return 0;
        const claimed = await trx
          .insertInto('playbook_schedule_slots')
          .values({ workspace_id: p.workspace_id, playbook_id: p.id, slot_at: slot, run_id: '' })
          .onConflict((oc) => oc.doNothing())
          .returning('slot_at')
          .executeTakeFirst();
        if (!claimed) return 0;
        const source = { type: 'system', id: 'schedule', name: 'Schedule' };
        const [runId] = await launchRuns(
          trx,
          dialect,
          deps.queue(),
          [
            {
              workspaceId: p.workspace_id,
              playbookId: p.id,
              playbookName: p.name,
              version: p.current_version,
              trigger: { kind: 'schedule', scheduledAt: new Date(slot).toISOString(), source },
              inputs: {},
              startedBy: { type: 'system', id: 'schedule', name: 'Schedule' },
            },
          ],
          now,
        );
        await trx
          .updateTable('playbook_schedule_slots')
          .set({ run_id: runId! })
          .where('workspace_id', '=', p.workspace_id)
          .where('playbook_id', '=', p.id)
          .where('slot_at', '=', slot)
          .execute();
        return 1;
      });
    }
    return started;
  }

  return {
    start() {
      timer ??= setInterval(() => {
        if (running) return;
        running = true;
        tick()
          .catch((error) => deps.logger.error({ err: error }, 'starting scheduled playbooks failed'))
          .finally(() => (running = false));
      }, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    tick,
  };
}
