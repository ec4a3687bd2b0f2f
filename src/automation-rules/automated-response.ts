import { insertActivity, type NewActivity } from '../activity/index.js';
import { fromJson } from '../storage/json.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import type { AlertFacts } from '../incidents/incident-automation.js';
import type { LaunchRequest, PlaybookLauncher } from './playbook-launcher.js';

/**
 * An analytics rule's automated response: the playbooks it names run on each new alert it raised
 * (started in the ingest transaction, like Run playbook actions). One read per batch, of the
 * batch's analytics rules that have a response. A playbook that cannot start (deleted, disabled,
 * its trigger changed since the rule named it) is recorded on the alert's incident as a failed
 * automation, as a rule's failed action is.
 */
export async function launchAutomatedResponses(
  trx: Executor,
  dialect: Dialect,
  launcher: PlaybookLauncher,
  workspaceId: string,
  alerts: { id: string; facts: AlertFacts }[],
  now: number,
): Promise<void> {
  const ruleIds = [...new Set(alerts.flatMap((a) => a.facts.analyticsRuleIds))];
  if (ruleIds.length === 0) return;
  const rules = await trx
    .selectFrom('analytics_rules')
    .select(['id', 'name', 'playbook_ids'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ruleIds)
    .where('playbook_ids', 'is not', null)
    .execute();
  if (rules.length === 0) return;
  const requests: LaunchRequest[] = [];
  for (const alert of alerts) {
    for (const rule of rules.filter((r) => alert.facts.analyticsRuleIds.includes(r.id))) {
      for (const playbook of fromJson<string[]>(rule.playbook_ids, [])) {
        requests.push({
          playbook,
          target: { kind: 'alert', alertId: alert.id, incidentId: alert.facts.incidentId ?? null },
          source: { type: 'system', id: `analytics-rule:${rule.id}`, name: `Analytics rule ${rule.name}` },
        });
      }
    }
  }
  const launched = await launcher.launch(trx, workspaceId, requests, now);
  const failures: NewActivity[] = [];
  launched.forEach((result, i) => {
    const { target, source, playbook } = requests[i]!;
    if (!('error' in result) || target.kind !== 'alert' || !target.incidentId) return;
    const to = { playbook, alertId: target.alertId, error: result.error };
    failures.push({
      workspaceId,
      incidentId: target.incidentId,
      action: 'automationFailed',
      actor: source,
      changes: [{ field: 'automatedResponse', from: null, to }],
      at: now,
    });
  });
  await insertActivity(trx, dialect, failures);
}
