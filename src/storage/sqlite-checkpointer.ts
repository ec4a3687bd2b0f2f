import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Runs in a worker thread with its own connection: checkpoints copy the write-ahead log into the
// database file (and fsync it) without holding up the thread that serves requests.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage({ error: String(error) }); }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** A background checkpointer; stop it before closing the main connection. */
export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `file` every `intervalMs` from a worker thread. The main connection keeps
 * a high auto-checkpoint threshold as a backstop in case the worker cannot keep up.
 */
export function startCheckpointer(file: string, intervalMs = 1000, onError?: (message: string) => void): Checkpointer {
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, modulePath } });
  worker.on('message', (message: { error?: string }) => {
    if (message.error) onError?.(message.error);
  });
  worker.on('error', (error) => onError?.(String(error)));
  let exited = false;
  const done = new Promise<void>((resolve) => worker.once('exit', () => ((exited = true), resolve())));
  // The worker must not keep the process alive on its own…
  worker.unref();
  return {
    stop() {
      if (exited) return done;
      // …but while we wait for it to finish, it must.
      worker.ref();
      worker.postMessage('stop');
      return done;
    },
  };
}
