import { useState, type FormEvent } from 'react';
import { useGroups } from '../../api/groups.js';
import type { Role } from '../../api/types.js';
import { useUserPage } from '../../api/users.js';
import { useSetMemberRoles, type PrincipalInput } from '../../api/workspaces.js';
import { fieldError } from '../../ui/errors.js';
import { ErrorNotice, SuccessNotice } from '../../ui/feedback.js';
import { TypeAhead, type Suggestion } from '../../ui/TypeAhead.js';
import { RoleCheckboxes } from './RoleCheckboxes.js';

interface Picked {
  type: 'user' | 'group';
  id: string;
  label: string;
}

/** Administrators pick any user or group from a type-ahead. */
function DirectoryPicker({ picked, onPick }: { picked: Picked | null; onPick: (p: Picked | null) => void }) {
  const [query, setQuery] = useState('');
  const users = useUserPage({ q: query });
  const groups = useGroups();
  const q = query.toLowerCase();
  const suggestions: Suggestion<Picked>[] = [
    ...(users.data?.items ?? [])
      .filter((u) => !u.disabled)
      .slice(0, 10)
      .map((u) => ({
        key: `user:${u.id}`,
        label: u.displayName,
        hint: u.email,
        value: { type: 'user' as const, id: u.id, label: `${u.displayName} <${u.email}>` },
      })),
    ...(groups.data?.items ?? [])
      .filter((g) => g.name.toLowerCase().includes(q))
      .slice(0, 10)
      .map((g) => ({
        key: `group:${g.id}`,
        label: g.name,
        hint: `group · ${g.members.length} members`,
        value: { type: 'group' as const, id: g.id, label: `${g.name} (group)` },
      })),
  ];
  if (picked) {
    return (
      <div className="row">
        <span className="chip">
          {picked.label}
          <button type="button" aria-label={`Clear ${picked.label}`} onClick={() => onPick(null)}>
            ✕
          </button>
        </span>
      </div>
    );
  }
  return (
    <TypeAhead
      label="User or group"
      query={query}
      onQueryChange={setQuery}
      suggestions={suggestions}
      loading={users.isFetching || groups.isFetching}
      placeholder="Type a name or email…"
      onPick={(p) => {
        onPick(p);
        setQuery('');
      }}
    />
  );
}

/** Adds a user or group with roles: administrators pick from the directory, Owners name a user's email or a group's name. */
export function AddMemberForm({ workspace, isAdmin }: { workspace: string; isAdmin: boolean }) {
  const [picked, setPicked] = useState<Picked | null>(null);
  const [kind, setKind] = useState<'user' | 'group'>('user');
  const [text, setText] = useState('');
  const [roles, setRoles] = useState<Role[]>(['Responder']);
  const [added, setAdded] = useState<string | null>(null);
  const setMemberRoles = useSetMemberRoles(workspace);
  const principal: PrincipalInput | null = isAdmin
    ? picked && { type: picked.type, id: picked.id }
    : text.trim()
      ? kind === 'user'
        ? { type: 'user', email: text.trim() }
        : { type: 'group', name: text.trim() }
      : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!principal) return;
    const name = picked?.label ?? text.trim();
    setAdded(null);
    setMemberRoles.mutate(
      { ...principal, roles },
      {
        onSuccess: () => {
          setAdded(`${name} now holds ${roles.join(', ')}.`);
          setPicked(null);
          setText('');
        },
      },
    );
  };
  const textError = fieldError(setMemberRoles.error, kind === 'user' ? 'email' : 'name');
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="add-member-title">
      <h2 id="add-member-title">Add a member</h2>
      {isAdmin ? (
        <div className="field" style={{ maxWidth: 480 }}>
          <span style={{ fontWeight: 500 }}>User or group</span>
          <DirectoryPicker picked={picked} onPick={setPicked} />
          {fieldError(setMemberRoles.error, 'id') && (
            <span className="field-error">{fieldError(setMemberRoles.error, 'id')}</span>
          )}
        </div>
      ) : (
        <div className="row wrap" style={{ alignItems: 'flex-end' }}>
          <label className="field">
            Kind
            <select value={kind} onChange={(e) => setKind(e.target.value as 'user' | 'group')}>
              <option value="user">User (by email)</option>
              <option value="group">Group (by name)</option>
            </select>
          </label>
          <label className="field" style={{ flex: 1, maxWidth: 420 }}>
            {kind === 'user' ? 'User’s email' : 'Group name'}
            <input
              value={text}
              type={kind === 'user' ? 'email' : 'text'}
              onChange={(e) => setText(e.target.value)}
              aria-invalid={textError ? true : undefined}
            />
            {textError && <span className="field-error">{textError}</span>}
          </label>
        </div>
      )}
      <fieldset>
        <legend>Roles</legend>
        <RoleCheckboxes name="the new member" roles={roles} onChange={setRoles} />
      </fieldset>
      <ErrorNotice error={setMemberRoles.error} what="member" />
      {added && <SuccessNotice>{added}</SuccessNotice>}
      <div className="row">
        <button
          type="submit"
          className="primary"
          disabled={!principal || roles.length === 0 || setMemberRoles.isPending}
          title={!principal ? 'Pick a user or group first' : roles.length === 0 ? 'Choose at least one role' : undefined}
        >
          {setMemberRoles.isPending ? 'Adding…' : 'Add member'}
        </button>
      </div>
    </form>
  );
}
