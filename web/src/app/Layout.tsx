import { useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ChangePasswordDialog } from '../auth/ChangePasswordDialog.js';
import { useLiveUpdates } from '../api/live.js';
import { useMe, useSignOut } from '../api/session.js';
import { useWorkspaceId, useWorkspaces, wsUrl } from './workspace.js';

const NAV = [
  { path: '/incidents', label: 'Incidents' },
  { path: '/automation', label: 'Automation' },
  { path: '/playbooks', label: 'Playbooks' },
  { path: '/runs', label: 'Playbook runs' },
  { path: '/approvals', label: 'Approvals' },
  { path: '/connections', label: 'Connections' },
  { path: '/reports', label: 'Reports' },
  { path: '/settings', label: 'Settings' },
];

/** The frame around every workspace screen: navigation, workspace switcher, who is signed in. */
export function WorkspaceLayout() {
  const workspace = useWorkspaceId();
  return (
    <Shell workspace={workspace}>
      <Outlet />
    </Shell>
  );
}

/** The frame for screens outside one workspace (the cross-workspace queue). */
export function GlobalLayout() {
  return (
    <Shell workspace={null}>
      <Outlet />
    </Shell>
  );
}

function Shell({ workspace, children }: { workspace: string | null; children: React.ReactNode }) {
  const me = useMe();
  const workspaces = useWorkspaces();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  const live = useLiveUpdates(Boolean(me.data));
  const [changingPassword, setChangingPassword] = useState(false);
  const switchTo = (id: string) => {
    if (id === '*') return navigate('/incidents');
    // Keep the section (incidents, automation …) when switching workspaces.
    const section = workspace ? location.pathname.split('/')[3] : 'incidents';
    navigate(wsUrl(id, `/${section || 'incidents'}`));
  };
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Vigil</div>
        <label className="section-label" htmlFor="workspace-switcher">
          Workspace
        </label>
        <select id="workspace-switcher" value={workspace ?? '*'} onChange={(e) => switchTo(e.target.value)}>
          {(workspaces.length > 1 || workspace === null) && <option value="*">All workspaces (queue)</option>}
          {workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
        <div className="section-label">Navigate</div>
        {workspace
          ? NAV.map((item) => (
              <NavLink key={item.path} className="nav" to={wsUrl(workspace, item.path)}>
                {item.label}
              </NavLink>
            ))
          : workspaces.map((w) => (
              <NavLink key={w.id} className="nav" to={wsUrl(w.id, '/incidents')}>
                {w.name}
              </NavLink>
            ))}
        <div className="user">
          <div>{me.data?.user.displayName}</div>
          <div className="muted" style={{ color: '#9ca3af' }}>
            {me.data?.user.email}
          </div>
          <div className="row" style={{ marginTop: 6 }}>
            <span
              className="badge"
              style={{ background: live ? '#14532d' : '#374151', color: '#fff' }}
              title={live ? 'Live updates are on' : 'Live updates are reconnecting'}
            >
              {live ? '● Live' : '○ Offline'}
            </span>
            <span className="spacer" />
            <button type="button" onClick={() => signOut.mutate()}>
              Sign out
            </button>
          </div>
          {me.data?.via === 'session' && (
            <button type="button" className="link" style={{ marginTop: 6 }} onClick={() => setChangingPassword(true)}>
              Change password
            </button>
          )}
        </div>
        {changingPassword && <ChangePasswordDialog onClose={() => setChangingPassword(false)} />}
      </nav>
      <main className="main">{children}</main>
    </div>
  );
}

/** A screen's title row with its actions on the right. */
export function PageHeader({ title, children }: { title: React.ReactNode; children?: React.ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      <span className="spacer" />
      {children}
    </header>
  );
}
