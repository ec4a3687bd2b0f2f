/**
 * Deferred flush: transactions opened on `Storage.deferredDb` are atomic and ordered like any
 * other, but their commit does not wait for the disk (SQLite `synchronous = NORMAL` in WAL mode,
 * PostgreSQL `synchronous_commit = off`). A power loss (not a process crash) may undo the last of
 * them — whole, never half — and the next fully flushed commit makes all earlier ones durable.
 *
 * The playbook engine uses it for a run's own bookkeeping: a built-in action's change commits with
 * its step record, so an undone transaction is undone together with its record and the run redoes
 * that step once from the last durable point. What the API acknowledges (incidents, alerts, a
 * queued run, an approval's answer) is never committed this way.
 *
 * It is a second database handle rather than a context flag, so that choosing it costs nothing
 * per call (no async context to carry through every promise).
 */
export type FlushMode = 'full' | 'deferred';
