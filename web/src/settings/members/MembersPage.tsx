import { useMe, can } from '../../api/session.js';
import { useMembers } from '../../api/workspaces.js';
import { useWorkspaceId } from '../../app/workspace.js';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback.js';
import { ReadOnlyNotice } from '../ReadOnlyNotice.js';
import { SettingsBody } from '../SettingsLayout.js';
import { AddMemberForm } from './AddMemberForm.js';
import { MemberRow } from './MemberRow.js';
import { roleDescription, ROLES } from './role-descriptions.js';

/** Members & roles: who may do what in the workspace; Owners and administrators change it. */
export function MembersPage() {
  const workspace = useWorkspaceId();
  const me = useMe();
  const members = useMembers(workspace);
  const isAdmin = Boolean(me.data?.user.isAdmin);
  const canManage = can(me.data, workspace, 'workspace.manage') || isAdmin;
  const myRoles = me.data?.workspaces.find((w) => w.id === workspace)?.roles ?? [];
  return (
    <SettingsBody intro="Users and groups hold roles in this workspace; a person gets every role they hold directly or through their groups.">
      {!canManage && (
        <ReadOnlyNotice>
          You can see the members, but only the workspace’s Owners and server administrators can add members or change roles. Your
          roles here: {myRoles.join(', ') || 'none'}.
        </ReadOnlyNotice>
      )}
      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        {members.isPending ? (
          <Loading />
        ) : members.error ? (
          <ErrorNotice error={members.error} onRetry={() => void members.refetch()} />
        ) : members.data.items.length === 0 ? (
          <EmptyState title="No members yet">Add a user or group below.</EmptyState>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Roles</th>
                {canManage && <th aria-label="Actions" />}
              </tr>
            </thead>
            <tbody>
              {members.data.items.map((member) => (
                <MemberRow
                  key={`${member.type}:${member.id}:${member.roles.join(',')}`}
                  workspace={workspace}
                  member={member}
                  canManage={canManage}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {canManage && <AddMemberForm workspace={workspace} isAdmin={isAdmin} />}
      <section className="card" aria-labelledby="roles-title">
        <h2 id="roles-title">What each role may do</h2>
        <dl className="role-legend">
          {ROLES.map((role) => (
            <div key={role} style={{ display: 'contents' }}>
              <dt>{role}</dt>
              <dd>{roleDescription(role)}</dd>
            </div>
          ))}
        </dl>
      </section>
    </SettingsBody>
  );
}
