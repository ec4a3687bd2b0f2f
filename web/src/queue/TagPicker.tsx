import { useState } from 'react';
import { useTagSuggestions } from '../api/incidents.js';
import { TypeAhead, type Suggestion } from '../ui/TypeAhead.js';
import { Chips } from './FilterMenu.js';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Tags to add or remove: chips and a type-ahead over the workspace's tags in use (plus `extra`,
 * e.g. the selected incidents' own tags). With `allowNew`, the typed text is offered as
 * "(Create new) text".
 */
export function TagPicker({
  workspace,
  label,
  values,
  onChange,
  allowNew,
  extra = [],
}: {
  workspace: string;
  label: string;
  values: string[];
  onChange: (values: string[]) => void;
  allowNew: boolean;
  extra?: string[];
}) {
  const [query, setQuery] = useState('');
  const typed = query.trim();
  const tags = useTagSuggestions(workspace, typed);
  const known = [
    ...extra.filter((t) => t.toLowerCase().startsWith(typed.toLowerCase())),
    ...(tags.data?.items ?? []).map((t) => t.tag),
  ].filter((t, i, all) => all.findIndex((o) => same(o, t)) === i && !values.some((v) => same(v, t)));
  const suggestions: Suggestion<string>[] = known.map((tag) => ({ key: tag, label: tag, value: tag }));
  if (allowNew && typed && !known.some((t) => same(t, typed)) && !values.some((v) => same(v, typed))) {
    suggestions.push({ key: `new:${typed}`, label: `(Create new) ${typed}`, value: typed });
  }
  return (
    <div className="stack tight">
      <TypeAhead
        label={label}
        placeholder="Type a tag"
        query={query}
        onQueryChange={setQuery}
        suggestions={suggestions}
        loading={tags.isFetching}
        onPick={(tag) => {
          onChange([...values, tag]);
          setQuery('');
        }}
      />
      <Chips values={values} label={(v) => v} onRemove={(tag) => onChange(values.filter((v) => v !== tag))} />
    </div>
  );
}
