import type { ActivityEntry } from '../api/types.js';
import { words } from '../ui/format.js';

type Change = ActivityEntry['changes'][number];

const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  severity: 'Severity',
  status: 'Status',
  owner: 'Owner',
  classification: 'Classification',
  classificationReason: 'Classification reason',
  classificationComment: 'Resolution note',
  determination: 'Determination',
  tags: 'Tags',
  systemTags: 'System tags',
  tactics: 'Tactics',
  techniques: 'Techniques',
  firstActivityTime: 'First activity',
  lastActivityTime: 'Last activity',
};

const ENUM_FIELDS = new Set(['classification', 'classificationReason', 'determination']);

/** A value from the log as words: owners by name, lists joined, enums spaced, empty as "none". */
export function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return 'none';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    return value
      .map((v) => (typeof v === 'object' && v && 'title' in v ? String((v as { title: unknown }).title) : valueText('', v)))
      .join(', ');
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.name === 'string') return o.type === 'group' ? `${o.name} (group)` : o.name;
    if (typeof o.title === 'string') return o.title;
    return JSON.stringify(value);
  }
  const text = String(value);
  if (ENUM_FIELDS.has(field)) return words(text);
  if (field === 'firstActivityTime' || field === 'lastActivityTime') return new Date(text).toLocaleString();
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** The lists' difference, for tags: what was added and what was removed. */
function listDiff(from: unknown, to: unknown): string {
  const a = Array.isArray(from) ? from.map(String) : [];
  const b = Array.isArray(to) ? to.map(String) : [];
  const added = b.filter((x) => !a.includes(x));
  const removed = a.filter((x) => !b.includes(x));
  return [added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
}

/** One field-level change as a line: "Severity Medium → High", "Tags: added phishing", "Task added: …". */
export function changeText(change: Change): string {
  const { field, from, to } = change;
  if (field === 'task') {
    const task = (to ?? from) as { title?: string; status?: string } | null;
    const title = task?.title ? `“${task.title}”` : '';
    if (from === null) return `Task added: ${title}`;
    if (to === null) return `Task deleted: ${title}`;
    const before = from as { title?: string; status?: string };
    const after = to as { title?: string; status?: string };
    if (before.status !== after.status)
      return after.status === 'Completed' ? `Task completed: ${title}` : `Task re-opened: ${title}`;
    if (before.title !== after.title) return `Task renamed: “${before.title}” → “${after.title}”`;
    return `Task edited: ${title}`;
  }
  if (field === 'alerts') {
    const list = Array.isArray(to) ? to : Array.isArray(from) ? from : [];
    const verb = Array.isArray(to) ? 'Alerts added' : 'Alerts removed';
    return `${verb} (${list.length}): ${valueText('alerts', list)}`;
  }
  if (field === 'message') return 'Comment edited';
  if (field === 'description') return 'Description changed';
  if (field === 'tags' || field === 'systemTags' || field === 'tactics' || field === 'techniques') {
    const label = FIELD_LABELS[field]!;
    return from === null ? `${label}: ${valueText(field, to)}` : `${label}: ${listDiff(from, to) || 'reordered'}`;
  }
  if (field === 'automatedResponse' || field === 'action') {
    const detail = to as { error?: string; type?: string; playbook?: string } | null;
    const what = detail?.playbook ? `Playbook ${detail.playbook}` : detail?.type ? `Action ${detail.type}` : 'An action';
    return `${what} failed${detail?.error ? `: ${detail.error}` : ''}`;
  }
  const label = FIELD_LABELS[field] ?? words(field);
  if (from === null || from === undefined) return `${label}: ${valueText(field, to)}`;
  return `${label} ${valueText(field, from)} → ${valueText(field, to)}`;
}

/** What an entry says happened, before its field-level lines. */
export function actionText(entry: ActivityEntry): string {
  switch (entry.action) {
    case 'incidentCreated':
      return 'created the incident';
    case 'incidentUpdated':
      return 'changed the incident';
    case 'alertsAdded':
      return 'added alerts';
    case 'alertsRemoved':
      return 'moved alerts to another incident';
    case 'commentAdded':
      return 'commented';
    case 'commentEdited':
      return 'edited a comment';
    case 'commentDeleted':
      return 'deleted a comment';
    case 'taskAdded':
      return 'added a task';
    case 'taskUpdated':
      return 'edited a task';
    case 'taskCompleted':
      return 'completed a task';
    case 'taskReopened':
      return 're-opened a task';
    case 'taskDeleted':
      return 'deleted a task';
    case 'automationFailed':
      return 'could not finish an automated action';
    case 'playbookRun':
      return 'ran a playbook';
    default:
      return words(entry.action);
  }
}
