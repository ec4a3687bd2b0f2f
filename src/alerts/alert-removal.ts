import type { FieldChange } from '../activity/activity-schemas.js';
import { maxSeverity, type Severity } from '../common/enums.js';
import { titleAfterAlerts, type IncidentRecord } from '../incidents/index.js';
import { fromJson } from '../storage/json.js';
import type { AlertContribution } from './alert-repository.js';

/** An incident after one of its alerts left it, and the field changes for its activity entry. */
export interface IncidentWithoutAlert {
  record: IncidentRecord;
  changes: FieldChange[];
}

/** The hosts and accounts that name the incident (a generated title mentions them). */
export interface TitleNames {
  hosts: string[];
  accounts: string[];
}

type ListField = 'productNames' | 'analyticsRuleIds' | 'tactics' | 'techniques' | 'systemTags';

function listsOf(alert: AlertContribution): Record<ListField, string[]> {
  return {
    productNames: [alert.product_name],
    analyticsRuleIds: alert.analytics_rule_id ? [alert.analytics_rule_id] : [],
    tactics: fromJson<string[]>(alert.tactics, []),
    techniques: fromJson<string[]>(alert.techniques, []),
    systemTags: fromJson<string[]>(alert.tags, []),
  };
}

const firstTime = (alert: AlertContribution) => alert.start_time ?? alert.alert_time;
const lastTime = (alert: AlertContribution) => alert.end_time ?? alert.alert_time;

/** Drops from `list` the values only the leaving alert gave (ignoring case); values of other alerts or set by hand stay. */
function withoutOwnValues(list: string[], leaving: string[], remaining: string[]): string[] {
  const kept = new Set(remaining.map((v) => v.toLowerCase()));
  const drop = new Set(leaving.map((v) => v.toLowerCase()).filter((v) => !kept.has(v)));
  return list.filter((v) => !drop.has(v.toLowerCase()));
}

/**
 * The incident after an alert moved out of it: one alert fewer; products, analytics rules,
 * tactics, techniques and system tags that only the leaving alert gave are dropped; activity times
 * the leaving alert set are recomputed from the remaining alerts; a severity that follows the
 * alerts becomes the highest remaining one; a generated title follows the remaining alerts.
 * Pure: the caller writes the result.
 */
export function incidentWithoutAlert(
  current: IncidentRecord,
  leaving: AlertContribution,
  remaining: AlertContribution[],
  names: TitleNames,
  at: number,
): IncidentWithoutAlert {
  const next: IncidentRecord = { ...current, alertCount: remaining.length, updatedAt: at };
  const own = listsOf(leaving);
  const others = remaining.map(listsOf);
  for (const field of Object.keys(own) as ListField[]) {
    next[field] = withoutOwnValues(
      current[field],
      own[field],
      others.flatMap((o) => o[field]),
    );
  }
  if (current.firstActivityAt === firstTime(leaving)) {
    next.firstActivityAt = remaining.length > 0 ? Math.min(...remaining.map(firstTime)) : null;
  }
  if (current.lastActivityAt === lastTime(leaving)) {
    next.lastActivityAt = remaining.length > 0 ? Math.max(...remaining.map(lastTime)) : null;
  }
  if (current.severitySource === 'alerts') {
    next.severity = remaining.reduce<Severity>((max, a) => maxSeverity(max, a.severity as Severity), 'Informational');
  }
  Object.assign(next, titleWithout(next, remaining, names));

  const changes: FieldChange[] = [{ field: 'alerts', from: [{ id: leaving.id, title: leaving.title }], to: null }];
  if (current.title !== next.title) changes.push({ field: 'title', from: current.title, to: next.title });
  if (current.severity !== next.severity) changes.push({ field: 'severity', from: current.severity, to: next.severity });
  if (current.systemTags.length !== next.systemTags.length) {
    changes.push({ field: 'systemTags', from: current.systemTags, to: next.systemTags });
  }
  if (current.tactics.length !== next.tactics.length) changes.push({ field: 'tactics', from: current.tactics, to: next.tactics });
  return { record: next, changes };
}

/**
 * A generated title counts the alerts, so it follows the remaining ones; when they all share one
 * title it becomes that title, as alert grouping would have named them. Other titles stay.
 */
function titleWithout(next: IncidentRecord, remaining: AlertContribution[], names: TitleNames) {
  if (next.titleSource !== 'generated' || remaining.length === 0) return { title: next.title, titleSource: next.titleSource };
  const titles = new Set(remaining.map((a) => a.title));
  if (titles.size === 1) return { title: remaining[0]!.title, titleSource: 'alert' as const };
  return titleAfterAlerts({
    currentTitle: next.title,
    titleSource: 'generated',
    alertCount: remaining.length,
    newAlertTitles: [],
    hostNames: names.hosts,
    accountNames: names.accounts,
    productCount: next.productNames.length,
  });
}
