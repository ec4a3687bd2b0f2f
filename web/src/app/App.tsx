import { useEffect } from 'react';
import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation, type RouteObject } from 'react-router-dom';
import { onUnauthorized } from '../api/client.js';
import { createQueryClient } from '../api/query-client.js';
import { meKey, useMe } from '../api/session.js';
import { SignInPage } from '../auth/SignInPage.js';
import { automationRoutes } from '../automation/routes.js';
import { incidentRoutes } from '../incident/routes.js';
import { playbookRoutes, globalPlaybookRoutes } from '../playbooks/routes.js';
import { globalQueueRoutes, queueRoutes } from '../queue/routes.js';
import { reportRoutes } from '../reports/routes.js';
import { settingsRoutes } from '../settings/routes.js';
import { ErrorNotice, EmptyState, Loading } from '../ui/feedback.js';
import { GlobalLayout, WorkspaceLayout } from './Layout.js';
import { useWorkspaces, wsUrl } from './workspace.js';

/** Signed-in screens only: others go to sign-in and come back. A one-time password must be replaced first. */
function RequireSignIn() {
  const me = useMe();
  const location = useLocation();
  const client = useQueryClient();
  useEffect(() => onUnauthorized(() => void client.invalidateQueries({ queryKey: meKey })), [client]);
  if (me.isPending) return <Loading />;
  if (me.error) return <ErrorNotice error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data || me.data.user.mustChangePassword) {
    return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  return <Outlet />;
}

/** `/`: the first workspace's queue. */
function Home() {
  const workspaces = useWorkspaces();
  if (workspaces.length === 0) {
    return (
      <EmptyState title="You are not a member of any workspace yet">
        Ask a workspace Owner or a server administrator to add you.
      </EmptyState>
    );
  }
  const preferred = workspaces.find((w) => w.id === 'default') ?? workspaces[0]!;
  return <Navigate to={wsUrl(preferred.id, '/incidents')} replace />;
}

function NotFound() {
  return <EmptyState title="There is nothing at this address">Check the link, or pick a screen on the left.</EmptyState>;
}

const routes: RouteObject[] = [
  { path: '/sign-in', element: <SignInPage /> },
  {
    element: <RequireSignIn />,
    children: [
      { path: '/', element: <Home /> },
      { element: <GlobalLayout />, children: [...globalQueueRoutes, ...globalPlaybookRoutes] },
      {
        path: '/w/:workspace',
        element: <WorkspaceLayout />,
        children: [
          { index: true, element: <Navigate to="incidents" replace /> },
          ...queueRoutes,
          ...incidentRoutes,
          ...automationRoutes,
          ...playbookRoutes,
          ...reportRoutes,
          ...settingsRoutes,
          { path: '*', element: <NotFound /> },
        ],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
];

const router = createBrowserRouter(routes);
const queryClient = createQueryClient();

/** The web UI: query cache and routes. */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
