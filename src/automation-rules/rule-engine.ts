import type { FieldChange } from '../activity/index.js';
import type { Actor } from '../common/actor.js';
import { AppError } from '../errors/errors.js';
import { applyIncidentChange, type AlertCascade, type IncidentChangeSet } from '../incidents/incident-changes.js';
import type { IncidentRecord } from '../incidents/index.js';
import type { Owner } from '../users/owner.js';
import { compileConditions, type EvaluationContext, type Needs, type Predicate } from './rule-compiler.js';
import type { Condition, Trigger } from './rule-schemas.js';

/** An action as stored: like the API's, with an assigned owner resolved when the rule was saved. */
export type StoredAction =
  | {
      type: 'changeStatus';
      status: IncidentRecord['status'];
      classification?: IncidentRecord['classification'];
      classificationReason?: IncidentRecord['classificationReason'];
      classificationComment?: string;
      determination?: IncidentRecord['determination'];
    }
  | { type: 'changeSeverity'; severity: IncidentRecord['severity'] }
  | { type: 'assignOwner'; owner: Owner }
  | { type: 'unassignOwner' }
  | { type: 'addTags'; tags: string[] }
  | { type: 'removeTags'; tags: string[] }
  | { type: 'addTask'; title: string; description: string }
  | { type: 'runPlaybook'; playbook: string };

/** A rule ready to run: conditions compiled, scope as a set of lower-cased analytics rule identifiers. */
export interface CompiledRule {
  id: string;
  name: string;
  order: number;
  createdAt: number;
  trigger: Trigger;
  enabled: boolean;
  expiresAt: number | null;
  /** Lower-cased identifiers (ids, source ids, names) of the analytics rules it applies to; null: all. */
  scope: Set<string> | null;
  test: Predicate;
  needs: Needs;
  actions: StoredAction[];
  /** Who the rule's changes are by (made once: every run of the rule shares it). */
  actor: Actor;
}

/** Compiles a stored rule. */
export function compileRule(rule: {
  id: string;
  name: string;
  order: number;
  createdAt: number;
  trigger: Trigger;
  enabled: boolean;
  expiresAt: number | null;
  scopeIdentifiers: string[] | null;
  conditions: Condition[];
  actions: StoredAction[];
}): CompiledRule {
  const { test, needs } = compileConditions(rule.conditions);
  return {
    id: rule.id,
    name: rule.name,
    order: rule.order,
    createdAt: rule.createdAt,
    trigger: rule.trigger,
    enabled: rule.enabled,
    expiresAt: rule.expiresAt,
    scope: rule.scopeIdentifiers ? new Set(rule.scopeIdentifiers.map((s) => s.toLowerCase())) : null,
    test,
    needs,
    actions: rule.actions,
    actor: ruleActor(rule),
  };
}

