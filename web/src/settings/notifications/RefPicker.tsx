import { useState } from 'react';
import { TypeAhead, type Suggestion } from '../../ui/TypeAhead.js';
import type { PickedRef } from './rule-draft.js';

/** A list of picked users, groups or rules: chips with ✕, and a type-ahead to add more (`useSearch` is a hook, called every render). */
export function RefPicker({
  label,
  values,
  onChange,
  useSearch,
  error,
  placeholder,
}: {
  label: string;
  values: PickedRef[];
  onChange: (values: PickedRef[]) => void;
  useSearch: (query: string) => { items: PickedRef[]; loading: boolean };
  error?: string;
  placeholder?: string;
}) {
  const [query, setQuery] = useState('');
  const found = useSearch(query);
  const taken = new Set(values.map((v) => v.id));
  const suggestions: Suggestion<PickedRef>[] = found.items
    .filter((item) => !taken.has(item.id))
    .slice(0, 12)
    .map((item) => ({ key: item.id, label: item.name, hint: item.email, value: item }));
  return (
    <div className="list-input">
      <span style={{ fontWeight: 500 }} aria-hidden="true">
        {label}
      </span>
      <TypeAhead
        label={label}
        query={query}
        onQueryChange={setQuery}
        suggestions={suggestions}
        loading={found.loading}
        placeholder={placeholder}
        onPick={(item) => {
          onChange([...values, item]);
          setQuery('');
        }}
      />
      {values.length > 0 && (
        <div className="chips" aria-label={label}>
          {values.map((v) => (
            <span key={v.id} className="chip" title={v.email}>
              {v.name}
              <button type="button" aria-label={`Remove ${v.name}`} onClick={() => onChange(values.filter((x) => x.id !== v.id))}>
                ✕
              </button>
            </span>
          ))}
        </div>
      )}
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}
