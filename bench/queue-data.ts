import { newId } from '../src/ids/ids.js';
import { incidentToRow } from '../src/incidents/incident-model.js';
import type { IncidentRecord } from '../src/incidents/index.js';
import { insertRows } from '../src/storage/bulk.js';
import type { Storage } from '../src/storage/database.js';
import type { IncidentSourcesTable, IncidentTagsTable, UsersTable } from '../src/storage/schema.js';
import { random } from './stats.js';

export const PRODUCTS = [
  'Microsoft Defender for Endpoint',
  'Microsoft Sentinel',
  'Microsoft Defender for Office 365',
  'Microsoft Entra ID Protection',
  'CrowdStrike Falcon',
  'Amazon GuardDuty',
  'Palo Alto Cortex XDR',
  'Zeek',
];
export const TAGS = [
  'phishing',
  'ransomware',
  'vip',
  'pentest',
  'false-alarm',
  'escalated',
  'bec',
  'insider',
  'malware',
  'cloud',
];
const TITLES = [
  'Suspicious sign-in',
  'Malware detected',
  'Phishing email delivered',
  'Credential dumping',
  'Port scan',
  'Impossible travel',
  'Mass download',
  'Encoded PowerShell',
];

/** Inserts `count` incidents spread over a year, with a realistic mix of status, severity, owners, tags and sources. */
export async function generateIncidents(storage: Storage, count: number): Promise<{ userIds: string[]; ruleIds: string[] }> {
  const { db, dialect } = storage;
  const next = random(1);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const now = Date.now();
  const year = 365 * 24 * 3600 * 1000;
  const users: UsersTable[] = Array.from({ length: 50 }, (_, i) => ({
    id: newId(),
    email: `analyst${i}@contoso.com`,
    email_key: `analyst${i}@contoso.com`,
    display_name: `Analyst ${i}`,
    password_hash: null,
    is_admin: 0,
    disabled: 0,
    must_change_password: 0,
    created_at: now,
    updated_at: now,
    last_login_at: null,
    version: 1,
  }));
  await insertRows(db, dialect, 'users', users);
  const ruleIds = Array.from({ length: 200 }, () => newId());
  const chunk = 10_000;
  for (let start = 0; start < count; start += chunk) {
    const incidents: IncidentRecord[] = [];
    const tags: IncidentTagsTable[] = [];
    const sources: IncidentSourcesTable[] = [];
    for (let i = start; i < Math.min(count, start + chunk); i += 1) {
      const createdAt = now - year + Math.floor((i / count) * year);
      const r = next();
      const status = i > count * 0.97 ? (r < 0.5 ? 'New' : 'Active') : r < 0.9 ? 'Closed' : r < 0.95 ? 'Active' : 'New';
      const s = next();
      const severity = s < 0.1 ? 'High' : s < 0.4 ? 'Medium' : s < 0.8 ? 'Low' : 'Informational';
      const owner = next() < 0.2 ? null : { type: 'user' as const, id: pick(users).id };
      const product = pick(PRODUCTS);
      const rule = pick(ruleIds);
      const incidentTags = next() < 0.3 ? [pick(TAGS)] : [];
      const id = newId(createdAt);
      incidents.push({
        workspaceId: 'default',
        id,
        number: i + 1,
        title: `${pick(TITLES)} on host-${Math.floor(next() * 5000)}`,
        titleSource: 'alert',
        description: 'Generated for the queue benchmark.',
        severity,
        severitySource: 'alerts',
        status,
        owner,
        classification: status === 'Closed' ? pick(['TruePositive', 'BenignPositive', 'FalsePositive'] as const) : null,
        classificationReason: null,
        classificationComment: null,
        determination: null,
        tags: incidentTags,
        systemTags: [],
        tactics: ['InitialAccess'],
        techniques: [],
        productNames: [product],
        analyticsRuleIds: [rule],
        firstActivityAt: createdAt - 60_000,
        lastActivityAt: createdAt,
        alertCount: 1 + Math.floor(next() * 3),
        commentCount: 0,
        taskCount: 0,
        taskCompletedCount: 0,
        groupingKey: null,
        groupingWindowStart: null,
        createdBy: { type: 'system', id: 'alert-grouping', name: 'Alert grouping' },
        createdAt,
        updatedAt: createdAt + Math.floor(next() * 86_400_000),
        closedAt: status === 'Closed' ? createdAt + 3_600_000 : null,
        version: 1,
      });
      for (const tag of incidentTags) tags.push({ workspace_id: 'default', incident_id: id, kind: 'custom', tag_key: tag, tag });
      sources.push({
        workspace_id: 'default',
        incident_id: id,
        kind: 'product',
        value_key: product.toLowerCase(),
        value: product,
      });
      sources.push({ workspace_id: 'default', incident_id: id, kind: 'rule', value_key: rule, value: rule });
    }
    await db.transaction().execute(async (trx) => {
      await insertRows(trx, dialect, 'incidents', incidents.map(incidentToRow));
      await insertRows(trx, dialect, 'incident_tags', tags);
      await insertRows(trx, dialect, 'incident_sources', sources);
    });
  }
  await db
    .updateTable('workspaces')
    .set({ next_incident_number: count + 1 })
    .where('id', '=', 'default')
    .execute();
  return { userIds: users.map((u) => u.id), ruleIds };
}
