import type { Condition } from '../api/automation-rules.js';
import {
  ARRAY_CHANGED_LABELS,
  CHANGED_LABELS,
  knownValues,
  OPERATOR_LABELS,
  OPERATORS,
  PROPERTY_GROUPS,
  propertyLabel,
  type Operator,
  type PropertyName,
} from './labels.js';
import { ValuesInput } from './ValuesInput.js';

type PropertyCondition = Extract<Condition, { type: 'property' }>;
type ChangedCondition = Extract<Condition, { type: 'propertyChanged' }>;
type ArrayChangedCondition = Extract<Condition, { type: 'propertyArrayChanged' }>;

/** The operator picker, shared by property and "changed from/to" conditions. */
function OperatorSelect({ label, value, onChange }: { label: string; value: Operator; onChange: (op: Operator) => void }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as Operator)}>
      {OPERATORS.map((op) => (
        <option key={op} value={op}>
          {OPERATOR_LABELS[op]}
        </option>
      ))}
    </select>
  );
}

/** A property condition: property, operator, values. `only` limits the properties (item conditions). */
export function PropertyConditionFields({
  name,
  condition,
  onChange,
  invalidValues,
  only,
}: {
  name: string;
  condition: PropertyCondition;
  onChange: (c: Condition) => void;
  invalidValues: boolean;
  only?: readonly PropertyName[];
}) {
  const groups = only ? [{ label: 'Item properties', names: [...only] }] : PROPERTY_GROUPS;
  return (
    <>
      <select
        aria-label={`${name} property`}
        value={condition.property}
        onChange={(e) => onChange({ ...condition, property: e.target.value as PropertyName })}
      >
        {groups.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.names.map((n) => (
              <option key={n} value={n}>
                {propertyLabel(n)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <OperatorSelect
        label={`${name} operator`}
        value={condition.operator}
        onChange={(operator) => onChange({ ...condition, operator })}
      />
      <ValuesInput
        label={`${name} values`}
        values={condition.values}
        suggestions={knownValues(condition.property)}
        invalid={invalidValues}
        onChange={(values) => onChange({ ...condition, values })}
      />
    </>
  );
}

/** "Severity changed / changed from / changed to …" (updated trigger only). */
export function ChangedConditionFields({
  name,
  condition,
  onChange,
  invalidValues,
}: {
  name: string;
  condition: ChangedCondition;
  onChange: (c: Condition) => void;
  invalidValues: boolean;
}) {
  const withValues = condition.change !== 'Changed';
  return (
    <>
      <select
        aria-label={`${name} changed property`}
        value={condition.property}
        onChange={(e) => onChange({ ...condition, property: e.target.value as ChangedCondition['property'] })}
      >
        {Object.entries(CHANGED_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <select
        aria-label={`${name} change`}
        value={condition.change}
        onChange={(e) => {
          const change = e.target.value as ChangedCondition['change'];
          onChange(
            change === 'Changed'
              ? { type: 'propertyChanged', property: condition.property, change }
              : { ...condition, change, operator: condition.operator ?? 'Equals', values: condition.values ?? [] },
          );
        }}
      >
        <option value="Changed">changed</option>
        <option value="ChangedFrom">changed from</option>
        <option value="ChangedTo">changed to</option>
      </select>
      {withValues && (
        <>
          <OperatorSelect
            label={`${name} operator`}
            value={condition.operator ?? 'Equals'}
            onChange={(operator) => onChange({ ...condition, operator })}
          />
          <ValuesInput
            label={`${name} values`}
            values={condition.values ?? []}
            suggestions={knownValues(condition.property)}
            invalid={invalidValues}
            onChange={(values) => onChange({ ...condition, values })}
          />
        </>
      )}
    </>
  );
}

/** "Alerts / tags / tactics / comments added" (updated trigger only). */
export function ArrayChangedConditionFields({
  name,
  condition,
  onChange,
}: {
  name: string;
  condition: ArrayChangedCondition;
  onChange: (c: Condition) => void;
}) {
  return (
    <>
      <select
        aria-label={`${name} added`}
        value={condition.array}
        onChange={(e) => onChange({ ...condition, array: e.target.value as ArrayChangedCondition['array'] })}
      >
        {Object.entries(ARRAY_CHANGED_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <span className="muted">added</span>
    </>
  );
}
