import type { ApiErrorDetail } from '../api/client.js';
import type { Condition, Trigger } from '../api/automation-rules.js';
import { conditionPathText, countConditions, problemsAt, updateCondition, type ConditionPath } from './draft.js';
import { ARRAY_LABELS, ITEM_PROPERTIES, LIMITS, type PropertyName } from './labels.js';
import { ArrayChangedConditionFields, ChangedConditionFields, PropertyConditionFields } from './ConditionRow.js';

const NEW_CONDITIONS = {
  property: (): Condition => ({ type: 'property', property: 'IncidentSeverity', operator: 'Equals', values: [] }),
  group: (): Condition => ({
    type: 'boolean',
    operator: 'Or',
    conditions: [NEW_CONDITIONS.property(), NEW_CONDITIONS.property()],
  }),
  changed: (): Condition => ({ type: 'propertyChanged', property: 'IncidentSeverity', change: 'Changed' }),
  added: (): Condition => ({ type: 'propertyArrayChanged', array: 'Alerts', change: 'Added' }),
  updatedBy: (): Condition => ({ type: 'property', property: 'IncidentUpdatedBySource', operator: 'Equals', values: [] }),
  items: (): Condition => ({
    type: 'propertyArray',
    array: 'CustomDetails',
    match: 'AnyItem',
    conditions: [{ type: 'property', property: 'IncidentCustomDetailsKey', operator: 'Equals', values: [] }],
  }),
};

