import { useState } from 'react';
import { useMemberSearch } from '../api/members.js';
import type { OwnerInput } from '../api/types.js';
import { TypeAhead, type Suggestion } from '../ui/TypeAhead.js';

/** The owner to set: a member, or null to unassign. */
export interface OwnerChoice {
  owner: OwnerInput | null;
  label: string;
}

/** Owner type-ahead over the workspace's users and groups, with "Unassign" first. */
export function OwnerPicker({
  workspace,
  value,
  onChange,
}: {
  workspace: string;
  value: OwnerChoice | undefined;
  onChange: (value: OwnerChoice | undefined) => void;
}) {
  const [query, setQuery] = useState('');
  const members = useMemberSearch(workspace, query);
  const suggestions: Suggestion<OwnerChoice>[] = [
    ...('unassign'.startsWith(query.trim().toLowerCase())
      ? [{ key: 'none', label: 'Unassign', hint: 'no owner', value: { owner: null, label: 'Unassigned' } }]
      : []),
    ...(members.data?.items ?? []).map((m) => ({
      key: `${m.type}:${m.id}`,
      label: m.type === 'group' ? `${m.name} (group)` : m.name,
      hint: m.email ?? undefined,
      value: { owner: { type: m.type, id: m.id }, label: m.type === 'group' ? `${m.name} (group)` : m.name },
    })),
  ];
  if (value) {
    return (
      <div className="row">
        <span className="chip chosen">{value.label}</span>
        <button type="button" className="link" onClick={() => onChange(undefined)}>
          Change
        </button>
      </div>
    );
  }
  return (
    <TypeAhead
      label="Owner"
      placeholder="Don't change — type a name, email or group"
      query={query}
      onQueryChange={setQuery}
      suggestions={suggestions}
      loading={members.isFetching}
      onPick={(choice) => {
        onChange(choice);
        setQuery('');
      }}
    />
  );
}
