import { useState, type ReactNode } from 'react';
import { useMemberSearch } from '../api/members.js';
import { TypeAhead, type Suggestion } from '../ui/TypeAhead.js';
import { Chips, FilterMenu, summarize } from './FilterMenu.js';

const FIXED: Record<string, string> = { unassigned: 'Unassigned', me: 'Me' };

interface OwnerFilterProps {
  selected: string[];
  onChange: (selected: string[]) => void;
}

/** Owner filter in a workspace: Unassigned, Me, and people or groups by type-ahead (users by email, groups by id). */
export function WorkspaceOwnerFilter({ workspace, selected, onChange }: OwnerFilterProps & { workspace: string }) {
  const [query, setQuery] = useState('');
  const all = useMemberSearch(workspace, '');
  const members = useMemberSearch(workspace, query);
  const known = all.data?.items ?? [];
  const label = (value: string) =>
    FIXED[value] ?? known.find((m) => m.id === value || m.email?.toLowerCase() === value.toLowerCase())?.name ?? value;
  const suggestions: Suggestion<string>[] = (members.data?.items ?? [])
    .map((m) => ({
      key: `${m.type}:${m.id}`,
      label: m.type === 'group' ? `${m.name} (group)` : m.name,
      hint: m.email ?? undefined,
      value: m.type === 'user' && m.email ? m.email : m.id,
    }))
    .filter((s) => !selected.includes(s.value));
  return (
    <OwnerFilterView selected={selected} onChange={onChange} label={label}>
      <TypeAhead
        label="Find an owner"
        placeholder="Name or email"
        query={query}
        onQueryChange={setQuery}
        suggestions={suggestions}
        loading={members.isFetching}
        onPick={(value) => {
          onChange([...selected, value]);
          setQuery('');
        }}
      />
    </OwnerFilterView>
  );
}

/** Owner filter across workspaces: Unassigned, Me, and owners typed by email. */
export function GlobalOwnerFilter({ selected, onChange }: OwnerFilterProps) {
  const [query, setQuery] = useState('');
  const typed = query.trim();
  const suggestions =
    typed.includes('@') && !selected.includes(typed) ? [{ key: typed, label: `Owner ${typed}`, value: typed }] : [];
  return (
    <OwnerFilterView selected={selected} onChange={onChange} label={(v) => FIXED[v] ?? v}>
      <TypeAhead
        label="Find an owner"
        placeholder="Email address"
        query={query}
        onQueryChange={setQuery}
        suggestions={suggestions}
        onPick={(value) => {
          onChange([...selected, value]);
          setQuery('');
        }}
      />
    </OwnerFilterView>
  );
}

function OwnerFilterView({
  selected,
  onChange,
  label,
  children,
}: OwnerFilterProps & { label: (value: string) => string; children: ReactNode }) {
  const toggle = (value: string, on: boolean) => onChange(on ? [...selected, value] : selected.filter((v) => v !== value));
  return (
    <FilterMenu label="Owner" summary={summarize(selected, label)} active={selected.length > 0}>
      <div className="checkbox-list">
        {Object.entries(FIXED).map(([value, text]) => (
          <label key={value} className="check">
            <input type="checkbox" checked={selected.includes(value)} onChange={(e) => toggle(value, e.target.checked)} />
            {text}
          </label>
        ))}
      </div>
      <Chips values={selected.filter((v) => !(v in FIXED))} label={label} onRemove={(v) => toggle(v, false)} />
      {children}
    </FilterMenu>
  );
}
