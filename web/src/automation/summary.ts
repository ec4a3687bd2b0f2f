import type { AutomationRule, Condition } from '../api/automation-rules.js';
import { words } from '../ui/format.js';
import { ACTION_LABELS, ARRAY_CHANGED_LABELS, ARRAY_LABELS, CHANGED_LABELS, OPERATOR_LABELS, propertyLabel } from './labels.js';

const valueList = (values: readonly string[] = []) => values.join(' or ');

/** One condition in words: "Severity equals High", "(Host name contains dc OR Tag equals vip)". */
export function conditionText(condition: Condition): string {
  switch (condition.type) {
    case 'property':
      return `${propertyLabel(condition.property)} ${OPERATOR_LABELS[condition.operator]} ${valueList(condition.values)}`;
    case 'boolean':
      return `(${condition.conditions.map(conditionText).join(condition.operator === 'Or' ? ' OR ' : ' AND ')})`;
    case 'propertyArray':
      return `${condition.match === 'AllItems' ? 'Every' : 'Any'} of ${ARRAY_LABELS[condition.array].toLowerCase()}: (${condition.conditions
        .map(conditionText)
        .join(' AND ')})`;
    case 'propertyChanged': {
      const what = CHANGED_LABELS[condition.property];
      if (condition.change === 'Changed') return `${what} changed`;
      const direction = condition.change === 'ChangedFrom' ? 'from' : 'to';
      const operator = condition.operator && condition.operator !== 'Equals' ? ` ${OPERATOR_LABELS[condition.operator]}` : '';
      return `${what} changed ${direction}${operator} ${valueList(condition.values)}`;
    }
    case 'propertyArrayChanged':
      return `${ARRAY_CHANGED_LABELS[condition.array]} added`;
  }
}

/** A rule's conditions in words, ANDed; "Always" when it has none. */
export function conditionsSummary(conditions: Condition[]): string {
  return conditions.length === 0 ? 'Always' : conditions.map(conditionText).join(' AND ');
}

interface StoredAction {
  type: keyof typeof ACTION_LABELS;
  [field: string]: unknown;
}

function actionDetail(action: StoredAction): string {
  switch (action.type) {
    case 'addTask':
      return String(action.title ?? '');
    case 'assignOwner': {
      const owner = action.owner as { name?: string; email?: string; id?: string; type?: string } | undefined;
      return owner?.name ?? owner?.email ?? owner?.id ?? '';
    }
    case 'changeStatus':
      return action.classification ? `${action.status} (${words(String(action.classification))})` : String(action.status);
    case 'changeSeverity':
      return String(action.severity);
    case 'addTags':
    case 'removeTags':
      return ((action.tags as string[] | undefined) ?? []).join(', ');
    case 'runPlaybook':
      return String(action.playbook ?? '');
    default:
      return '';
  }
}

/** One action in words: "Add task: Reset password", "Assign owner: Tier 2". */
export function actionText(action: unknown): string {
  const stored = action as StoredAction;
  const label = ACTION_LABELS[stored.type]?.verb ?? String(stored.type);
  const detail = actionDetail(stored);
  return detail ? `${label}: ${detail}` : label;
}

/** A rule's actions in words, in order, separated by semicolons. */
export function actionsSummary(actions: AutomationRule['actions']): string {
  return actions.map(actionText).join('; ');
}
