import { requirePermission, type Access } from '../auth/permissions.js';
import { NotFoundError } from '../errors/errors.js';
import { findIncidentsByIds, type IncidentRecord } from '../incidents/index.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import { fromJson } from '../storage/json.js';
import { TASK_LIMITS } from '../tasks/index.js';
import { describeOwners, ownerKey, resolveOwner, type Owner } from '../users/owner.js';
import { compileRule, executeRule, ruleMatches, type StoredAction } from './rule-engine.js';
import { findRuleRecord } from './rule-repository.js';
import { loadRuleIdentifiers } from './rule-runner.js';
import type { Action, RuleInput } from './rule-schemas.js';
import { resolveAnalyticsRules } from './rule-service.js';
import { buildSubject, updateSource, type RuleUpdate } from './rule-subject.js';
import { validateRuleShape } from './rule-validation.js';
import type { FieldChange } from '../activity/index.js';

/** What a dry run answers per incident. */
export interface DryRunItem {
  incident: { id: string; number: number; title: string };
  changes: FieldChange[];
  tasks: { title: string; description: string }[];
  playbooks: string[];
  results: { index: number; type: string; outcome: string; detail?: string }[];
}

async function entitiesAndDetails(db: Executor, workspaceId: string, incidentId: string) {
  const [entities, alerts] = await Promise.all([
    db
      .selectFrom('entities')
      .select(['kind', 'properties'])
      .where('workspace_id', '=', workspaceId)
      .where('incident_id', '=', incidentId)
      .execute(),
    db
      .selectFrom('alerts')
      .select(['title', 'custom_details'])
      .where('workspace_id', '=', workspaceId)
      .where('incident_id', '=', incidentId)
      .execute(),
  ]);
  return {
    entities: entities.map((e) => ({ kind: e.kind, properties: fromJson<Record<string, unknown>>(e.properties, {}) })),
    customDetails: alerts.map((a) => fromJson<Record<string, string[]>>(a.custom_details, {})),
    alertTitles: alerts.map((a) => a.title),
  };
}

/** The incident's last change not made by automation: what an incident-updated rule is tested against. */
async function lastUpdate(db: Executor, workspaceId: string, incidentId: string): Promise<RuleUpdate | undefined> {
  const row = await db
    .selectFrom('activity')
    .select(['action', 'actor_type', 'actor_id', 'actor_name', 'changes'])
    .where('workspace_id', '=', workspaceId)
    .where('incident_id', '=', incidentId)
    .where('action', 'in', ['incidentUpdated', 'alertsAdded', 'commentAdded'])
    .where('actor_type', '!=', 'automationRule')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    action: row.action as RuleUpdate['action'],
    actor: { type: row.actor_type as RuleUpdate['actor']['type'], id: row.actor_id, name: row.actor_name },
    changes: fromJson<FieldChange[]>(row.changes, []),
  };
}

/**
 * Tries a rule — saved, or a draft — on existing incidents without changing anything: which ones it
 * matches and what each action would do, with the very engine that runs rules live. Incident-
 * created rules see each incident as it is now; incident-updated rules are tested against its
 * latest change not made by automation.
 */
export async function dryRun(
  storage: Storage,
  access: Access,
  input: { ruleId?: string; rule?: RuleInput; incidentIds: string[] },
  now: number,
): Promise<{ evaluated: number; matched: number; items: DryRunItem[] }> {
  requirePermission(access, 'rules.read');
  const { db } = storage;
  const workspaceId = access.workspaceId!;
  let definition: {
    name: string;
    trigger: RuleInput['trigger'];
    conditions: RuleInput['conditions'];
    actions: StoredAction[];
    analyticsRuleIds: string[] | null;
    order: number;
    id: string;
  };
  if (input.ruleId) {
    const saved = await findRuleRecord(db, workspaceId, input.ruleId);
    if (!saved) throw new NotFoundError(`Automation rule ${input.ruleId} not found in workspace ${workspaceId}`);
    definition = saved;
  } else {
    const draft = input.rule!;
    validateRuleShape(draft);
    const actions: StoredAction[] = [];
    for (const [i, action] of (draft.actions as Action[]).entries()) {
      actions.push(
        action.type === 'assignOwner'
          ? { type: 'assignOwner', owner: await resolveOwner(db, workspaceId, action.owner, `rule.actions[${i}].owner`) }
          : (action as StoredAction),
      );
    }
    const analyticsRuleIds = draft.analyticsRuleIds
      ? (await resolveAnalyticsRules(db, workspaceId, draft.analyticsRuleIds, 'rule.analyticsRuleIds')).map((r) => r.id)
      : null;
    definition = {
      id: 'dry-run',
      name: draft.name,
      order: draft.order,
      trigger: draft.trigger,
      conditions: draft.conditions,
      actions,
      analyticsRuleIds,
    };
  }
  const rule = compileRule({
    ...definition,
    createdAt: now,
    enabled: true,
    expiresAt: null,
    scopeIdentifiers: definition.analyticsRuleIds,
  });
  const incidents = await findIncidentsByIds(db, workspaceId, input.incidentIds);
  const order = new Map(input.incidentIds.map((id, i) => [id, i]));
  incidents.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const identifiers = await loadRuleIdentifiers(
    db,
    workspaceId,
    incidents.flatMap((i) => i.analyticsRuleIds),
  );
  const owners = await describeOwners(db, [
    ...incidents.flatMap((i) => (i.owner ? [i.owner] : [])),
    ...definition.actions.flatMap((a) => (a.type === 'assignOwner' ? [a.owner] : [])),
  ]);
  const validOwners = new Set(definition.actions.flatMap((a) => (a.type === 'assignOwner' ? [ownerKey(a.owner)] : [])));
  const describeOwner = (record: IncidentRecord): Owner | null =>
    record.owner ? (owners.get(ownerKey(record.owner)) ?? null) : null;

  const items: DryRunItem[] = [];
  for (const incident of incidents) {
    const update = rule.trigger === 'incidentUpdated' ? await lastUpdate(db, workspaceId, incident.id) : undefined;
    const subject = buildSubject(
      {
        title: incident.title,
        description: incident.description,
        severity: incident.severity,
        status: incident.status,
        owner: describeOwner(incident),
        analyticsRuleNames: incident.analyticsRuleIds.flatMap((id) => identifiers.get(id) ?? [id]),
        tactics: incident.tactics,
        labels: [...incident.tags, ...incident.systemTags],
        alertProducts: incident.productNames,
      },
      await entitiesAndDetails(db, workspaceId, incident.id),
      update ? updateSource(update.actor) : updateSource(incident.createdBy),
    );
    if (!ruleMatches(rule, { subject, update })) continue;
    const { outcome } = executeRule(rule, incident, { now, validOwners, describeOwner, taskLimit: TASK_LIMITS.perIncident });
    items.push({
      incident: { id: incident.id, number: incident.number, title: incident.title },
      changes: outcome.changes,
      tasks: outcome.tasks,
      playbooks: outcome.playbooks,
      results: outcome.results,
    });
  }
  return { evaluated: incidents.length, matched: items.length, items };
}
