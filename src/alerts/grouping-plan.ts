import { createHash } from 'node:crypto';
import type { Grouping } from '../analytics-rules/grouping.js';
import { LIMITS } from '../common/limits.js';
import type { PreparedAlert } from './alert-input.js';

/**
 * The grouping key of an alert: alerts with the same key may share an incident. It names the rule
 * (or "no rule") and what the grouping matches on; null when the alert gets an incident of its own.
 */
export function groupingKey(alert: PreparedAlert, ruleId: string | null, grouping: Grouping): string | null {
  const scope = ruleId ?? '(no rule)';
  let parts: string[];
  switch (grouping.mode) {
    case 'none':
      return null;
    case 'anyAlert':
      parts = [];
      break;
    case 'allEntities':
      parts = [...new Set(alert.entities.map((e) => `${e.kind}:${e.identity}`))].sort();
      break;
    case 'selected': {
      const kinds = [...grouping.entityKinds].sort();
      parts = kinds.map(
        (kind) =>
          `${kind}=${[...new Set(alert.entities.filter((e) => e.kind === kind).map((e) => e.identity))].sort().join(',')}`,
      );
      for (const key of [...grouping.customDetailKeys].sort()) {
        const values =
          alert.customDetails[key] ??
          Object.entries(alert.customDetails).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1] ??
          [];
        parts.push(`detail:${key.toLowerCase()}=${[...new Set(values.map((v) => v.toLowerCase()))].sort().join(',')}`);
      }
      break;
    }
  }
  return createHash('sha256')
    .update(`${scope}\u0000${grouping.mode}\u0000${parts.join('\u0000')}`)
    .digest('base64url');
}

/** An incident that alerts may join: one loaded from the database or one this batch creates. */
export interface GroupCandidate {
  /** The existing incident's id, or the index of the incident this batch creates. */
  ref: { existing: string } | { created: number };
  groupingKey: string;
  windowStart: number;
  alertCount: number;
  closed: boolean;
}

/** What happens to one alert. */
export type Placement =
  | { kind: 'noIncident' }
  | { kind: 'newIncident'; created: number }
  | { kind: 'existing'; incidentId: string; reopen: boolean }
  | { kind: 'created'; created: number };

/** An alert to place, with its rule's decision. */
export interface AlertToPlace {
  alert: PreparedAlert;
  createsIncident: boolean;
  grouping: Grouping;
  key: string | null;
}

/**
 * Decides, in order, which incident each alert goes to (Sentinel's alert grouping): the most
 * recent incident with the same key whose window (lookback from its first alert) covers the
 * alert's time and that has fewer than 150 alerts; a closed one only if the rule re-opens closed
 * incidents. Otherwise a new incident, which later alerts of the batch may join.
 */
export function placeAlerts(alerts: AlertToPlace[], existing: GroupCandidate[]): Placement[] {
  const byKey = new Map<string, GroupCandidate[]>();
  for (const candidate of existing) {
    const list = byKey.get(candidate.groupingKey) ?? [];
    list.push(candidate);
    byKey.set(candidate.groupingKey, list);
  }
  let created = 0;
  return alerts.map(({ alert, createsIncident, grouping, key }): Placement => {
    if (!createsIncident) return { kind: 'noIncident' };
    if (key === null) return { kind: 'newIncident', created: created++ };
    const lookback = grouping.lookbackMinutes * 60_000;
    const candidates = byKey.get(key) ?? [];
    let best: GroupCandidate | undefined;
    for (const candidate of candidates) {
      const inWindow = Math.abs(alert.alertTime - candidate.windowStart) <= lookback;
      const hasRoom = candidate.alertCount < LIMITS.alertsPerIncident;
      const open = !candidate.closed || grouping.reopenClosed;
      if (inWindow && hasRoom && open && (!best || candidate.windowStart > best.windowStart)) best = candidate;
    }
    if (best) {
      best.alertCount += 1;
      if ('existing' in best.ref) {
        const reopen = best.closed;
        best.closed = false;
        return { kind: 'existing', incidentId: best.ref.existing, reopen };
      }
      return { kind: 'created', created: best.ref.created };
    }
    const index = created++;
    candidates.push({ ref: { created: index }, groupingKey: key, windowStart: alert.alertTime, alertCount: 1, closed: false });
    byKey.set(key, candidates);
    return { kind: 'newIncident', created: index };
  });
}
