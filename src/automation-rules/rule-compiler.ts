import type { FieldChange } from '../activity/index.js';
import { PROPERTIES, type Operator, type PropertyName } from './rule-properties.js';
import type { Condition } from './rule-schemas.js';
import type { RuleSubject, RuleUpdate } from './rule-subject.js';

/** The item an array condition is looking at (a custom detail, one of its values, a label). */
interface Item {
  key?: string;
  values?: string[];
  label?: string;
}

/** What a compiled condition is evaluated against. */
export interface EvaluationContext {
  subject: RuleSubject;
  update?: RuleUpdate;
  item?: Item;
}

/** A compiled condition: a plain function, so evaluating 50 rules costs microseconds. */
export type Predicate = (context: EvaluationContext) => boolean;

/** What the compiled conditions read, so the runner loads only what is needed. */
export interface Needs {
  entities: boolean;
  customDetails: boolean;
  alertTitles: boolean;
}

const MATCHERS: Record<string, (item: string, value: string) => boolean> = {
  Equals: (item, value) => item === value,
  Contains: (item, value) => item.includes(value),
  StartsWith: (item, value) => item.startsWith(value),
  EndsWith: (item, value) => item.endsWith(value),
};

/**
 * Sentinel's operators on lists: the positive ones hold when any item matches any value
 * ("equals any of the values"); the Not… ones when none does ("equals none"), so they hold for an
 * empty list.
 */
export function compileOperator(operator: Operator, values: string[]): (items: string[]) => boolean {
  const negated = operator.startsWith('Not');
  const match = MATCHERS[negated ? operator.slice(3) : operator]!;
  const wanted = values.map((v) => v.toLowerCase());
  return (items) => {
    for (const item of items) {
      for (const value of wanted) if (match(item, value)) return !negated;
    }
    return negated;
  };
}

function reader(property: PropertyName, needs: Needs): (context: EvaluationContext) => string[] {
  const source = PROPERTIES[property];
  if (source.from === 'entity') {
    needs.entities = true;
    const key = `${source.kind}.${source.property}`;
    return ({ subject }) => subject.entityValues(key, source.kind, source.property);
  }
  switch (source.field) {
    case 'customDetailKeys':
      needs.customDetails = true;
      return ({ subject, item }) => (item?.key !== undefined ? [item.key] : subject.customDetailKeys);
    case 'customDetailValues':
      needs.customDetails = true;
      return ({ subject, item }) => (item?.values !== undefined ? item.values : subject.customDetailValues);
    case 'labels':
      return ({ subject, item }) => (item?.label !== undefined ? [item.label] : subject.labels);
    case 'alertTitles':
      needs.alertTitles = true;
      return ({ subject }) => subject.alertTitles;
    default: {
      const field = source.field;
      return ({ subject }) => subject[field];
    }
  }
}

const CHANGE_FIELDS = { IncidentSeverity: 'severity', IncidentStatus: 'status', IncidentOwner: 'owner' } as const;

function changeValues(field: string, value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (field === 'owner') {
    const owner = value as { id?: string; name?: string; email?: string | null };
    return [owner.id, owner.name, owner.email].filter((v): v is string => Boolean(v)).map((v) => v.toLowerCase());
  }
  return [String(value).toLowerCase()];
}

function added(change: FieldChange | undefined): boolean {
  if (!change) return false;
  const from = new Set((Array.isArray(change.from) ? change.from : []).map((v) => String(v).toLowerCase()));
  const to = Array.isArray(change.to) ? change.to : [];
  return to.some((v) => !from.has(String(v).toLowerCase()));
}

function compileOne(condition: Condition, needs: Needs): Predicate {
  switch (condition.type) {
    case 'property': {
      const read = reader(condition.property, needs);
      const test = compileOperator(condition.operator, condition.values);
      return (context) => test(read(context));
    }
    case 'boolean': {
      const inner = condition.conditions.map((c) => compileOne(c, needs));
      return condition.operator === 'And'
        ? (context) => inner.every((p) => p(context))
        : (context) => inner.some((p) => p(context));
    }
    case 'propertyArray': {
      const inner = condition.conditions.map((c) => compileOne(c, needs));
      if (condition.array !== 'IncidentLabels') needs.customDetails = true;
      const items = (subject: RuleSubject): Item[] =>
        condition.array === 'CustomDetails'
          ? subject.customDetails.map((d) => ({ key: d.key, values: d.values }))
          : condition.array === 'CustomDetailValues'
            ? subject.customDetailValues.map((v) => ({ values: [v] }))
            : subject.labels.map((label) => ({ label }));
      const matches = (context: EvaluationContext, item: Item) => inner.every((p) => p({ ...context, item }));
      return condition.match === 'AnyItem'
        ? (context) => items(context.subject).some((item) => matches(context, item))
        : (context) => {
            const list = items(context.subject);
            return list.length > 0 && list.every((item) => matches(context, item));
          };
    }
    case 'propertyChanged': {
      const field = CHANGE_FIELDS[condition.property];
      const test = condition.operator && condition.values ? compileOperator(condition.operator, condition.values) : () => true;
      return ({ update }) => {
        const change = update?.changes.find((c) => c.field === field);
        if (!change) return false;
        if (condition.change === 'Changed') return true;
        return test(changeValues(field, condition.change === 'ChangedFrom' ? change.from : change.to));
      };
    }
    case 'propertyArrayChanged':
      switch (condition.array) {
        case 'Alerts':
          return ({ update }) => {
            const change = update?.changes.find((c) => c.field === 'alerts');
            return Array.isArray(change?.to) && change.to.length > 0;
          };
        case 'Labels':
          return ({ update }) =>
            added(update?.changes.find((c) => c.field === 'tags')) ||
            added(update?.changes.find((c) => c.field === 'systemTags'));
        case 'Tactics':
          return ({ update }) => added(update?.changes.find((c) => c.field === 'tactics'));
        case 'Comments':
          return ({ update }) => update?.action === 'commentAdded';
      }
  }
}

/** Compiles a rule's conditions (ANDed at the top level, as in Sentinel) into one predicate. */
export function compileConditions(conditions: Condition[]): { test: Predicate; needs: Needs } {
  const needs: Needs = { entities: false, customDetails: false, alertTitles: false };
  const predicates = conditions.map((c) => compileOne(c, needs));
  const test: Predicate = (context) => {
    for (const predicate of predicates) if (!predicate(context)) return false;
    return true;
  };
  return { test, needs };
}

/** Counts every condition of a rule, nested ones included (Sentinel allows 50). */
export function countConditions(conditions: Condition[]): number {
  return conditions.reduce(
    (n, c) => n + 1 + (c.type === 'boolean' || c.type === 'propertyArray' ? countConditions(c.conditions) : 0),
    0,
  );
}
