import { useState } from 'react';
import { useDeleteGroup, useGroupMembership, type Group } from '../../api/groups.js';
import { useUserPage } from '../../api/users.js';
import { ErrorNotice } from '../../ui/feedback.js';
import { formatTime } from '../../ui/format.js';
import { TypeAhead } from '../../ui/TypeAhead.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { GroupDialog } from './GroupDialog.js';

/** One group: its members (add with a type-ahead, remove with ✕), rename and delete. */
export function GroupCard({ group }: { group: Group }) {
  const [query, setQuery] = useState('');
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const users = useUserPage({ q: query });
  const membership = useGroupMembership();
  const remove = useDeleteGroup();
  const memberIds = new Set(group.members.map((m) => m.id));
  const suggestions = (users.data?.items ?? [])
    .filter((u) => !u.disabled && !memberIds.has(u.id))
    .slice(0, 10)
    .map((u) => ({ key: u.id, label: u.displayName, hint: u.email, value: u.id }));
  return (
    <section className="card stack" aria-label={`Group ${group.name}`}>
      <div className="row">
        <h2 style={{ margin: 0 }}>{group.name}</h2>
        <span className="muted">
          {group.members.length} {group.members.length === 1 ? 'member' : 'members'} · created {formatTime(group.createdAt)}
        </span>
        <span className="spacer" />
        <button type="button" className="small" onClick={() => setRenaming(true)}>
          Rename
        </button>
        <button type="button" className="small danger" onClick={() => setDeleting(true)}>
          Delete
        </button>
      </div>
      {group.description && <p style={{ margin: 0 }}>{group.description}</p>}
      <div className="chips row wrap" aria-label={`Members of ${group.name}`}>
        {group.members.length === 0 && <span className="muted">No members yet: add users below.</span>}
        {group.members.map((m) => (
          <span key={m.id} className="chip" title={m.email}>
            {m.displayName}
            <button
              type="button"
              aria-label={`Remove ${m.displayName} from ${group.name}`}
              disabled={membership.isPending}
              onClick={() => membership.mutate({ group: group.id, user: m.id, add: false })}
            >
              ✕
            </button>
          </span>
        ))}
      </div>
      <div style={{ maxWidth: 420 }}>
        <TypeAhead
          label={`Add a user to ${group.name}`}
          query={query}
          onQueryChange={setQuery}
          suggestions={suggestions}
          loading={users.isFetching}
          placeholder="Add a user: type a name or email…"
          onPick={(user) => {
            setQuery('');
            membership.mutate({ group: group.id, user, add: true });
          }}
        />
      </div>
      <ErrorNotice error={membership.error} what="group" />
      {renaming && <GroupDialog group={group} onClose={() => setRenaming(false)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${group.name}?`}
          confirmLabel="Delete group"
          pending={remove.isPending}
          error={remove.error}
          onClose={() => setDeleting(false)}
          onConfirm={() => remove.mutate(group, { onSuccess: () => setDeleting(false) })}
        >
          The group’s roles in every workspace go with it, and its {group.members.length} members lose what the group gave them.
          Incidents it owns become unassigned.
        </ConfirmDialog>
      )}
    </section>
  );
}
