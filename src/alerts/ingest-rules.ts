import { findRulesByKeys, insertRules, setRuleExternalId, type AnalyticsRuleRecord } from '../analytics-rules/index.js';
import type { Grouping } from '../analytics-rules/grouping.js';
import { newId } from '../ids/ids.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { alertSeverity, type PreparedAlert } from './alert-input.js';

/**
 * Finds the analytics rule each alert names (by the source's rule id, else by name), creating the
 * rules nobody has seen yet, so that ingestion never fails because a rule is unknown. Implicit
 * rules start with the workspace's default grouping.
 */
export async function resolveAlertRules(
  trx: Executor,
  dialect: Dialect,
  workspaceId: string,
  alerts: PreparedAlert[],
  defaultGrouping: Grouping,
  at: number,
): Promise<Map<number, AnalyticsRuleRecord | null>> {
  const externalIds = [...new Set(alerts.flatMap((a) => (a.input.analyticsRuleId ? [a.input.analyticsRuleId] : [])))];
  const nameKeys = [
    ...new Set(alerts.flatMap((a) => (a.input.analyticsRuleName ? [a.input.analyticsRuleName.toLowerCase()] : []))),
  ];
  const found = await findRulesByKeys(trx, workspaceId, externalIds, nameKeys);
  const byExternalId = new Map<string, AnalyticsRuleRecord>();
  const byName = new Map<string, AnalyticsRuleRecord>();
  for (const rule of found) {
    if (rule.externalId) byExternalId.set(rule.externalId, rule);
    const key = rule.name.toLowerCase();
    if (!byName.has(key)) byName.set(key, rule);
  }

  const created: AnalyticsRuleRecord[] = [];
  const implicitRule = (alert: PreparedAlert, externalId: string | null, name: string): AnalyticsRuleRecord => {
    const rule: AnalyticsRuleRecord = {
      workspaceId,
      id: newId(at),
      externalId,
      name,
      description: '',
      severity: alertSeverity(alert),
      enabled: true,
      tactics: alert.input.tactics,
      techniques: alert.input.techniques,
      createsIncidents: true,
      grouping: defaultGrouping,
      playbookIds: [],
      origin: 'implicit',
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    created.push(rule);
    return rule;
  };

  const rules = new Map<number, AnalyticsRuleRecord | null>();
  for (const alert of alerts) {
    const { analyticsRuleId, analyticsRuleName } = alert.input;
    let rule: AnalyticsRuleRecord | null = null;
    if (analyticsRuleId) {
      rule = byExternalId.get(analyticsRuleId) ?? null;
      const named = analyticsRuleName ? byName.get(analyticsRuleName.toLowerCase()) : undefined;
      if (!rule && named && named.externalId === null) {
        // A rule created by name (by hand, or from alerts without ids) now learns its source id.
        named.externalId = analyticsRuleId;
        await setRuleExternalId(trx, workspaceId, named.id, analyticsRuleId);
        byExternalId.set(analyticsRuleId, named);
        rule = named;
      }
      if (!rule) {
        rule = implicitRule(alert, analyticsRuleId, analyticsRuleName ?? analyticsRuleId);
        byExternalId.set(analyticsRuleId, rule);
      }
    } else if (analyticsRuleName) {
      const key = analyticsRuleName.toLowerCase();
      rule = byName.get(key) ?? null;
      if (!rule) {
        rule = implicitRule(alert, null, analyticsRuleName);
        byName.set(key, rule);
      }
    }
    rules.set(alert.index, rule);
  }
  await insertRules(trx, dialect, created);
  return rules;
}
