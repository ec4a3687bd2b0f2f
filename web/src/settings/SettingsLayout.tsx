import type { ReactNode } from 'react';
import { Navigate, NavLink, Outlet } from 'react-router-dom';
import { useMe } from '../api/session.js';
import { PageHeader } from '../app/Layout.js';
import { useWorkspaceId, wsUrl } from '../app/workspace.js';
import { EmptyState } from '../ui/feedback.js';
import { visibleTabs } from './settings-tabs.js';
import './settings.css';

/** The settings frame: title, the tab bar of what the caller may see, and the open tab. */
export function SettingsLayout() {
  const workspace = useWorkspaceId();
  const me = useMe();
  const tabs = visibleTabs(me.data, workspace);
  const name = me.data?.workspaces.find((w) => w.id === workspace)?.name ?? workspace;
  return (
    <>
      <PageHeader title={`Settings · ${name}`} />
      <nav className="settings-tabs" aria-label="Settings sections">
        {tabs.map((tab) => (
          <NavLink key={tab.path} to={wsUrl(workspace, `/settings/${tab.path}`)}>
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </>
  );
}

/** `/settings`: opens the first tab the caller may see. */
export function SettingsIndex() {
  const workspace = useWorkspaceId();
  const me = useMe();
  const first = visibleTabs(me.data, workspace)[0];
  if (!first) return <EmptyState title="There are no settings you may change here" />;
  return <Navigate to={wsUrl(workspace, `/settings/${first.path}`)} replace />;
}

/** The body of one settings tab: an optional introduction, then its cards. */
export function SettingsBody({ intro, children }: { intro?: ReactNode; children: ReactNode }) {
  return (
    <div className="settings-body">
      {intro && <p className="settings-intro">{intro}</p>}
      {children}
    </div>
  );
}
