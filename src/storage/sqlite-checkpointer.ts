import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Runs in a worker thread with its own connection: checkpoints copy the write-ahead log into the
// database file (and fsync it) without holding up the thread that serves requests. The main thread
// nudges it after each commit, so the log is usually copied before the next write begins, and that
// write then starts the log over from its beginning instead of making it longer.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
let last = 0;
let scheduled = null;
function checkpoint() {
  scheduled = null;
  last = Date.now();
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage({ error: String(error) }); }
}
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'nudge') {
    if (scheduled) return;
    const wait = last + workerData.minGapMs - Date.now();
    if (wait <= 0) checkpoint();
    else scheduled = setTimeout(checkpoint, wait);
    return;
  }
  clearInterval(timer);
  if (scheduled) clearTimeout(scheduled);
  db.close();
  parentPort.close();
});
`;

/** A background checkpointer; stop it before closing the main connection. */
export interface Checkpointer {
  /** Asks for a checkpoint soon (after a commit); at most one per `minGapMs`. */
  nudge(): void;
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `file` from a worker thread: when nudged, at most every `minGapMs`, and every
 * `intervalMs` regardless. The main connection keeps a high auto-checkpoint threshold as a backstop
 * in case the worker cannot keep up.
 */
export function startCheckpointer(
  file: string,
  {
    intervalMs = 1000,
    minGapMs = 100,
    onError,
  }: { intervalMs?: number; minGapMs?: number; onError?: (message: string) => void } = {},
): Checkpointer {
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, minGapMs, modulePath } });
  worker.on('message', (message: { error?: string }) => {
    if (message.error) onError?.(message.error);
  });
  worker.on('error', (error) => onError?.(String(error)));
  let exited = false;
  const done = new Promise<void>((resolve) => worker.once('exit', () => ((exited = true), resolve())));
  // The worker must not keep the process alive on its own…
  worker.unref();
  return {
    nudge() {
      if (!exited) worker.postMessage('nudge');
    },
    stop() {
      if (exited) return done;
      // …but while we wait for it to finish, it must.
      worker.ref();
      worker.postMessage('stop');
      return done;
    },
  };
}
