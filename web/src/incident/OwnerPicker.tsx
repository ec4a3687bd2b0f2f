import { useEffect, useRef, useState } from 'react';
import { useMemberSearch, type Member } from '../api/members.js';
import type { Incident, OwnerInput } from '../api/types.js';
import { TypeAhead } from '../ui/TypeAhead.js';
import { ownerLabel } from '../ui/format.js';

/** The owner: a type-ahead over the workspace's members (users and groups), "Assign to me" and Unassign. */
export function OwnerPicker({
  workspace,
  owner,
  me,
  canEdit,
  readOnlyReason,
  onChange,
}: {
  workspace: string;
  owner: Incident['owner'];
  me: { id: string; name: string };
  canEdit: boolean;
  readOnlyReason: string;
  onChange: (owner: OwnerInput | null) => void;
}) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const members = useMemberSearch(workspace, open ? query : '');
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) box.current?.querySelector<HTMLInputElement>('input[role="combobox"]')?.focus();
  }, [open]);
  const pick = (member: Member) => {
    onChange({ type: member.type, id: member.id });
    setOpen(false);
    setQuery('');
  };
  if (!open) {
    return (
      <div className="row">
        <span className={owner ? '' : 'muted'}>{ownerLabel(owner)}</span>
        <button
          type="button"
          className="link"
          onClick={() => setOpen(true)}
          disabled={!canEdit}
          title={canEdit ? undefined : readOnlyReason}
          aria-label="Change owner"
        >
          Change
        </button>
      </div>
    );
  }
  const suggestions = (members.data?.items ?? []).map((member) => ({
    key: `${member.type}:${member.id}`,
    label: member.type === 'group' ? `${member.name} (group)` : member.name,
    hint: member.email ?? undefined,
    value: member,
  }));
  return (
    <div className="owner-picker stack" ref={box}>
      <div className="row wrap">
        {owner?.id !== me.id && (
          <button
            type="button"
            className="small"
            onClick={() => pick({ type: 'user', id: me.id, name: me.name, email: null, roles: [] })}
          >
            Assign to me
          </button>
        )}
        {owner && (
          <button
            type="button"
            className="small"
            onClick={() => {
              onChange(null);
              setOpen(false);
            }}
          >
            Unassign
          </button>
        )}
        <button type="button" className="small" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      <TypeAhead
        label="Owner"
        query={query}
        onQueryChange={setQuery}
        suggestions={suggestions}
        onPick={pick}
        placeholder="Type a name or email"
        loading={members.isFetching}
      />
    </div>
  );
}
