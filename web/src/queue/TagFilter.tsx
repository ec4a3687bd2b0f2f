import { useState, type ReactNode } from 'react';
import { useTagSuggestions } from '../api/incidents.js';
import { TypeAhead, type Suggestion } from '../ui/TypeAhead.js';
import { Chips, FilterMenu, summarize } from './FilterMenu.js';

interface ListFilterProps {
  selected: string[];
  onChange: (selected: string[]) => void;
}

/** The typed text as a suggestion, unless a suggestion or a chosen value already has it. */
function typedSuggestion(typed: string, others: Suggestion<string>[], selected: string[], label: string) {
  const lower = typed.toLowerCase();
  if (!typed || others.some((s) => s.value.toLowerCase() === lower) || selected.some((v) => v.toLowerCase() === lower)) return [];
  return [{ key: `typed:${typed}`, label, value: typed }];
}

/** Tag filter in a workspace: incidents with any of the chosen tags; type-ahead over the tags in use. */
export function WorkspaceTagFilter({ workspace, selected, onChange }: ListFilterProps & { workspace: string }) {
  const [query, setQuery] = useState('');
  const typed = query.trim();
  const tags = useTagSuggestions(workspace, typed);
  const inUse: Suggestion<string>[] = (tags.data?.items ?? [])
    .filter((t) => !selected.some((v) => v.toLowerCase() === t.tag.toLowerCase()))
    .map((t) => ({ key: t.tag, label: t.tag, hint: `${t.count} incident${t.count === 1 ? '' : 's'}`, value: t.tag }));
  return (
    <TagFilterView selected={selected} onChange={onChange}>
      <TypeAhead
        label="Find a tag"
        placeholder="Tag"
        query={query}
        onQueryChange={setQuery}
        suggestions={[...inUse, ...typedSuggestion(typed, inUse, selected, `Tag "${typed}"`)]}
        loading={tags.isFetching}
        onPick={(value) => {
          onChange([...selected, value]);
          setQuery('');
        }}
      />
    </TagFilterView>
  );
}

/** Tag filter across workspaces: tags typed by hand. */
export function GlobalTagFilter({ selected, onChange }: ListFilterProps) {
  const [query, setQuery] = useState('');
  const typed = query.trim();
  return (
    <TagFilterView selected={selected} onChange={onChange}>
      <TypeAhead
        label="Find a tag"
        placeholder="Tag"
        query={query}
        onQueryChange={setQuery}
        suggestions={typedSuggestion(typed, [], selected, `Tag "${typed}"`)}
        onPick={(value) => {
          onChange([...selected, value]);
          setQuery('');
        }}
      />
    </TagFilterView>
  );
}

function TagFilterView({ selected, onChange, children }: ListFilterProps & { children: ReactNode }) {
  return (
    <FilterMenu label="Tags" summary={summarize(selected)} active={selected.length > 0}>
      <Chips values={selected} label={(v) => v} onRemove={(v) => onChange(selected.filter((s) => s !== v))} />
      {children}
    </FilterMenu>
  );
}

/** Product filter: incidents with an alert from any of the typed product names. */
export function ProductFilter({ selected, onChange }: ListFilterProps) {
  const [text, setText] = useState('');
  const add = () => {
    const value = text.trim();
    if (value && !selected.includes(value)) onChange([...selected, value]);
    setText('');
  };
  return (
    <FilterMenu label="Product" summary={summarize(selected)} active={selected.length > 0} wide>
      <Chips values={selected} label={(v) => v} onRemove={(v) => onChange(selected.filter((s) => s !== v))} />
      <div className="row">
        <input
          aria-label="Product name"
          placeholder="e.g. Microsoft Defender for Endpoint"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="small" onClick={add} disabled={!text.trim()}>
          Add
        </button>
      </div>
      <span className="muted hint">The product name as the alerts give it; press Enter to add.</span>
    </FilterMenu>
  );
}
