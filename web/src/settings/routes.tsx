import type { RouteObject } from 'react-router-dom';
import { AuditLogPage } from './audit/AuditLogPage.js';
import { GroupsPage } from './groups/GroupsPage.js';
import { MembersPage } from './members/MembersPage.js';
import { NotificationRulesPage } from './notifications/NotificationRulesPage.js';
import { SettingsIndex, SettingsLayout } from './SettingsLayout.js';
import { TokensPage } from './tokens/TokensPage.js';
import { UsersPage } from './users/UsersPage.js';
import { WebhooksPage } from './webhooks/WebhooksPage.js';
import { WorkspacePage } from './workspace/WorkspacePage.js';

/** Settings screens under /w/:workspace/settings (Analytics rules live in automation/routes.tsx). */
export const settingsRoutes: RouteObject[] = [
  {
    element: <SettingsLayout />,
    children: [
      { path: 'settings', element: <SettingsIndex /> },
      { path: 'settings/workspace', element: <WorkspacePage /> },
      { path: 'settings/members', element: <MembersPage /> },
      { path: 'settings/groups', element: <GroupsPage /> },
      { path: 'settings/tokens', element: <TokensPage /> },
      { path: 'settings/users', element: <UsersPage /> },
      { path: 'settings/notifications', element: <NotificationRulesPage /> },
      { path: 'settings/webhooks', element: <WebhooksPage /> },
      { path: 'settings/audit', element: <AuditLogPage /> },
    ],
  },
];
