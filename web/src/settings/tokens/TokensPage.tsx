import { useState } from 'react';
import { useMembers } from '../../api/workspaces.js';
import { can, useMe } from '../../api/session.js';
import { useRevokeToken, useTokens, type ApiToken, type TokenQuery } from '../../api/tokens.js';
import { useWorkspaceId } from '../../app/workspace.js';
import { Badge } from '../../ui/badges.js';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback.js';
import { formatTime, timeAgo } from '../../ui/format.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { SettingsBody } from '../SettingsLayout.js';
import { CreateTokenDialog } from './CreateTokenDialog.js';

type Scope = 'mine' | 'workspace' | 'server';

function tokenState(token: ApiToken): { label: string; tone: 'ok' | 'bad' | 'neutral' } {
  if (token.revokedAt) return { label: 'Revoked', tone: 'bad' };
  if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now()) return { label: 'Expired', tone: 'neutral' };
  return { label: 'Active', tone: 'ok' };
}

/** API tokens: the caller's (or, for Owners and administrators, everyone's), create with the secret shown once, revoke. */
export function TokensPage() {
  const workspace = useWorkspaceId();
  const me = useMe();
  const isAdmin = Boolean(me.data?.user.isAdmin);
  const canSeeWorkspace = can(me.data, workspace, 'workspace.manage') || isAdmin;
  const [scope, setScope] = useState<Scope>('mine');
  const query: TokenQuery = scope === 'mine' ? {} : scope === 'workspace' ? { workspace, all: true } : { all: true };
  const tokens = useTokens(query);
  const members = useMembers(workspace, scope !== 'mine');
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const revoke = useRevokeToken();
  const myRoles = me.data?.workspaces.find((w) => w.id === workspace)?.roles ?? [];
  const ownerName = (userId: string) =>
    userId === me.data?.user.id ? 'You' : (members.data?.items.find((m) => m.type === 'user' && m.id === userId)?.name ?? userId);
  return (
    <SettingsBody intro="API tokens let scripts and alert sources call Vigil as you, with one role in one workspace. Vigil shows a token once and keeps only its hash.">
      <div className="toolbar">
        <button
          type="button"
          className="primary"
          onClick={() => setCreating(true)}
          disabled={myRoles.length === 0}
          title={myRoles.length === 0 ? 'You hold no role in this workspace' : undefined}
        >
          New API token
        </button>
        {canSeeWorkspace && (
          <label className="row">
            Show
            <select value={scope} onChange={(e) => setScope(e.target.value as Scope)} aria-label="Which tokens">
              <option value="mine">My tokens</option>
              <option value="workspace">Everyone’s in this workspace</option>
              {isAdmin && <option value="server">Everyone’s on the server</option>}
            </select>
          </label>
        )}
      </div>
      {tokens.isPending ? (
        <Loading />
      ) : tokens.error ? (
        <ErrorNotice error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : tokens.data.items.length === 0 ? (
        <EmptyState title="No API tokens">Create one for a script or an alert source with “New API token”.</EmptyState>
      ) : (
        <table className="grid" aria-label="API tokens">
          <thead>
            <tr>
              <th>Name</th>
              {scope !== 'mine' && <th>Owner</th>}
              <th>Workspace</th>
              <th>Role</th>
              <th>Created</th>
              <th>Expires</th>
              <th>Last used</th>
              <th>State</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {tokens.data.items.map((token) => {
              const state = tokenState(token);
              return (
                <tr key={token.id}>
                  <td>
                    <strong>{token.name}</strong>
                  </td>
                  {scope !== 'mine' && <td>{ownerName(token.userId)}</td>}
                  <td>{token.workspaceId}</td>
                  <td>{token.role}</td>
                  <td className="num">{formatTime(token.createdAt)}</td>
                  <td className="num">{token.expiresAt ? formatTime(token.expiresAt) : 'Never'}</td>
                  <td className="num" title={formatTime(token.lastUsedAt)}>
                    {token.lastUsedAt ? timeAgo(token.lastUsedAt) : 'Never'}
                  </td>
                  <td>
                    <Badge tone={state.tone}>{state.label}</Badge>
                    {token.revokedAt && <div className="cell-sub">{formatTime(token.revokedAt)}</div>}
                  </td>
                  <td>
                    <div className="cell-actions">
                      {!token.revokedAt && (
                        <button
                          type="button"
                          className="small danger"
                          onClick={() => setRevoking(token)}
                          aria-label={`Revoke ${token.name}`}
                        >
                          Revoke
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {creating && <CreateTokenDialog workspace={workspace} myRoles={myRoles} onClose={() => setCreating(false)} />}
      {revoking && (
        <ConfirmDialog
          title={`Revoke ${revoking.name}?`}
          confirmLabel="Revoke token"
          pending={revoke.isPending}
          error={revoke.error}
          onClose={() => setRevoking(null)}
          onConfirm={() => revoke.mutate(revoking, { onSuccess: () => setRevoking(null) })}
        >
          Anything still using this token is refused from now on. This cannot be undone.
        </ConfirmDialog>
      )}
    </SettingsBody>
  );
}
