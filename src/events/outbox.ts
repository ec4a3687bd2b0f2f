import type { NewActivity } from '../activity/activity-schemas.js';
import type { Actor } from '../common/actor.js';
import { newId } from '../ids/ids.js';
import { insertRows, runStatement } from '../storage/bulk.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { fromJson, toJson } from '../storage/json.js';
import type { EventOutboxTable } from '../storage/schema-events.js';
import { eventTypesOf, RUN_FINISHED_ACTION, taskIdOf, type EventType, type OutboxEvent } from './event-types.js';

/**
 * The outbox: events are written in the transaction of the change that raises them, so a change
 * that commits always gets its notifications and webhooks, and one that rolls back never does.
 * While a workspace has no enabled subscriber, nothing is written (one key lookup per change).
 */

/** Whether any enabled webhook subscription or notification rule listens in the workspace. */
async function hasSubscribers(trx: Executor, dialect: Dialect, workspaceId: string): Promise<boolean> {
  // Asked by nearly every write: written once, not built per call.
  const [row] = await runStatement<{ total: number | string | null }>(
    trx,
    dialect,
    'select coalesce(sum(count), 0) as total from event_subscribers where workspace_id = ?',
    [workspaceId],
  );
  return Number(row?.total ?? 0) > 0;
}

function outboxRow(event: Omit<OutboxEvent, 'id'>): EventOutboxTable {
  return {
    workspace_id: event.workspaceId,
    id: newId(event.at),
    action: event.action,
    types: `|${event.types.join('|')}|`,
    incident_id: event.incidentId,
    actor_type: event.actor.type,
    actor_id: event.actor.id,
    actor_name: event.actor.name,
    changes: toJson(event.changes),
    subject_id: event.subjectId,
    created_at: event.at,
  };
}

/** Puts the events of activity entries in the outbox (called by insertActivity, in its transaction). */
export async function publishActivity(trx: Executor, dialect: Dialect, entries: NewActivity[]): Promise<void> {
  const rows: EventOutboxTable[] = [];
  const listening = new Map<string, boolean>();
  for (const entry of entries) {
    const types = eventTypesOf(entry.action, entry.changes);
    if (types.length === 0) continue;
    let yes = listening.get(entry.workspaceId);
    if (yes === undefined) listening.set(entry.workspaceId, (yes = await hasSubscribers(trx, dialect, entry.workspaceId)));
    if (!yes) continue;
    rows.push(
      outboxRow({
        workspaceId: entry.workspaceId,
        action: entry.action,
        types,
        incidentId: entry.incidentId,
        actor: entry.actor,
        changes: entry.changes,
        subjectId: entry.commentId ?? taskIdOf(entry.changes),
        at: entry.at,
      }),
    );
  }
  if (rows.length > 0) await insertRows(trx, dialect, 'event_outbox', rows);
}

/** What a finished run tells subscribers. */
export interface RunFinished {
  workspaceId: string;
  runId: string;
  incidentId: string | null;
  playbook: { id: string; name: string };
  status: string;
  message: string | null;
  at: number;
}

/** Puts a finished playbook run in the outbox (called in the transaction that writes the run's end). */
export async function publishRunFinished(trx: Executor, dialect: Dialect, run: RunFinished): Promise<void> {
  if (!(await hasSubscribers(trx, dialect, run.workspaceId))) return;
  const actor: Actor = { type: 'playbook', id: run.playbook.id, name: run.playbook.name };
  const changes = [{ field: 'status', from: 'running', to: run.status }];
  if (run.message) changes.push({ field: 'message', from: '', to: run.message });
  const row = outboxRow({
    workspaceId: run.workspaceId,
    action: RUN_FINISHED_ACTION,
    types: ['playbookRun.finished'],
    incidentId: run.incidentId,
    actor,
    changes,
    subjectId: run.runId,
    at: run.at,
  });
  await insertRows(trx, dialect, 'event_outbox', [row]);
}

/** Records how many enabled subscribers a channel has in a workspace (in the subscriber's write). */
export async function setSubscriberCount(trx: Executor, workspaceId: string, channel: string, count: number): Promise<void> {
  const updated = await trx
    .updateTable('event_subscribers')
    .set({ count })
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await trx.insertInto('event_subscribers').values({ workspace_id: workspaceId, channel, count }).execute();
  }
}

/** An outbox row as an event. */
export function eventFromRow(row: EventOutboxTable): OutboxEvent {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    action: row.action,
    types: row.types.split('|').filter(Boolean) as EventType[],
    incidentId: row.incident_id,
    actor: { type: row.actor_type as Actor['type'], id: row.actor_id, name: row.actor_name },
    changes: fromJson(row.changes, []),
    subjectId: row.subject_id,
    at: Number(row.created_at),
  };
}
