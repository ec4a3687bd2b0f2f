import type { NewActivity } from '../activity/index.js';
import { identifiersOf } from '../analytics-rules/index.js';
import { rolesInWorkspace } from '../auth/membership.js';
import type { IncidentRecord } from '../incidents/index.js';
import type { Executor } from '../storage/dialect.js';
import { fromJson } from '../storage/json.js';
import { TASK_LIMITS, taskSnapshot, type TaskRecord } from '../tasks/index.js';
import { describeOwners, ownerKey, type Owner } from '../users/owner.js';
import type { RuleCache } from './rule-cache.js';
import { executeRule, ruleMatches, rulesToRun, type CompiledRule, type RuleOutcome } from './rule-engine.js';
import type { UpdateSource } from './rule-properties.js';
import type { Trigger } from './rule-schemas.js';
import { buildSubject, type RuleUpdate, type SubjectExtras } from './rule-subject.js';

/** An incident to run rules on: its record after the change that triggered them, and what changed. */
export interface RuleItem {
  record: IncidentRecord;
  /** Entities, custom details and alert titles when the caller has them (ingestion); loaded otherwise. */
  extras?: SubjectExtras;
  update?: RuleUpdate;
  source: UpdateSource;
}

/** The incident after every rule ran, and what each matching rule did. */
export interface RuleItemResult {
  record: IncidentRecord;
  outcomes: RuleOutcome[];
}

/** Identifiers of analytics rules, as conditions may name them: id, source id (and its last segment), name. */
export type RuleIdentifiers = Map<string, string[]>;

/** Loads the identifiers of analytics rules by id. */
export async function loadRuleIdentifiers(db: Executor, workspaceId: string, ids: string[]): Promise<RuleIdentifiers> {
  const out: RuleIdentifiers = new Map();
  const unique = [...new Set(ids)];
  if (unique.length === 0) return out;
  const rows = await db
    .selectFrom('analytics_rules')
    .select(['id', 'external_id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', unique)
    .execute();
  for (const row of rows) out.set(row.id, identifiersOf(row));
  return out;
}

async function loadExtras(db: Executor, workspaceId: string, incidentId: string): Promise<SubjectExtras> {
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

/** Owners that automation rules may assign: members of the workspace, as rules name them. */
async function validOwners(
  db: Executor,
  workspaceId: string,
  rules: CompiledRule[],
): Promise<{ valid: Set<string>; owners: Map<string, Owner> }> {
  const owners = new Map<string, Owner>();
  for (const rule of rules)
    for (const action of rule.actions) if (action.type === 'assignOwner') owners.set(ownerKey(action.owner), action.owner);
  const valid = new Set<string>();
  for (const [key, owner] of owners) {
    const member =
      owner.type === 'user'
        ? (await rolesInWorkspace(db, owner.id, workspaceId)).length > 0 &&
          !!(await db.selectFrom('users').select('id').where('id', '=', owner.id).where('disabled', '=', 0).executeTakeFirst())
        : !!(await db
            .selectFrom('workspace_members')
            .select('role')
            .where('workspace_id', '=', workspaceId)
            .where('principal_type', '=', 'group')
            .where('principal_id', '=', owner.id)
            .executeTakeFirst());
    if (member) valid.add(key);
  }
  return { valid, owners };
}

/**
 * Runs the workspace's rules for a trigger on incidents, in memory: for each incident, the
 * enabled, unexpired rules in order; each sees the incident as the previous rules left it, and
 * runs its actions in order. Reads (rules, owners, entities) happen in the caller's transaction;
 * nothing is written — the caller persists the results (see rule-persistence.ts).
 */
export async function runIncidentRules(
  trx: Executor,
  cache: RuleCache,
  input: {
    workspaceId: string;
    trigger: Trigger;
    now: number;
    version?: number;
    items: RuleItem[];
    identifiers?: RuleIdentifiers;
  },
): Promise<RuleItemResult[]> {
  const rules = rulesToRun(await cache.rules(trx, input.workspaceId, input.version), input.trigger, input.now);
  if (rules.length === 0) return input.items.map((item) => ({ record: item.record, outcomes: [] }));

  const { valid, owners } = await validOwners(trx, input.workspaceId, rules);
  const current = await describeOwners(
    trx,
    input.items.flatMap((i) => (i.record.owner ? [i.record.owner] : [])),
  );
  for (const [key, owner] of current) owners.set(key, owner);
  const identifiers =
    input.identifiers ??
    (await loadRuleIdentifiers(
      trx,
      input.workspaceId,
      input.items.flatMap((i) => i.record.analyticsRuleIds),
    ));
  const needsExtras = rules.some((r) => r.needs.entities || r.needs.customDetails || r.needs.alertTitles);

  const describeOwner = (record: IncidentRecord): Owner | null =>
    record.owner ? (owners.get(ownerKey(record.owner)) ?? { ...record.owner, name: '(unknown)', email: null }) : null;

  const results: RuleItemResult[] = [];
  for (const item of input.items) {
    const extras =
      item.extras ??
      (needsExtras
        ? await loadExtras(trx, input.workspaceId, item.record.id)
        : { entities: [], customDetails: [], alertTitles: [] });
    let record = item.record;
    const subject = buildSubject(
      {
        title: record.title,
        description: record.description,
        severity: record.severity,
        status: record.status,
        owner: describeOwner(record),
        analyticsRuleNames: record.analyticsRuleIds.flatMap((id) => identifiers.get(id) ?? [id]),
        tactics: record.tactics,
        labels: record.systemTags.length ? [...record.tags, ...record.systemTags] : record.tags,
        alertProducts: record.productNames,
      },
      extras,
      item.source,
    );
    const context = { subject, update: item.update };
    const outcomes: RuleOutcome[] = [];
    for (const rule of rules) {
      if (!ruleMatches(rule, context)) continue;
      const executed = executeRule(rule, record, {
        now: input.now,
        validOwners: valid,
        describeOwner,
        taskLimit: TASK_LIMITS.perIncident,
      });
      // The next rule sees the incident as this one left it.
      if (executed.outcome.changes.length > 0) {
        const next = executed.record;
        subject.refresh({
          title: next.title,
          severity: next.severity,
          status: next.status,
          owner: describeOwner(next),
          labels: [...next.tags, ...next.systemTags],
        });
      }
      record = executed.record;
      outcomes.push(executed.outcome);
    }
    results.push({ record, outcomes });
  }
  return results;
}

/**
 * The activity entries of a rule's outcome: one entry for everything the rule did (its field
 * changes and the tasks it added), then one per failed action.
 */
export function outcomeActivity(
  workspaceId: string,
  incidentId: string,
  outcome: RuleOutcome,
  at: number,
  tasks: TaskRecord[] = [],
): NewActivity[] {
  const entries: NewActivity[] = [];
  const changes = [...outcome.changes, ...tasks.map((task) => ({ field: 'task', from: null, to: taskSnapshot(task) }))];
  if (changes.length > 0) {
    entries.push({ workspaceId, incidentId, action: 'incidentUpdated', actor: outcome.actor, changes, at });
  }
  for (const result of outcome.results) {
    if (result.outcome !== 'failed') continue;
    entries.push({
      workspaceId,
      incidentId,
      action: 'automationFailed',
      actor: outcome.actor,
      changes: [{ field: 'action', from: null, to: { index: result.index, type: result.type, error: result.detail } }],
      at,
    });
  }
  return entries;
}
