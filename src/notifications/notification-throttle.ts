import { upsertRows, insertRows } from '../storage/bulk.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { fromJson, toJson } from '../storage/json.js';
import type { NotificationDigestItemsTable, NotificationWindowsTable } from '../storage/schema-notifications.js';
import type { DigestLine } from './notification-digest-email.js';
import { RATE_WINDOW_MS } from './notification-schemas.js';

/**
 * The rate limit, per rule and recipient: a window opens with the first email when none is open
 * and lasts RATE_WINDOW_MS (10 minutes). Its first `digestAfter` events are mailed at once; later
 * ones are folded: logged as skipped and listed in one digest email sent when the window ends.
 * The next event after the end opens a new window. So a recipient gets at most `digestAfter + 1`
 * emails per rule in any window, however many incidents a storm raises. Windows follow the
 * dispatcher's clock, not the events' times, so nothing joins a window after its digest is sent.
 */

/** A window's state. */
export interface RateWindow {
  ruleId: string;
  recipient: string;
  start: number;
  end: number;
  sent: number;
  folded: number;
}

/** What to do with one event for one recipient. */
export type Decision = { send: true } | { send: false; window: RateWindow; firstFold: boolean };

/** Decides for one event: the window it counts in (a new one when none is open) and whether it is sent or folded. */
export function decide(
  open: RateWindow | undefined,
  key: { ruleId: string; recipient: string },
  digestAfter: number,
  now: number,
): { window: RateWindow; decision: Decision } {
  const window = open && open.end > now ? { ...open } : { ...key, start: now, end: now + RATE_WINDOW_MS, sent: 0, folded: 0 };
  if (window.sent < digestAfter) {
    window.sent += 1;
    return { window, decision: { send: true } };
  }
  window.folded += 1;
  return { window, decision: { send: false, window, firstFold: window.folded === 1 } };
}

const keyOf = (ruleId: string, recipient: string) => `${ruleId}\u0000${recipient}`;

/** The open windows of some rules in a transaction: decisions are made in memory, then saved at once. */
export async function openThrottle(trx: Executor, dialect: Dialect, workspaceId: string, ruleIds: string[], now: number) {
  const rows = ruleIds.length
    ? await trx
        .selectFrom('notification_windows')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('rule_id', 'in', ruleIds)
        .where('closed', '=', 0)
        .where('window_end', '>', now)
        .orderBy('window_start')
        .execute()
    : [];
  const windows = new Map<string, RateWindow>();
  for (const r of rows) {
    windows.set(keyOf(r.rule_id, r.recipient), {
      ruleId: r.rule_id,
      recipient: r.recipient,
      start: Number(r.window_start),
      end: Number(r.window_end),
      sent: r.sent,
      folded: r.folded,
    });
  }
  const touched = new Set<string>();
  const items: NotificationDigestItemsTable[] = [];

  return {
    /** Counts one event for a recipient of a rule. */
    take(rule: { id: string; digestAfter: number }, recipient: string): Decision {
      const key = keyOf(rule.id, recipient);
      const { window, decision } = decide(windows.get(key), { ruleId: rule.id, recipient }, rule.digestAfter, now);
      windows.set(key, window);
      touched.add(key);
      return decision;
    },

    /** Adds a folded event's line to its window's digest. */
    fold(window: RateWindow, eventId: string, incidentId: string | null, line: DigestLine): void {
      items.push({
        workspace_id: workspaceId,
        rule_id: window.ruleId,
        recipient: window.recipient,
        window_start: window.start,
        event_id: eventId,
        incident_id: incidentId,
        line: toJson(line),
        created_at: now,
      });
    },

    /** Writes the windows that changed and the digest lines. */
    async save(): Promise<void> {
      const changed: NotificationWindowsTable[] = [...touched].map((key) => {
        const w = windows.get(key)!;
        return {
          workspace_id: workspaceId,
          rule_id: w.ruleId,
          recipient: w.recipient,
          window_start: w.start,
          window_end: w.end,
          sent: w.sent,
          folded: w.folded,
          closed: 0,
        };
      });
      await upsertRows(trx, dialect, 'notification_windows', changed, ['workspace_id', 'rule_id', 'recipient', 'window_start'], {
        sent: 'excluded.sent',
        folded: 'excluded.folded',
      });
      await insertRows(trx, dialect, 'notification_digest_items', items, { onConflictDoNothing: true });
    },
  };
}

/** The throttle of one dispatch batch and workspace. */
export type Throttle = Awaited<ReturnType<typeof openThrottle>>;

/** Closes a window (no event joins it afterwards) and reads its digest lines, oldest first. */
export async function closeWindow(
  trx: Executor,
  key: { workspaceId: string; ruleId: string; recipient: string; windowStart: number },
  maxLines: number,
): Promise<{ lines: DigestLine[]; total: number }> {
  const { workspaceId, ruleId, recipient, windowStart } = key;
  await trx
    .updateTable('notification_windows')
    .set({ closed: 1 })
    .where('workspace_id', '=', workspaceId)
    .where('rule_id', '=', ruleId)
    .where('recipient', '=', recipient)
    .where('window_start', '=', windowStart)
    .execute();
  const items = trx
    .selectFrom('notification_digest_items')
    .where('workspace_id', '=', workspaceId)
    .where('rule_id', '=', ruleId)
    .where('recipient', '=', recipient)
    .where('window_start', '=', windowStart);
  const total = await items.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await items.select('line').orderBy('event_id').limit(maxLines).execute();
  return { lines: rows.map((r) => fromJson<DigestLine>(r.line, null as never)), total: Number(total?.n ?? 0) };
}

/** Deletes windows (and their digest lines) that ended before `before`. */
export async function pruneWindows(db: Executor, before: number): Promise<void> {
  await db
    .deleteFrom('notification_digest_items')
    .where('window_start', '<', before - RATE_WINDOW_MS)
    .execute();
  await db.deleteFrom('notification_windows').where('window_end', '<', before).execute();
}