/** The rules that run for a trigger now: enabled, not expired, in execution order (order, then creation). */
export function rulesToRun(rules: CompiledRule[], trigger: Trigger, now: number): CompiledRule[] {
  return rules
    .filter((r) => r.trigger === trigger && r.enabled && (r.expiresAt === null || r.expiresAt > now))
    .sort((a, b) => a.order - b.order || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

/** Whether a rule's conditions and analytics-rule scope hold for a subject (and the update that triggered it). */
export function ruleMatches(rule: CompiledRule, context: EvaluationContext): boolean {
  if (rule.scope && !inScope(rule.scope, context.subject.analyticsRules)) return false;
  return rule.test(context);
}

function inScope(scope: Set<string>, analyticsRules: string[]): boolean {
  for (const id of analyticsRules) if (scope.has(id)) return true;
  return false;
}

/** The actor an automation rule acts as. */
export const ruleActor = (rule: { id: string; name: string }): Actor => ({
  type: 'automationRule',
  id: rule.id,
  name: rule.name,
});

/** What one action did. */
export interface ActionResult {
  index: number;
  type: StoredAction['type'];
  outcome: 'applied' | 'unchanged' | 'failed' | 'pending';
  detail?: string;
}

/** What one rule did to an incident. */
export interface RuleOutcome {
  rule: CompiledRule;
  actor: Actor;
  changes: FieldChange[];
  cascade: AlertCascade;
  tasks: { title: string; description: string }[];
  playbooks: string[];
  results: ActionResult[];
}

function changeSetOf(action: StoredAction): IncidentChangeSet | undefined {
  switch (action.type) {
    case 'changeStatus': {
      const { type, ...change } = action;
      void type;
      return change;
    }
    case 'changeSeverity':
      return { severity: action.severity };
    case 'assignOwner':
      return { owner: action.owner };
    case 'unassignOwner':
      return { owner: null };
    case 'addTags':
      return { addTags: action.tags };
    case 'removeTags':
      return { removeTags: action.tags };
    default:
      return undefined;
  }
}

/** Context the runner gives the engine: owners still valid, room left for tasks, how to describe the current owner. */
export interface ExecutionContext {
  now: number;
  /** Owners (`type:id`) that may own incidents of the workspace now; an assignment to another fails. */
  validOwners: Set<string>;
  describeOwner(record: IncidentRecord): Owner | null;
  taskLimit: number;
}

/**
 * Runs one rule's actions, in order, on the incident: incident changes go through the same rules as
 * a person's (closing needs a classification …); a failing action is recorded and the others still
 * run. Returns the new record and what the rule did. Pure.
 */
export function executeRule(
  rule: CompiledRule,
  record: IncidentRecord,
  context: ExecutionContext,
): { record: IncidentRecord; outcome: RuleOutcome } {
  const actor = rule.actor;
  const outcome: RuleOutcome = { rule, actor, changes: [], cascade: {}, tasks: [], playbooks: [], results: [] };
  let current = record;
  // Whether `current` is this run's own copy (the caller's record is never changed).
  let copied = false;
  for (let index = 0; index < rule.actions.length; index += 1) {
    const action = rule.actions[index]!;
    if (action.type === 'addTask') {
      if (current.taskCount >= context.taskLimit) {
        outcome.results.push({
          index,
          type: action.type,
          outcome: 'failed',
          detail: `the incident already has ${context.taskLimit} tasks, the most it can hold`,
        });
      } else {
        outcome.tasks.push({ title: action.title, description: action.description });
        // Counted at once, so later actions and rules see the tasks this run already plans.
        if (!copied) {
          current = { ...current };
          copied = true;
        }
        current.taskCount += 1;
        outcome.results.push({ index, type: action.type, outcome: 'applied' });
      }
      continue;
    }
    if (action.type === 'runPlaybook') {
      outcome.playbooks.push(action.playbook);
      outcome.results.push({
        index,
        type: action.type,
        outcome: 'pending',
        detail: 'recorded; playbook runs start with the playbook engine',
      });
      continue;
    }
    if (action.type === 'assignOwner' && !context.validOwners.has(`${action.owner.type}:${action.owner.id}`)) {
      outcome.results.push({
        index,
        type: action.type,
        outcome: 'failed',
        detail: `${action.owner.name} can no longer own incidents in this workspace`,
      });
      continue;
    }
    try {
      const applied = applyIncidentChange(current, context.describeOwner(current), changeSetOf(action)!, actor, context.now);
      // Setting the severity or title, even to its current value, pins it (as when a person does).
      current = applied.next;
      copied = true;
      if (applied.changes.length === 0) {
        outcome.results.push({ index, type: action.type, outcome: 'unchanged' });
        continue;
      }
      outcome.changes.push(...applied.changes);
      if (applied.cascade.owner !== undefined) outcome.cascade.owner = applied.cascade.owner;
      if (applied.cascade.status !== undefined) outcome.cascade.status = applied.cascade.status;
      outcome.results.push({ index, type: action.type, outcome: 'applied' });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcome.results.push({ index, type: action.type, outcome: 'failed', detail: error.message });
    }
  }
  return { record: current, outcome };
}
