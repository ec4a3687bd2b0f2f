import type { OutboxEvent } from '../events/index.js';
import type { Incident } from '../incidents/index.js';
import type { NotificationRuleRecord, StoredFilters } from './notification-repository.js';
import type { UpdateKind } from './notification-schemas.js';

/** What an event is, as rules see it: a new incident, or one or more kinds of update. */
export type EventKind = 'created' | UpdateKind;

/** The Host entity properties that name a device/host group (camelCase, as entities are stored). */
export const HOST_GROUP_PROPERTIES = ['hostGroup', 'deviceGroup', 'machineGroup', 'rbacGroupName'] as const;

/** The incident tag prefix that puts an incident in a host group: `hostGroup:<name>`. */
export const HOST_GROUP_TAG = 'hostgroup:';

const CHANGE_KINDS: Record<string, UpdateKind> = { status: 'status', severity: 'severity', owner: 'owner' };

/** The kinds of an outbox event; none for events notification rules never mail on. */
export function eventKinds(event: OutboxEvent): EventKind[] {
  const changed = () => [...new Set(event.changes.map((c) => CHANGE_KINDS[c.field]).filter((k): k is UpdateKind => !!k))];
  switch (event.action) {
    case 'incidentCreated':
      return ['created'];
    case 'incidentUpdated':
      return changed();
    case 'alertsAdded':
      return ['alerts', ...changed()];
    case 'commentAdded':
      return ['comments'];
    default:
      return [];
  }
}

/** The kinds of an event a rule asks for. */
export function wantedKinds(rule: Pick<NotificationRuleRecord, 'onCreated' | 'onUpdates'>, kinds: EventKind[]): EventKind[] {
  return kinds.filter((k) => (k === 'created' ? rule.onCreated : rule.onUpdates.includes(k)));
}

const lower = (values: Iterable<string>) => new Set([...values].map((v) => v.trim().toLowerCase()));
const anyIn = (values: Iterable<string>, wanted: Set<string>) => [...values].some((v) => wanted.has(v.trim().toLowerCase()));

/** The groups a Host entity belongs to: its group properties, and the resource group of its `azureID`. */
export function hostGroupsOf(properties: Record<string, unknown>): string[] {
  const groups: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.trim() !== '') groups.push(value.trim());
    else if (Array.isArray(value)) value.forEach(add);
  };
  for (const name of HOST_GROUP_PROPERTIES) add(properties[name]);
  const azureId = properties.azureID ?? properties.azureId;
  if (typeof azureId === 'string') {
    const match = /\/resourceGroups\/([^/]+)/i.exec(azureId);
    if (match) groups.push(match[1]!);
  }
  return groups;
}

/** Whether a rule's filters let an incident through: every filter given must match (any of its values). */
export function matchesFilters(filters: StoredFilters, incident: Incident, hostGroups: readonly string[]): boolean {
  if (filters.severities.length && !filters.severities.includes(incident.severity)) return false;
  if (filters.products.length && !anyIn(incident.alertProductNames, lower(filters.products))) return false;
  if (filters.analyticsRuleIds.length && !incident.analyticsRuleIds.some((id) => filters.analyticsRuleIds.includes(id)))
    return false;
  const tags = [...incident.tags, ...incident.systemTags];
  if (filters.tags.length && !anyIn(tags, lower(filters.tags))) return false;
  if (filters.hostGroups.length) {
    const wanted = lower(filters.hostGroups);
    const tagged = tags.filter((t) => t.toLowerCase().startsWith(HOST_GROUP_TAG)).map((t) => t.slice(HOST_GROUP_TAG.length));
    if (!anyIn([...hostGroups, ...tagged], wanted)) return false;
  }
  return true;
}
