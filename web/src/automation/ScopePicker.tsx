import { useState } from 'react';
import { useAnalyticsRuleMatches } from '../api/analytics-rules.js';
import { ErrorNotice, Loading } from '../ui/feedback.js';

/** Which analytics rules a rule applies to: all of them, or those picked by name. */
export function ScopePicker({
  workspace,
  value,
  disabled,
  onChange,
}: {
  workspace: string;
  value: string[] | null;
  disabled: boolean;
  onChange: (ids: string[] | null) => void;
}) {
  const [filter, setFilter] = useState('');
  const rules = useAnalyticsRuleMatches(workspace, filter);
  const { items } = rules;
  const chosen = value ?? [];
  const toggle = (id: string, on: boolean) => onChange(on ? [...chosen, id] : chosen.filter((x) => x !== id));
  return (
    <fieldset className="scope-picker" disabled={disabled}>
      <legend>Analytics rules</legend>
      <div className="row wrap">
        <label className="row">
          <input type="radio" name="scope" checked={value === null} onChange={() => onChange(null)} /> All analytics rules
        </label>
        <label className="row">
          <input type="radio" name="scope" checked={value !== null} onChange={() => onChange(value ?? [])} /> Only these:
        </label>
      </div>
      {value !== null && (
        <div className="stack scope-list">
          <input
            aria-label="Filter analytics rules"
            placeholder="Filter by name…"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          {rules.isPending && <Loading />}
          <ErrorNotice error={rules.error} onRetry={() => void rules.all.refetch()} />
          {rules.all.data && rules.all.data.items.length === 0 && (
            <p className="muted">
              No analytics rules yet: they appear when alerts name them, or under Settings → Analytics rules.
            </p>
          )}
          <ul>
            {items.map((r) => (
              <li key={r.id}>
                <label className="row">
                  <input type="checkbox" checked={chosen.includes(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} />
                  {r.name}
                </label>
              </li>
            ))}
          </ul>
          {value.length === 0 && (
            <p className="field-error">Pick at least one analytics rule, or choose "All analytics rules".</p>
          )}
        </div>
      )}
    </fieldset>
  );
}
