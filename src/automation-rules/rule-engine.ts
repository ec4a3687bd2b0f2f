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
  /** The actions made ready to run, in order (see `prepareAction`). */
  steps: ActionStep[];
  /** Who the rule's changes are by (made once: every run of the rule shares it). */
  actor: Actor;
}

/**
 * An action made ready when its rule is compiled: what it changes and the results it reports when
 * it applies or changes nothing. Every run of the rule shares them, so they are frozen.
 */
interface ActionStep {
  index: number;
  action: StoredAction;
  change?: IncidentChangeSet;
  task?: Readonly<{ title: string; description: string }>;
  applied: ActionResult;
  unchanged: ActionResult;
}

function prepareAction(action: StoredAction, index: number): ActionStep {
  const change = changeSetOf(action);
  return {
    index,
    action,
    change: change && Object.freeze(change),
    task: action.type === 'addTask' ? Object.freeze({ title: action.title, description: action.description }) : undefined,
    applied: Object.freeze({ index, type: action.type, outcome: 'applied' }),
    unchanged: Object.freeze({ index, type: action.type, outcome: 'unchanged' }),
  };
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
    steps: rule.actions.map(prepareAction),
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

// What a run that did nothing of a kind holds: shared, so a run allocates only what it uses.
const NO_CHANGES: FieldChange[] = Object.freeze([]) as unknown as FieldChange[];
const NO_TASKS: RuleOutcome['tasks'] = Object.freeze([]) as unknown as RuleOutcome['tasks'];
const NO_PLAYBOOKS: string[] = Object.freeze([]) as unknown as string[];
const NO_CASCADE: AlertCascade = Object.freeze({});

/**
 * Runs one rule's actions, in order, on the incident: incident changes go through the same rules as
 * a person's (closing needs a classification …); a failing action is recorded and the others still
 * run. Returns the new record and what the rule did. Pure; the outcome's lists and results may be
 * shared with other runs, so they are read, never changed.
 */
export function executeRule(
  rule: CompiledRule,
  record: IncidentRecord,
  context: ExecutionContext,
): { record: IncidentRecord; outcome: RuleOutcome } {
  const actor = rule.actor;
  const steps = rule.steps;
  const results: ActionResult[] = new Array(steps.length);
  let changes = NO_CHANGES;
  let cascade = NO_CASCADE;
  let tasks = NO_TASKS;
  let playbooks = NO_PLAYBOOKS;
  let current = record;
  // Whether `current` is this run's own copy (the caller's record is never changed).
  let copied = false;
  for (let index = 0; index < steps.length; index += 1) {
    const step = steps[index]!;
    const action = step.action;
    if (step.task) {
      if (current.taskCount >= context.taskLimit) {
        results[index] = failed(step, `the incident already has ${context.taskLimit} tasks, the most it can hold`);
        continue;
      }
      tasks = tasks === NO_TASKS ? [step.task] : [...tasks, step.task];
      // Counted at once, so later actions and rules see the tasks this run already plans.
      if (!copied) {
        current = { ...current };
        copied = true;
      }
      current.taskCount += 1;
      results[index] = step.applied;
      continue;
    }
    if (action.type === 'runPlaybook') {
      playbooks = playbooks === NO_PLAYBOOKS ? [action.playbook] : [...playbooks, action.playbook];
      results[index] = {
        index,
        type: action.type,
        outcome: 'pending',
        detail: 'recorded; playbook runs start with the playbook engine',
      };
      continue;
    }
    if (action.type === 'assignOwner' && !context.validOwners.has(`${action.owner.type}:${action.owner.id}`)) {
      results[index] = failed(step, `${action.owner.name} can no longer own incidents in this workspace`);
      continue;
    }
    try {
      const applied = applyIncidentChange(current, context.describeOwner(current), step.change!, actor, context.now);
      // Setting the severity or title, even to its current value, pins it (as when a person does).
      current = applied.next;
      copied = true;
      if (applied.changes.length === 0) {
        results[index] = step.unchanged;
        continue;
      }
      changes = changes === NO_CHANGES ? applied.changes : [...changes, ...applied.changes];
      if (applied.cascade.owner !== undefined || applied.cascade.status !== undefined) {
        cascade = { ...cascade, ...applied.cascade };
      }
      results[index] = step.applied;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results[index] = failed(step, error.message);
    }
  }
  return { record: current, outcome: { rule, actor, changes, cascade, tasks, playbooks, results } };
}

const failed = (step: ActionStep, detail: string): ActionResult => ({
  index: step.index,
  type: step.action.type,
  outcome: 'failed',
  detail,
});
