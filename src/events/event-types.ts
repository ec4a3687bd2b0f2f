import type { FieldChange } from '../activity/activity-schemas.js';
import type { Actor } from '../common/actor.js';

/** The events subscribers can ask for (webhooks by name; notification rules by kind). */
export const EVENT_TYPES = [
  'incident.created',
  'incident.updated',
  'incident.closed',
  'task.created',
  'task.completed',
  'comment.added',
  'playbookRun.finished',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The outbox action of a finished playbook run (the other actions are activity actions). */
export const RUN_FINISHED_ACTION = 'playbookRunFinished';

/** A committed change, as the dispatcher hands it to the consumers. */
export interface OutboxEvent {
  workspaceId: string;
  id: string;
  /** The activity action (`incidentUpdated`, `alertsAdded`, …) or `playbookRunFinished`. */
  action: string;
  types: EventType[];
  incidentId: string | null;
  actor: Actor;
  changes: FieldChange[];
  /** The task, comment or run the event is about. */
  subjectId: string | null;
  at: number;
}

/** The event types an activity entry raises; none for the entries nobody subscribes to. */
export function eventTypesOf(action: string, changes: FieldChange[]): EventType[] {
  switch (action) {
    case 'incidentCreated':
      return ['incident.created'];
    case 'incidentUpdated':
      return changes.some((c) => c.field === 'status' && c.to === 'Closed' && c.from !== 'Closed')
        ? ['incident.updated', 'incident.closed']
        : ['incident.updated'];
    case 'alertsAdded':
      return ['incident.updated'];
    case 'commentAdded':
      return ['comment.added'];
    case 'taskAdded':
      return ['task.created'];
    case 'taskCompleted':
      return ['task.completed'];
    case RUN_FINISHED_ACTION:
      return ['playbookRun.finished'];
    default:
      return [];
  }
}

/** The task an activity entry's changes name (task entries record `{ field: 'task', to: { id } }`). */
export function taskIdOf(changes: FieldChange[]): string | null {
  for (const change of changes) {
    const value = (change.to ?? change.from) as { id?: unknown } | null;
    if (change.field === 'task' && value && typeof value.id === 'string') return value.id;
  }
  return null;
}
