import { findComment } from '../comments/comment-repository.js';
import type { EventType, OutboxEvent } from '../events/index.js';
import type { Incident } from '../incidents/incident-schemas.js';
import type { Executor } from '../storage/dialect.js';

/** The JSON body of an outbound webhook (documented in docs/webhooks.md). */
export interface WebhookPayload {
  id: string;
  type: EventType | 'ping';
  occurredAt: string;
  workspace: string;
  actor: OutboxEvent['actor'];
  changes: OutboxEvent['changes'];
  /** The incident as it is when the event is dispatched (null for runs without one). */
  incident: Incident | null;
  task?: { id: string; title: string; status: string };
  comment?: { id: string; message: string; author: { type: string; id: string; name: string }; createdAt: string };
  run?: { id: string; playbook: { id: string; name: string }; status: string; message: string | null };
}

const COMMENT_EXCERPT = 10_000;

function taskOf(event: OutboxEvent): WebhookPayload['task'] {
  const change = event.changes.find((c) => c.field === 'task');
  const task = (change?.to ?? change?.from) as { id: string; title: string; status: string } | undefined;
  return task
    ? { id: task.id, title: task.title, status: event.action === 'taskCompleted' ? 'Completed' : task.status }
    : undefined;
}

/** Builds an event's payload, reading the comment it names in the dispatcher's transaction. */
export async function webhookPayload(
  trx: Executor,
  event: OutboxEvent,
  type: EventType,
  incident: Incident | null,
): Promise<WebhookPayload> {
  const payload: WebhookPayload = {
    id: event.id,
    type,
    occurredAt: new Date(event.at).toISOString(),
    workspace: event.workspaceId,
    actor: event.actor,
    changes: event.changes,
    incident,
  };
  if (type.startsWith('task.')) payload.task = taskOf(event);
  if (type === 'comment.added' && event.subjectId && event.incidentId) {
    const row = await findComment(trx, event.workspaceId, event.incidentId, event.subjectId);
    if (row) {
      payload.comment = {
        id: row.id,
        message: row.message.length > COMMENT_EXCERPT ? `${row.message.slice(0, COMMENT_EXCERPT)}…` : row.message,
        author: { type: row.author_type, id: row.author_id, name: row.author_name },
        createdAt: new Date(Number(row.created_at)).toISOString(),
      };
    }
  }
  if (type === 'playbookRun.finished' && event.subjectId) {
    const status = event.changes.find((c) => c.field === 'status');
    const message = event.changes.find((c) => c.field === 'message');
    payload.run = {
      id: event.subjectId,
      playbook: { id: event.actor.id, name: event.actor.name },
      status: String(status?.to ?? ''),
      message: message ? String(message.to) : null,
    };
  }
  return payload;
}
