import { fromJson } from '../storage/json.js';
import type { Executor } from '../storage/dialect.js';
import type { AlertFacts } from '../incidents/incident-automation.js';
import type { LaunchRequest, PlaybookLauncher } from './playbook-launcher.js';

/**
 * An analytics rule's automated response: the playbooks it names run on each new alert it raised
 * (started in the ingest transaction, like Run playbook actions). One read per batch, of the
 * batch's analytics rules that have a response.
 */
export async function launchAutomatedResponses(
  trx: Executor,
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
  await launcher.launch(trx, workspaceId, requests, now);
}
