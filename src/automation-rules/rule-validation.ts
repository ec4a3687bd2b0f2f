import { InputError, type ErrorDetail } from '../errors/errors.js';
import { countConditions } from './rule-compiler.js';
import { RULE_LIMITS, type Action, type Condition, type Trigger } from './rule-schemas.js';

function changeConditionPaths(conditions: Condition[], path: string): string[] {
  return conditions.flatMap((c, i) => {
    const here = `${path}[${i}]`;
    if (c.type === 'propertyChanged' || c.type === 'propertyArrayChanged') return [here];
    if (c.type === 'boolean' || c.type === 'propertyArray') return changeConditionPaths(c.conditions, `${here}.conditions`);
    return [];
  });
}

/**
 * The rules of the model the schema cannot express: at most 50 conditions counting nested ones;
 * change conditions only on the incident-updated trigger; alert-created rules only run playbooks
 * (as in Sentinel). Throws InputError naming each offending path.
 */
export function validateRuleShape(rule: { trigger: Trigger; conditions: Condition[]; actions: Action[] }): void {
  const problems: ErrorDetail[] = [];
  const total = countConditions(rule.conditions);
  if (total > RULE_LIMITS.conditions) {
    problems.push({
      path: 'conditions',
      message: `a rule holds at most ${RULE_LIMITS.conditions} conditions, nested ones included (this one has ${total})`,
    });
  }
  if (rule.trigger !== 'incidentUpdated') {
    for (const path of changeConditionPaths(rule.conditions, 'conditions')) {
      problems.push({
        path,
        message: 'change conditions (propertyChanged, propertyArrayChanged) apply only to the incidentUpdated trigger',
      });
    }
  }
  if (rule.trigger === 'alertCreated') {
    rule.actions.forEach((action, i) => {
      if (action.type !== 'runPlaybook')
        problems.push({ path: `actions[${i}].type`, message: 'rules on alertCreated can only run playbooks (as in Sentinel)' });
    });
  }
  if (problems.length > 0)
    throw new InputError(`Invalid automation rule: ${problems[0]!.path} ${problems[0]!.message}`, problems);
}
