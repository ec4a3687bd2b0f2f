import { requirePermission, type Access } from '../auth/permissions.js';
import type { IncidentRecord } from '../incidents/index.js';
import type { Storage } from '../storage/database.js';
import { fromJson } from '../storage/json.js';
import type { PropertyName } from './rule-properties.js';
import type { Condition, RuleInput } from './rule-schemas.js';

const DAY = 86_400_000;

/** Entity properties a suppression rule keys on, by kind, most telling first. */
const ENTITY_KEYS: [kind: string, property: string, condition: PropertyName][] = [
  ['Host', 'hostName', 'HostName'],
  ['Account', 'accountName', 'AccountName'],
  ['Ip', 'address', 'IPAddress'],
  ['Url', 'url', 'Url'],
  ['FileHash', 'hashValue', 'FileHashValue'],
  ['Mailbox', 'mailboxPrimaryAddress', 'MailboxPrimaryAddress'],
];

/**
 * A rule pre-filled from an incident, as Sentinel's "Create automation rule" on the incidents page:
 * for the incident's analytics rules (or its products when it has none) and its entities, close
 * and tag matching incidents until a week from now — for suppressing noise. Not saved: the caller
 * edits it and creates it.
 */
export async function draftFromIncident(
  storage: Storage,
  access: Access,
  incident: IncidentRecord,
  now: number,
): Promise<RuleInput> {
  requirePermission(access, 'rules.read');
  const rows = await storage.db
    .selectFrom('entities')
    .select(['kind', 'properties'])
    .where('workspace_id', '=', incident.workspaceId)
    .where('incident_id', '=', incident.id)
    .execute();
  const conditions: Condition[] = [];
  if (incident.analyticsRuleIds.length === 0 && incident.productNames.length > 0) {
    conditions.push({
      type: 'property',
      property: 'AlertProductNames',
      operator: 'Equals',
      values: incident.productNames.slice(0, 10),
    });
  }
  for (const [kind, property, name] of ENTITY_KEYS) {
    const values = [
      ...new Set(
        rows
          .filter((r) => r.kind === kind)
          .map((r) => fromJson<Record<string, unknown>>(r.properties, {})[property])
          .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
          .map(String),
      ),
    ].slice(0, 10);
    if (values.length > 0) conditions.push({ type: 'property', property: name, operator: 'Equals', values });
    if (conditions.length >= 3) break;
  }
  // Never a rule that matches everything: with nothing else to go on, it matches this title.
  if (conditions.length === 0 && incident.analyticsRuleIds.length === 0) {
    conditions.push({ type: 'property', property: 'IncidentTitle', operator: 'Equals', values: [incident.title.slice(0, 1000)] });
  }
  return {
    name: `Suppress: ${incident.title}`.slice(0, 500),
    description: `Created from incident ${incident.number}.`,
    order: 1000,
    enabled: true,
    expiresAt: new Date(now + 7 * DAY).toISOString(),
    trigger: 'incidentCreated',
    analyticsRuleIds: incident.analyticsRuleIds.length > 0 ? incident.analyticsRuleIds : null,
    conditions,
    actions: [
      {
        type: 'changeStatus',
        status: 'Closed',
        classification: 'BenignPositive',
        classificationReason: 'SuspiciousButExpected',
        classificationComment: `Closed by an automation rule created from incident ${incident.number}.`,
      },
      { type: 'addTags', tags: ['suppressed'] },
    ],
  };
}
