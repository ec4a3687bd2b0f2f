import { AppError } from '../errors/errors.js';
import type { Logger } from '../logging/logger.js';
import type { Storage } from '../storage/database.js';
import {
  claimExport,
  completeExport,
  deleteExpiredExports,
  failExport,
  listClaimableExports,
  type ExportKey,
  type ExportRecord,
} from './export-repository.js';
import type { PdfFile } from './pdf/pdf-writer.js';

/** How long a generator owns an export it claimed; a process that dies lets it lapse for another to take over. */
const LEASE_MS = 5 * 60_000;
/** How often pending exports left behind are picked up and expired ones deleted. */
const SWEEP_MS = 60_000;
/** An export whose rendering keeps taking its process down is given up after this many claims. */
const MAX_ATTEMPTS = 3;

/** Makes pending exports in the background, in this process, one at a time (rendering is CPU-bound). */
export type ExportGenerator = ReturnType<typeof createExportGenerator>;

/**
 * Builds the generator. Exports are queued after the request that created them commits; at start
 * and then every minute, pending exports nobody holds (left by a crash or a restart) are queued
 * again and expired ones deleted. Rendering runs under a lease, so two processes never both own one.
 */
export function createExportGenerator({
  storage,
  now,
  render,
}: {
  storage: Storage;
  now: () => number;
  render: (record: ExportRecord) => Promise<PdfFile>;
}) {
  const { db } = storage;
  const queue: ExportKey[] = [];
  let running: Promise<void> | undefined;
  let sweeping: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let logger: Logger | undefined;
  let started = false;

  async function generate(key: ExportKey): Promise<void> {
    const claimed = await claimExport(db, key, now(), now() + LEASE_MS);
    if (!claimed) return;
    if (claimed.attempts > MAX_ATTEMPTS) {
      await failExport(db, key, `Generation was interrupted ${MAX_ATTEMPTS} times; request a new export`, now());
      return;
    }
    try {
      const file = await render(claimed);
      await completeExport(db, key, file, now());
    } catch (error) {
      logger?.warn({ err: error, exportId: key.id, workspaceId: key.workspaceId }, 'incident export failed');
      const message = error instanceof AppError ? error.message : 'The PDF could not be generated (see the server log)';
      await failExport(db, key, message, now());
    }
  }

  function drain(): void {
    if (running || !started) return;
    running = (async () => {
      while (started && queue.length) {
        const key = queue.shift()!;
        await generate(key).catch((error) => logger?.warn({ err: error, exportId: key.id }, 'could not generate an export'));
      }
    })().finally(() => {
      running = undefined;
      if (queue.length && started) drain();
    });
  }

  function sweep(): Promise<void> {
    sweeping ??= (async () => {
      try {
        await deleteExpiredExports(db, now());
        for (const key of await listClaimableExports(db, now(), 50)) enqueue(key);
      } catch (error) {
        logger?.warn({ err: error }, 'incident export sweep failed');
      } finally {
        sweeping = undefined;
      }
    })();
    return sweeping;
  }

  /** Queues an export (after the request that created it committed). */
  function enqueue(key: ExportKey): void {
    if (!queue.some((k) => k.workspaceId === key.workspaceId && k.id === key.id)) queue.push(key);
    drain();
  }

  return {
    enqueue,
    sweep,
    /** Starts generating: picks up what earlier processes left, then sweeps every minute. */
    start(log: Logger): void {
      if (started) return;
      started = true;
      logger = log;
      void sweep();
      timer = setInterval(() => void sweep(), SWEEP_MS);
      timer.unref();
      drain();
    },
    /** Stops taking work and waits for the export being rendered (others stay pending for the next start). */
    async stop(): Promise<void> {
      started = false;
      if (timer) clearInterval(timer);
      await sweeping;
      await running;
    },
  };
}
