import { isoTime } from '../http/cursor.js';
import { etagOf } from '../http/schemas.js';
import { fromJson } from '../storage/json.js';
import type { AlertsTable } from '../storage/schema.js';
import { ownerKey, type Owner } from '../users/owner.js';
import type { Alert } from './alert-schemas.js';

/** An alert row as the API returns it; `raw` only when asked (reading one alert). */
export function toAlert(row: AlertsTable, owners: Map<string, Owner>, options: { withRaw?: boolean } = {}): Alert {
  const ownerRef = row.owner_type && row.owner_id ? { type: row.owner_type as Owner['type'], id: row.owner_id } : null;
  const alert: Alert = {
    id: row.id,
    incidentId: row.incident_id,
    sourceAlertId: row.source_alert_id,
    title: row.title,
    description: row.description,
    severity: row.severity as Alert['severity'],
    status: row.status as Alert['status'],
    productName: row.product_name,
    vendorName: row.vendor_name,
    analyticsRuleId: row.analytics_rule_id,
    analyticsRuleName: row.analytics_rule_name,
    tactics: fromJson<string[]>(row.tactics, []),
    techniques: fromJson<string[]>(row.techniques, []),
    tags: fromJson<string[]>(row.tags, []),
    startTime: isoTime(row.start_time),
    endTime: isoTime(row.end_time),
    alertTime: isoTime(row.alert_time),
    customDetails: fromJson<Record<string, string[]>>(row.custom_details, {}),
    entities: fromJson<Alert['entities']>(row.entities, []),
    owner: ownerRef ? (owners.get(ownerKey(ownerRef)) ?? { ...ownerRef, name: '(unknown)', email: null }) : null,
    receivedAt: isoTime(row.received_at),
    updatedAt: isoTime(row.updated_at),
    etag: etagOf(row.version),
  };
  if (options.withRaw) alert.raw = row.raw === null ? null : JSON.parse(row.raw);
  return alert;
}
