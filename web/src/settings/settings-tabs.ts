import { can } from '../api/session.js';
import type { Me } from '../api/types.js';

/** One tab of the settings screen: its path under /w/:ws/settings, label, and who may see it. */
export interface SettingsTab {
  path: string;
  label: string;
  visible: (me: Me, workspace: string) => boolean;
}

const isAdmin = (me: Me) => me.user.isAdmin;

/** The settings tabs, in order; the index opens the first one the caller may see. */
export const SETTINGS_TABS: SettingsTab[] = [
  { path: 'workspace', label: 'Workspace', visible: (me, ws) => can(me, ws, 'workspace.read') || isAdmin(me) },
  { path: 'members', label: 'Members & roles', visible: (me, ws) => can(me, ws, 'workspace.read') || isAdmin(me) },
  { path: 'groups', label: 'Groups', visible: isAdmin },
  { path: 'tokens', label: 'API tokens', visible: () => true },
  { path: 'users', label: 'Users', visible: isAdmin },
  { path: 'analytics-rules', label: 'Analytics rules', visible: (me, ws) => can(me, ws, 'rules.read') },
  { path: 'notifications', label: 'Notifications', visible: (me, ws) => can(me, ws, 'rules.read') },
  { path: 'webhooks', label: 'Webhooks', visible: (me, ws) => can(me, ws, 'playbooks.read') },
  { path: 'audit', label: 'Audit log', visible: (me, ws) => can(me, ws, 'incidents.read') },
];

/** The tabs the caller may see in a workspace. */
export function visibleTabs(me: Me | null | undefined, workspace: string): SettingsTab[] {
  return me ? SETTINGS_TABS.filter((tab) => tab.visible(me, workspace)) : [];
}