/** The problems reported for one condition, shown under it. */
function Problems({ problems }: { problems: ApiErrorDetail[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="row-problems" role="alert">
      {problems.map((p, i) => (
        <li key={i}>{p.message}</li>
      ))}
    </ul>
  );
}

interface ListProps {
  conditions: Condition[];
  path: ConditionPath;
  trigger: Trigger;
  problems: ApiErrorDetail[];
  disabled: boolean;
  onChange: (path: ConditionPath, update: (c: Condition) => Condition | null) => void;
  onAdd: (path: ConditionPath, condition: Condition) => void;
  only?: readonly PropertyName[];
}

/** A condition's name for labels: "Condition 2", "Condition 2.1" inside a group. */
const nameOf = (path: ConditionPath) => `Condition ${path.map((i) => i + 1).join('.')}`;

function ConditionItem({ condition, path, ...props }: ListProps & { condition: Condition }) {
  const name = nameOf(path);
  const apiPath = conditionPathText(path);
  const mine = problemsAt(props.problems, apiPath);
  const set = (next: Condition) => props.onChange(path, () => next);
  const remove = (
    <button
      type="button"
      className="small remove"
      aria-label={`Remove ${name}`}
      disabled={props.disabled}
      onClick={() => props.onChange(path, () => null)}
    >
      ✕
    </button>
  );
  if (condition.type === 'boolean' || condition.type === 'propertyArray') {
    const count = condition.conditions.length;
    const isGroup = condition.type === 'boolean';
    const tooFew = isGroup ? count < LIMITS.groupMin : count < 1;
    return (
      <li className={`condition-group${mine.length ? ' has-problem' : ''}`} aria-label={name}>
        <div className="row wrap">
          {isGroup ? (
            <select
              aria-label={`${name} group operator`}
              value={condition.operator}
              onChange={(e) => set({ ...condition, operator: e.target.value as 'And' | 'Or' })}
            >
              <option value="And">All of (AND)</option>
              <option value="Or">Any of (OR)</option>
            </select>
          ) : (
            <>
              <select
                aria-label={`${name} match`}
                value={condition.match}
                onChange={(e) => set({ ...condition, match: e.target.value as 'AnyItem' | 'AllItems' })}
              >
                <option value="AnyItem">Any item of</option>
                <option value="AllItems">Every item of</option>
              </select>
              <select
                aria-label={`${name} list`}
                value={condition.array}
                onChange={(e) => {
                  const array = e.target.value as keyof typeof ARRAY_LABELS;
                  const first = ITEM_PROPERTIES[array][0]!;
                  set({
                    ...condition,
                    array,
                    conditions: [{ type: 'property', property: first, operator: 'Equals', values: [] }],
                  });
                }}
              >
                {Object.entries(ARRAY_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
              <span className="muted">matches all of:</span>
            </>
          )}
          <span className={`muted small-text${tooFew || count > LIMITS.groupMax ? ' warn-text' : ''}`}>
            {count} of {isGroup ? `${LIMITS.groupMin}–${LIMITS.groupMax}` : `1–${LIMITS.groupMax}`} conditions
          </span>
          <span className="spacer" />
          {remove}
        </div>
        <Problems problems={mine} />
        <ConditionList
          {...props}
          conditions={condition.conditions}
          path={path}
          only={isGroup ? props.only : ITEM_PROPERTIES[condition.array]}
          nested
          canAddGroup={isGroup}
          full={count >= LIMITS.groupMax}
        />
      </li>
    );
  }
  const invalidValues = problemsAt(props.problems, `${apiPath}.values`).length > 0;
  return (
    <li className={`condition${mine.length ? ' has-problem' : ''}`} aria-label={name}>
      <div className="row wrap condition-fields">
        {condition.type === 'property' && (
          <PropertyConditionFields
            name={name}
            condition={condition}
            onChange={set}
            invalidValues={invalidValues}
            only={props.only}
          />
        )}
        {condition.type === 'propertyChanged' && (
          <ChangedConditionFields name={name} condition={condition} onChange={set} invalidValues={invalidValues} />
        )}
        {condition.type === 'propertyArrayChanged' && (
          <ArrayChangedConditionFields name={name} condition={condition} onChange={set} />
        )}
        {remove}
      </div>
      <Problems problems={mine} />
    </li>
  );
}

/** A list of conditions (the rule's, or a group's) with its "add" buttons. */
function ConditionList({
  nested = false,
  canAddGroup = true,
  full = false,
  ...props
}: ListProps & { nested?: boolean; canAddGroup?: boolean; full?: boolean }) {
  const { conditions, path, trigger, disabled, only } = props;
  const push = (make: () => Condition) => props.onAdd(path, make());
  const onUpdated = trigger === 'incidentUpdated' && !nested;
  const item =
    only && only[0] ? () => ({ ...NEW_CONDITIONS.property(), property: only[0]! }) as Condition : NEW_CONDITIONS.property;
  return (
    <div className={nested ? 'condition-list nested' : 'condition-list'}>
      {conditions.length > 0 && (
        <ol>
          {conditions.map((condition, index) => (
            <ConditionItem key={index} {...props} condition={condition} path={[...path, index]} />
          ))}
        </ol>
      )}
      <div className="row wrap add-row">
        <button type="button" className="small" disabled={disabled || full} onClick={() => push(item)}>
          + Condition
        </button>
        {canAddGroup && !only && (
          <button type="button" className="small" disabled={disabled || full} onClick={() => push(NEW_CONDITIONS.group)}>
            + AND/OR group
          </button>
        )}
        {!nested && (
          <button type="button" className="small" disabled={disabled} onClick={() => push(NEW_CONDITIONS.items)}>
            + Custom details / tags item condition
          </button>
        )}
        {onUpdated && (
          <>
            <button type="button" className="small" disabled={disabled} onClick={() => push(NEW_CONDITIONS.changed)}>
              + Changed (severity, status, owner)
            </button>
            <button type="button" className="small" disabled={disabled} onClick={() => push(NEW_CONDITIONS.added)}>
              + Added (alerts, tags, tactics, comments)
            </button>
            <button type="button" className="small" disabled={disabled} onClick={() => push(NEW_CONDITIONS.updatedBy)}>
              + Updated by
            </button>
          </>
        )}
      </div>
    </div>
  );
}

/** The rule's conditions: rows ANDed together, nestable AND/OR groups, the 50-condition limit shown. */
export function ConditionBuilder({
  conditions,
  trigger,
  problems,
  disabled,
  onChange,
}: {
  conditions: Condition[];
  trigger: Trigger;
  problems: ApiErrorDetail[];
  disabled: boolean;
  onChange: (conditions: Condition[]) => void;
}) {
  const total = countConditions(conditions);
  const change = (path: ConditionPath, update: (c: Condition) => Condition | null) =>
    onChange(updateCondition(conditions, path, update));
  const add = (path: ConditionPath, condition: Condition) =>
    path.length === 0
      ? onChange([...conditions, condition])
      : change(path, (c) =>
          c.type === 'boolean' || c.type === 'propertyArray' ? { ...c, conditions: [...c.conditions, condition] } : c,
        );
  const topProblems = problems.filter((p) => p.path === 'conditions');
  return (
    <div className="condition-builder">
      <p className="muted small-text">
        All conditions must hold (AND); use a group for "any of" (OR). {total} of {LIMITS.conditions} conditions used, nested ones
        included.
        {trigger !== 'incidentUpdated' && ' "Changed" and "added" conditions apply to the "incident is updated" trigger only.'}
      </p>
      {total > LIMITS.conditions && <p className="field-error">A rule holds at most {LIMITS.conditions} conditions.</p>}
      <Problems problems={topProblems} />
      {conditions.length === 0 && <p className="muted">No conditions: the rule applies to every incident in its scope.</p>}
      <ConditionList
        conditions={conditions}
        path={[]}
        trigger={trigger}
        problems={problems}
        disabled={disabled}
        onChange={change}
        onAdd={add}
        full={total >= LIMITS.conditions}
      />
    </div>
  );
}
