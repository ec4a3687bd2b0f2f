import { useState } from 'react';
import { useResetPassword, useUpdateUser, type User, type UserWithPassword } from '../../api/users.js';
import { Badge } from '../../ui/badges.js';
import { ErrorNotice } from '../../ui/feedback.js';
import { formatTime, timeAgo } from '../../ui/format.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { OneTimePasswordDialog } from './OneTimePasswordDialog.js';

type Pending = 'disable' | 'demote' | 'reset' | null;

/** One user: state, administrator flag, last sign-in; disable/enable, promote/demote, reset password. */
export function UserRow({ user, isMe }: { user: User; isMe: boolean }) {
  const update = useUpdateUser();
  const reset = useResetPassword();
  const [confirming, setConfirming] = useState<Pending>(null);
  const [password, setPassword] = useState<UserWithPassword | null>(null);
  const change = (changes: { disabled?: boolean; isAdmin?: boolean }) =>
    update.mutate({ user, changes }, { onSuccess: () => setConfirming(null) });
  return (
    <tr>
      <td>
        <strong>{user.displayName}</strong>
        {isMe && <span className="muted"> (you)</span>}
        <div className="cell-sub">{user.email}</div>
      </td>
      <td>
        <div className="row wrap">
          {user.disabled ? <Badge tone="bad">Disabled</Badge> : <Badge tone="ok">Active</Badge>}
          {user.isAdmin && <Badge tone="warn">Administrator</Badge>}
          {user.mustChangePassword && <Badge>One-time password</Badge>}
        </div>
      </td>
      <td className="num" title={formatTime(user.lastLoginAt)}>
        {user.lastLoginAt ? timeAgo(user.lastLoginAt) : 'Never'}
      </td>
      <td className="num">{formatTime(user.createdAt)}</td>
      <td>
        <div className="cell-actions">
          {user.disabled ? (
            <button type="button" className="small" disabled={update.isPending} onClick={() => change({ disabled: false })}>
              Enable
            </button>
          ) : (
            <button
              type="button"
              className="small"
              disabled={isMe}
              title={isMe ? 'You cannot disable yourself' : undefined}
              onClick={() => setConfirming('disable')}
            >
              Disable
            </button>
          )}
          {user.isAdmin ? (
            <button
              type="button"
              className="small"
              disabled={isMe}
              title={isMe ? 'Ask another administrator to demote you' : undefined}
              onClick={() => setConfirming('demote')}
            >
              Remove administrator
            </button>
          ) : (
            <button type="button" className="small" disabled={update.isPending} onClick={() => change({ isAdmin: true })}>
              Make administrator
            </button>
          )}
          <button
            type="button"
            className="small"
            disabled={isMe}
            title={
              isMe ? 'Resetting your own password would sign you out; on the server run: vigil users reset-password' : undefined
            }
            onClick={() => setConfirming('reset')}
            aria-label={`Reset password of ${user.email}`}
          >
            Reset password
          </button>
        </div>
        {!confirming && <ErrorNotice error={update.error} what="user" />}
        {confirming === 'disable' && (
          <ConfirmDialog
            title={`Disable ${user.displayName}?`}
            confirmLabel="Disable user"
            pending={update.isPending}
            error={update.error}
            onClose={() => setConfirming(null)}
            onConfirm={() => change({ disabled: true })}
          >
            Their sessions end and their API tokens stop working until you enable them again.
          </ConfirmDialog>
        )}
        {confirming === 'demote' && (
          <ConfirmDialog
            title={`Remove ${user.displayName}’s administrator rights?`}
            confirmLabel="Remove administrator"
            pending={update.isPending}
            error={update.error}
            onClose={() => setConfirming(null)}
            onConfirm={() => change({ isAdmin: false })}
          >
            They keep their workspace roles but can no longer manage users, groups or workspaces.
          </ConfirmDialog>
        )}
        {confirming === 'reset' && (
          <ConfirmDialog
            title={`Reset ${user.displayName}’s password?`}
            confirmLabel="Reset password"
            pending={reset.isPending}
            error={reset.error}
            onClose={() => setConfirming(null)}
            onConfirm={() =>
              reset.mutate(user, {
                onSuccess: (result) => {
                  setConfirming(null);
                  setPassword(result);
                },
              })
            }
          >
            Their sessions end and Vigil generates a one-time password for them.
          </ConfirmDialog>
        )}
        {password && <OneTimePasswordDialog result={password} onClose={() => setPassword(null)} />}
      </td>
    </tr>
  );
}
