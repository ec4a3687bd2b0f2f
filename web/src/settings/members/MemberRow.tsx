import { useState } from 'react';
import type { Member } from '../../api/members.js';
import type { Role } from '../../api/types.js';
import { useRemoveMember, useSetMemberRoles } from '../../api/workspaces.js';
import { Badge } from '../../ui/badges.js';
import { ErrorNotice } from '../../ui/feedback.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { RoleCheckboxes } from './RoleCheckboxes.js';

const sameRoles = (a: Role[], b: Role[]) => a.length === b.length && a.every((r) => b.includes(r));

/** One member: name, kind, roles (checkboxes for those who manage members), save and remove. */
export function MemberRow({ workspace, member, canManage }: { workspace: string; member: Member; canManage: boolean }) {
  const [roles, setRoles] = useState<Role[]>(member.roles);
  const [confirming, setConfirming] = useState(false);
  const setMemberRoles = useSetMemberRoles(workspace);
  const remove = useRemoveMember(workspace);
  const changed = !sameRoles(roles, member.roles);
  return (
    <tr>
      <td>
        <strong>{member.name}</strong>
        {member.email && <div className="cell-sub">{member.email}</div>}
      </td>
      <td>{member.type === 'group' ? 'Group' : 'User'}</td>
      <td>
        {canManage ? (
          <RoleCheckboxes compact name={member.name} roles={roles} onChange={setRoles} />
        ) : (
          <div className="roles-cell badges">
            {member.roles.map((r) => (
              <Badge key={r}>{r}</Badge>
            ))}
          </div>
        )}
        <ErrorNotice error={setMemberRoles.error} what="member" />
      </td>
      {canManage && (
        <td>
          <div className="cell-actions">
            {changed && (
              <>
                <button type="button" className="small" onClick={() => setRoles(member.roles)}>
                  Undo
                </button>
                <button
                  type="button"
                  className="small primary"
                  disabled={setMemberRoles.isPending || roles.length === 0}
                  title={roles.length === 0 ? 'A member needs at least one role; use Remove instead' : undefined}
                  onClick={() => setMemberRoles.mutate({ type: member.type, id: member.id, roles })}
                >
                  Save roles
                </button>
              </>
            )}
            <button
              type="button"
              className="small danger"
              onClick={() => setConfirming(true)}
              aria-label={`Remove ${member.name}`}
            >
              Remove
            </button>
          </div>
          {confirming && (
            <ConfirmDialog
              title={`Remove ${member.name}?`}
              confirmLabel="Remove from workspace"
              pending={remove.isPending}
              error={remove.error}
              onClose={() => setConfirming(false)}
              onConfirm={() => remove.mutate(member, { onSuccess: () => setConfirming(false) })}
            >
              {member.type === 'group'
                ? `Every member of ${member.name} loses the roles the group gave them here.`
                : `${member.name} loses every role in this workspace; their API tokens for it stop working.`}
            </ConfirmDialog>
          )}
        </td>
      )}
    </tr>
  );
}
