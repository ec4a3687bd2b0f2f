import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Deferred flush: transactions committed inside `withDeferredFlush` are atomic and ordered like
 * any other, but the commit does not wait for the disk (SQLite `synchronous = NORMAL` in WAL mode,
 * PostgreSQL `synchronous_commit = off`). A power loss (not a process crash) may undo the last of
 * them — whole, never half — and the next fully flushed commit makes all earlier ones durable.
 *
 * The playbook engine uses it for a run's own bookkeeping: a built-in action's change commits with
 * its step record, so an undone transaction is undone together with its record and the run redoes
 * that step once from the last durable point. What the API acknowledges (incidents, alerts, a
 * queued run, an approval's answer) is never committed this way.
 */
const deferred = new AsyncLocalStorage<boolean>();

/** Runs `work`; the transactions it commits do not wait for the disk flush. */
export function withDeferredFlush<T>(work: () => Promise<T>): Promise<T> {
  return deferred.run(true, work);
}

/** Whether the current async context commits with a deferred flush. */
export function isFlushDeferred(): boolean {
  return deferred.getStore() === true;
}
