import type { Storage } from '../storage/database.js';

/** What a browser hears about: something happened to an incident (created, changed, commented, a task). */
export interface LiveEvent {
  workspace: string;
  incidentId: string;
  /** The incident's number in its workspace (the web UI addresses incidents by number). */
  incidentNumber: number;
  /** The activity action, e.g. `incidentCreated`, `incidentUpdated`, `taskCompleted`. */
  action: string;
  kind: string;
  at: string;
}

/** Receives the events of one poll, already filtered to the subscriber's workspaces. */
export type LiveListener = (events: LiveEvent[]) => void;

/** Fans the activity log out to live subscribers (server-sent events), from any process's writes. */
export interface LiveFeed {
  /**
   * Starts hearing about the workspaces' changes: every entry committed from the moment it resolves
   * (even one whose transaction began earlier), none committed before. Resolves to the unsubscribe function.
   */
  subscribe(workspaces: readonly string[], listener: LiveListener): Promise<() => void>;
  /** Stops polling and forgets every subscriber. */
  close(): void;
}

/** Writers in other transactions may commit an entry up to this long after its timestamp. */
const OVERLAP_MS = 5_000;
const MAX_ROWS_PER_POLL = 1_000;

interface Subscriber {
  workspaces: ReadonlySet<string>;
  listener: LiveListener;
}

interface WorkspaceCursor {
  since: number;
  seen: Map<string, number>;
  /** Whether the entries already committed when it was made are marked seen (polls skip it until then). */
  primed: boolean;
  /** Settles once primed; a second subscriber of the workspace waits for it too. */
  priming: Promise<unknown>;
}

/** The smallest UUIDv7 of a millisecond: activity ids are time-ordered, so this bounds a key-range scan. */
function firstIdAt(ms: number): string {
  const hex = Math.max(0, ms).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-0000-0000-000000000000`;
}

/**
 * Polls the activity log once per interval while anyone listens, one indexed range read per
 * subscribed workspace (its primary key orders entries by time). Reading the database rather than
 * an in-process emitter means changes made by workers and other server processes reach the browser
 * too. Entries are read with an overlap window and remembered by id, so one committed late by a
 * slow transaction is still delivered, once.
 */
export function createLiveFeed(storage: Storage, options: { intervalMs?: number; now?: () => number } = {}): LiveFeed {
  const intervalMs = options.intervalMs ?? 1_000;
  const now = options.now ?? Date.now;
  const subscribers = new Set<Subscriber>();
  const cursors = new Map<string, WorkspaceCursor>();
  let timer: NodeJS.Timeout | undefined;
  let polling = false;

  const subscribedWorkspaces = () => {
    const all = new Set<string>();
    for (const subscriber of subscribers) for (const workspace of subscriber.workspaces) all.add(workspace);
    return all;
  };

  async function readWorkspace(workspace: string, cursor: WorkspaceCursor): Promise<LiveEvent[]> {
    const from = Math.max(cursor.since, now() - OVERLAP_MS);
    const rows = await storage.db
      .selectFrom('activity as a')
      .innerJoin('incidents as i', (join) =>
        join.onRef('i.workspace_id', '=', 'a.workspace_id').onRef('i.id', '=', 'a.incident_id'),
      )
      .select(['a.id', 'a.incident_id', 'i.number', 'a.action', 'a.kind', 'a.created_at'])
      .where('a.workspace_id', '=', workspace)
      .where('a.id', '>=', firstIdAt(from))
      .orderBy('a.id')
      .limit(MAX_ROWS_PER_POLL)
      .execute();
    const events: LiveEvent[] = [];
    for (const row of rows) {
      const createdAt = Number(row.created_at);
      if (createdAt < cursor.since || cursor.seen.has(row.id)) continue;
      cursor.seen.set(row.id, createdAt);
      events.push({
        workspace,
        incidentId: row.incident_id,
        incidentNumber: Number(row.number),
        action: row.action,
        kind: row.kind,
        at: new Date(createdAt).toISOString(),
      });
    }
    const forgetBefore = now() - 2 * OVERLAP_MS;
    for (const [id, at] of cursor.seen) if (at < forgetBefore) cursor.seen.delete(id);
    return events;
  }

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      const workspaces = subscribedWorkspaces();
      for (const workspace of cursors.keys()) if (!workspaces.has(workspace)) cursors.delete(workspace);
      for (const workspace of workspaces) {
        const cursor = cursors.get(workspace);
        if (!cursor?.primed) continue;
        const events = await readWorkspace(workspace, cursor).catch(() => []);
        if (events.length === 0) continue;
        for (const subscriber of subscribers) if (subscriber.workspaces.has(workspace)) subscriber.listener(events);
      }
    } finally {
      polling = false;
    }
  }

  return {
    async subscribe(workspaces, listener) {
      const subscriber: Subscriber = { workspaces: new Set(workspaces), listener };
      subscribers.add(subscriber);
      // An entry is stamped when its transaction starts and may commit up to OVERLAP_MS later: a new
      // cursor starts that far back, with what is already committed marked seen (the subscriber's
      // own first read shows those), so an entry of a transaction still open now is not missed.
      const primings = [...subscriber.workspaces].map((workspace) => {
        const existing = cursors.get(workspace);
        if (existing) return existing.priming;
        const cursor: WorkspaceCursor = { since: now() - OVERLAP_MS, seen: new Map(), primed: false, priming: Promise.resolve() };
        cursor.priming = readWorkspace(workspace, cursor)
          .catch(() => [])
          .then(() => (cursor.primed = true));
        cursors.set(workspace, cursor);
        return cursor.priming;
      });
      await Promise.all(primings);
      timer ??= setInterval(() => void poll(), intervalMs);
      timer.unref();
      return () => {
        subscribers.delete(subscriber);
        if (subscribers.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
          cursors.clear();
        }
      };
    },
    close() {
      subscribers.clear();
      cursors.clear();
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
