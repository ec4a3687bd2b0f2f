import type {
  AlertFacts,
  AutomationContext,
  IncidentAutomation,
  IncidentChangeEvent,
  IncidentExtras,
} from '../incidents/incident-automation.js';
import type { IncidentRecord } from '../incidents/index.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import type { RuleCache } from './rule-cache.js';
import { executeRule, ruleMatches, rulesToRun } from './rule-engine.js';
import { launchAutomatedResponses } from './automated-response.js';
import { launchRulePlaybooks, NO_PLAYBOOKS, type PlaybookLauncher } from './playbook-launcher.js';
import { planNewIncidentWrites, saveUpdatedIncident, writeNewIncidentWrites } from './rule-persistence.js';
import { insertRuns, runLogRows } from './rule-run-log.js';
import { loadRuleIdentifiers, runIncidentRules } from './rule-runner.js';
import { buildSubject, updateSource } from './rule-subject.js';

/** The automation-rules implementation of the incident write hooks. */
export function createIncidentAutomation({
  cache,
  dialect,
  playbooks = NO_PLAYBOOKS,
}: {
  cache: RuleCache;
  dialect: Dialect;
  /** Starts runs for Run playbook actions (the playbooks module; set once the engine exists). */
  playbooks?: PlaybookLauncher;
}): IncidentAutomation {
  return {
    async created(
      trx: Executor,
      workspaceId: string,
      items: { record: IncidentRecord; extras?: IncidentExtras }[],
      context: AutomationContext,
    ) {
      const results = await runIncidentRules(trx, cache, {
        workspaceId,
        trigger: 'incidentCreated',
        now: context.now,
        version: context.version,
        identifiers: context.ruleIdentifiers,
        items: items.map((item) => ({ record: item.record, extras: item.extras, source: updateSource(item.record.createdBy) })),
      });
      if (results.every((r) => r.outcomes.length === 0))
        return { records: results.map((r) => r.record), persist: async () => {} };
      await launchRulePlaybooks(
        trx,
        playbooks,
        workspaceId,
        results.flatMap((r) =>
          r.outcomes.map((outcome) => ({ outcome, target: { kind: 'incident' as const, incidentId: r.record.id } })),
        ),
        context.now,
      );
      const writes = planNewIncidentWrites(workspaceId, results, context.now);
      return { records: results.map((r) => r.record), persist: () => writeNewIncidentWrites(trx, dialect, writes) };
    },

    async updated(trx: Executor, written: IncidentRecord, event: IncidentChangeEvent, context: AutomationContext) {
      const [record] = await this.updatedMany(trx, written.workspaceId, [{ written, event }], context);
      return record!;
    },

    async updatedMany(
      trx: Executor,
      workspaceId: string,
      items: { written: IncidentRecord; event: IncidentChangeEvent }[],
      context: AutomationContext,
    ) {
      // Sentinel's loop guard: changes made by automation rules do not trigger incident-updated rules.
      const triggering = items.filter((i) => i.event.actor.type !== 'automationRule');
      if (triggering.length === 0) return items.map((i) => i.written);
      const results = await runIncidentRules(trx, cache, {
        workspaceId,
        trigger: 'incidentUpdated',
        now: context.now,
        version: context.version,
        identifiers: context.ruleIdentifiers,
        items: triggering.map((i) => ({ record: i.written, update: i.event, source: updateSource(i.event.actor) })),
      });
      await launchRulePlaybooks(
        trx,
        playbooks,
        workspaceId,
        triggering.flatMap((item, index) =>
          results[index]!.outcomes.map((outcome) => ({
            outcome,
            target: { kind: 'incident' as const, incidentId: item.written.id },
            causedBy: item.event.actor,
          })),
        ),
        context.now,
      );
      const final = new Map<string, IncidentRecord>();
      for (const [index, item] of triggering.entries()) {
        final.set(item.written.id, await saveUpdatedIncident(trx, dialect, item.written, results[index]!, context.now));
      }
      const runs = triggering.map((item, index) => ({
        target: { incidentId: item.written.id },
        outcomes: results[index]!.outcomes,
      }));
      await insertRuns(trx, dialect, runLogRows(workspaceId, 'incidentUpdated', runs, context.now));
      return items.map((i) => final.get(i.written.id) ?? i.written);
    },

    async alertsCreated(
      trx: Executor,
      workspaceId: string,
      alerts: { id: string; facts: AlertFacts; extras: IncidentExtras }[],
      context: AutomationContext,
    ) {
      if (alerts.length === 0) return;
      await launchAutomatedResponses(trx, dialect, playbooks, workspaceId, alerts, context.now);
      const rules = rulesToRun(await cache.rules(trx, workspaceId, context.version), 'alertCreated', context.now);
      if (rules.length === 0) return;
      const identifiers =
        context.ruleIdentifiers ??
        (await loadRuleIdentifiers(
          trx,
          workspaceId,
          alerts.flatMap((a) => a.facts.analyticsRuleIds),
        ));
      const runs = [];
      const launches = [];
      for (const alert of alerts) {
        const subject = buildSubject(
          {
            title: alert.facts.title,
            description: alert.facts.description,
            severity: alert.facts.severity,
            status: alert.facts.status,
            owner: null,
            analyticsRuleNames: alert.facts.analyticsRuleIds.flatMap((id) => identifiers.get(id) ?? [id]),
            tactics: alert.facts.tactics,
            labels: alert.facts.tags,
            alertProducts: [alert.facts.productName],
          },
          alert.extras,
          'AlertGrouping',
        );
        const context = { subject };
        const outcomes = rules.filter((rule) => ruleMatches(rule, context)).map((rule) => executeRuleOnAlert(rule));
        const target = { kind: 'alert' as const, alertId: alert.id, incidentId: alert.facts.incidentId ?? null };
        launches.push(...outcomes.map((outcome) => ({ outcome, target })));
        runs.push({ target: { alertId: alert.id }, outcomes });
      }
      await launchRulePlaybooks(trx, playbooks, workspaceId, launches, context.now);
      await insertRuns(trx, dialect, runLogRows(workspaceId, 'alertCreated', runs, context.now));
    },
  };
}

/** Alert-created rules only run playbooks: each action is pending until its run is started (or refused). */
function executeRuleOnAlert(rule: Parameters<typeof executeRule>[0]) {
  return {
    rule,
    actor: { type: 'automationRule' as const, id: rule.id, name: rule.name },
    changes: [],
    cascade: {},
    tasks: [],
    playbooks: rule.actions.flatMap((a) => (a.type === 'runPlaybook' ? [a.playbook] : [])),
    results: rule.actions.map((a, index) => ({
      index,
      type: a.type,
      outcome: 'pending' as 'pending' | 'applied' | 'failed',
      detail: 'starting the playbook run',
    })),
  };
}
