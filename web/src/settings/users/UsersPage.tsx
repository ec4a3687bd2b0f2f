import { useState } from 'react';
import { useMe } from '../../api/session.js';
import { useUserPage } from '../../api/users.js';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback.js';
import { ReadOnlyNotice } from '../ReadOnlyNotice.js';
import { SettingsBody } from '../SettingsLayout.js';
import { CreateUserDialog } from './CreateUserDialog.js';
import { UserRow } from './UserRow.js';

/** Users (server administrators): search, create with a one-time password, disable, promote, reset passwords. */
export function UsersPage() {
  const me = useMe();
  const isAdmin = Boolean(me.data?.user.isAdmin);
  const [q, setQ] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const users = useUserPage({ q, cursor }, isAdmin);
  const [creating, setCreating] = useState(false);
  if (!isAdmin) {
    return (
      <SettingsBody>
        <ReadOnlyNotice>Only server administrators manage users.</ReadOnlyNotice>
      </SettingsBody>
    );
  }
  return (
    <SettingsBody intro="Everyone who can sign in to this Vigil server. Give people access to a workspace on its Members & roles tab.">
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New user
        </button>
        <input
          type="search"
          aria-label="Search users"
          placeholder="Search by name or email"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setCursors([]);
          }}
          style={{ width: 280 }}
        />
      </div>
      {users.isPending ? (
        <Loading />
      ) : users.error ? (
        <ErrorNotice error={users.error} onRetry={() => void users.refetch()} />
      ) : users.data.items.length === 0 ? (
        <EmptyState title={q ? `No user matches “${q}”` : 'No users'}>Create one with “New user”.</EmptyState>
      ) : (
        <>
          <table className="grid" aria-label="Users">
            <thead>
              <tr>
                <th>User</th>
                <th>State</th>
                <th>Last sign-in</th>
                <th>Created</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => (
                <UserRow key={user.id} user={user} isMe={user.id === me.data?.user.id} />
              ))}
            </tbody>
          </table>
          {(cursors.length > 0 || users.data.nextCursor) && (
            <div className="row">
              <button
                type="button"
                className="small"
                disabled={cursors.length === 0}
                onClick={() => setCursors(cursors.slice(0, -1))}
              >
                Previous
              </button>
              <button
                type="button"
                className="small"
                disabled={!users.data.nextCursor}
                onClick={() => users.data.nextCursor && setCursors([...cursors, users.data.nextCursor])}
              >
                Next
              </button>
            </div>
          )}
        </>
      )}
      {creating && <CreateUserDialog onClose={() => setCreating(false)} />}
    </SettingsBody>
  );
}
