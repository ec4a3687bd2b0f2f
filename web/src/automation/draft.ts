import type { ActionType, AutomationRule, Condition, RuleInput, Trigger } from '../api/automation-rules.js';
import type { ApiErrorDetail } from '../api/client.js';
import { ApiError } from '../api/client.js';

/** An action being edited: its type and whatever fields the form has filled in so far. */
export interface DraftAction {
  type: ActionType;
  [field: string]: unknown;
}

/** The editor's state: the rule's fields as the form holds them (expiry as a datetime-local value). */
export interface RuleDraft {
  name: string;
  description: string;
  trigger: Trigger;
  order: number;
  enabled: boolean;
  expiresAt: string;
  analyticsRuleIds: string[] | null;
  conditions: Condition[];
  actions: DraftAction[];
}

/** A condition's place in the tree: indexes into `conditions`, then into each group's `conditions`. */
export type ConditionPath = number[];

/** A new, empty rule: created incidents, no conditions, one "add task" action to fill in. */
export function emptyDraft(order: number): RuleDraft {
  return {
    name: '',
    description: '',
    trigger: 'incidentCreated',
    order,
    enabled: true,
    expiresAt: '',
    analyticsRuleIds: null,
    conditions: [],
    actions: [{ type: 'addTask', title: '', description: '' }],
  };
}

/** An ISO time as a datetime-local value in the browser's time zone ('' for none). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** The editor's state for a saved rule or a draft from the API. */
export function draftFrom(rule: AutomationRule | RuleInput): RuleDraft {
  return {
    name: rule.name,
    description: rule.description ?? '',
    trigger: rule.trigger,
    order: rule.order,
    enabled: rule.enabled ?? true,
    expiresAt: toLocalInput(rule.expiresAt),
    analyticsRuleIds: rule.analyticsRuleIds ?? null,
    conditions: rule.conditions ?? [],
    actions: (rule.actions as DraftAction[]).map((action) => ({ ...action })),
  };
}

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/** Only the fields an action type takes, without the empty ones (the API's schemas are strict). */
function actionInput(action: DraftAction): DraftAction {
  if (action.type === 'assignOwner') {
    const owner = (action.owner ?? {}) as { type?: string; id?: string };
    return { type: 'assignOwner', owner: owner.id ? { type: owner.type, id: owner.id } : {} };
  }
  if (action.type === 'changeStatus') {
    const closing = action.status === 'Closed';
    const fields = closing ? ['classification', 'classificationReason', 'classificationComment', 'determination'] : [];
    const kept = fields.filter((f) => present(action[f])).map((f) => [f, action[f]]);
    return { type: 'changeStatus', status: action.status, ...Object.fromEntries(kept) };
  }
  return Object.fromEntries(Object.entries(action).filter(([, v]) => v !== undefined)) as DraftAction;
}

/** The rule as POST /automation-rules (and the dry run) take it. */
export function toRuleInput(draft: RuleDraft): RuleInput {
  return {
    name: draft.name,
    description: draft.description,
    trigger: draft.trigger,
    order: draft.order,
    enabled: draft.enabled,
    expiresAt: draft.expiresAt ? new Date(draft.expiresAt).toISOString() : null,
    analyticsRuleIds: draft.analyticsRuleIds,
    conditions: draft.conditions,
    actions: draft.actions.map(actionInput) as RuleInput['actions'],
  };
}

/** Conditions counted as the API counts them: every condition, nested ones and groups included. */
export function countConditions(conditions: Condition[]): number {
  return conditions.reduce(
    (n, c) => n + 1 + (c.type === 'boolean' || c.type === 'propertyArray' ? countConditions(c.conditions) : 0),
    0,
  );
}

/** The API's path of a condition: [1, 0] → "conditions[1].conditions[0]". */
export function conditionPathText(path: ConditionPath): string {
  return path.map((i) => `conditions[${i}]`).join('.');
}

/** Replaces (or, with `null`, removes) the condition at `path`. */
export function updateCondition(
  conditions: Condition[],
  path: ConditionPath,
  update: (condition: Condition) => Condition | null,
): Condition[] {
  const [head, ...rest] = path;
  return conditions.flatMap((condition, index) => {
    if (index !== head) return [condition];
    if (rest.length === 0) {
      const next = update(condition);
      return next ? [next] : [];
    }
    if (condition.type !== 'boolean' && condition.type !== 'propertyArray') return [condition];
    return [{ ...condition, conditions: updateCondition(condition.conditions, rest, update) }];
  });
}

/** The problems the API reported, without the prefix a wrapping body adds (the dry run's `rule.`). */
export function problemsOf(error: unknown): ApiErrorDetail[] {
  if (!(error instanceof ApiError)) return [];
  return error.details.map((d) => ({ ...d, path: d.path?.replace(/^rule\./, '') }));
}

/** The problems about exactly this path or its fields, not those of nested conditions. */
export function problemsAt(problems: ApiErrorDetail[], path: string, nested = false): ApiErrorDetail[] {
  return problems.filter((p) => {
    if (!p.path) return false;
    if (p.path === path) return true;
    if (!p.path.startsWith(`${path}.`) && !p.path.startsWith(`${path}[`)) return false;
    return nested || !p.path.slice(path.length).startsWith('.conditions[');
  });
}
